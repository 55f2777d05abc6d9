import Foundation

/// The benchmark table on standard output, and the figures by name for `--json`.
final class Report {
  private(set) var figures: [(name: String, value: Double, unit: String)] = []
  private var widths: [Int] = []

  func section(_ title: String) {
    print("\n## \(title)")
  }

  func header(_ columns: [String]) {
    widths = columns.enumerated().map { $0.offset == 0 ? 22 : max(12, $0.element.count + 2) }
    line(columns)
  }

  func row(_ name: String, _ values: [String]) { line([name] + values) }

  func record(_ name: String, _ value: Double, unit: String) {
    figures.append((name, value, unit))
  }

  func note(_ text: String) { print("   " + text) }

  private func line(_ cells: [String]) {
    var text = ""
    for (i, cell) in cells.enumerated() {
      let width = i < widths.count ? widths[i] : 12
      let pad = String(repeating: " ", count: max(1, width - cell.count))
      text += i == 0 ? cell + pad : pad + cell
    }
    print(text)
  }

  /// The figures as a JSON object `{name: {value, unit}}`.
  func json() -> String {
    let entries = figures.map { f in
      "  \"\(f.name)\": {\"value\": \(f.value.isFinite ? String(f.value) : "null"), \"unit\": \"\(f.unit)\"}"
    }
    return "{\n" + entries.joined(separator: ",\n") + "\n}\n"
  }
}
