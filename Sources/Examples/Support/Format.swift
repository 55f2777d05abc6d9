import Foundation

/// Number formatting in the layouts the reports print: fixed decimals, zero-padded fields,
/// percentages and durations. Independent of locale (always a decimal point).
enum Format {
  /// `value` with exactly `digits` decimals: `fixed(2.149, 2)` is `"2.15"`.
  ///
  /// - Parameter width: if given, the integer part is zero-padded so the text has at least
  ///   this many characters: `fixed(9.9, 2, zeroPadTo: 5)` is `"09.90"`, the report-003
  ///   layout.
  static func fixed(_ value: Double, _ digits: Int, zeroPadTo width: Int = 0) -> String {
    precondition(digits >= 0 && digits <= 17, "Format.fixed: digits must be 0...17, got \(digits)")
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    // printf rounds the exact binary value, as Python's "%.2f" does in the reports.
    var text = String(format: "%0*.*f", Int32(width), Int32(digits), value)
    if text.hasPrefix("-"), text.allSatisfy({ "-0.".contains($0) }) { text.removeFirst() }
    return text
  }

  /// Values joined by `separator`, each with `digits` decimals: `"2.15 0.55 2.70"`.
  static func list(
    _ values: [Double], _ digits: Int, zeroPadTo width: Int = 0, separator: String = " "
  ) -> String {
    values.map { fixed($0, digits, zeroPadTo: width) }.joined(separator: separator)
  }

  /// A fraction in `0...1` as a percentage: `percent(0.158, 1)` is `"15.8 %"`.
  static func percent(_ fraction: Double, _ digits: Int = 1) -> String {
    fixed(fraction * 100, digits) + " %"
  }

  /// The shortest text that reads back as `value`, without a trailing `.0`: `0.1`, `20`.
  static func shortest(_ value: Double) -> String {
    if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
      return String(Int64(value))
    }
    return "\(value)"
  }

  /// A duration in seconds, scaled for reading: `"850 ms"`, `"12.3 s"`, `"4 min 05 s"`.
  static func seconds(_ seconds: Double) -> String {
    if seconds < 1 { return fixed(seconds * 1000, 0) + " ms" }
    if seconds < 60 { return fixed(seconds, seconds < 10 ? 2 : 1) + " s" }
    let whole = Int(seconds.rounded())
    return "\(whole / 60) min " + fixed(Double(whole % 60), 0, zeroPadTo: 2) + " s"
  }

  /// Pads `text` with spaces to `width` characters, on the left when `right` is true.
  static func pad(_ text: String, to width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return right ? fill + text : text + fill
  }
}
