/// A fixed-width text table: a header row, a rule, and rows of cells.
///
/// The first column (labels) is left-aligned, the others right-aligned, so columns of numbers
/// line up on the decimal point when they share a number of decimals.
///
/// ```swift
/// var table = Table(header: ["λ \\ lr", "0.1", "0.5", "1"])
/// table.addRow("0.01", values: [972, 972, 974], digits: 0)
/// console.print(table)
/// // λ \ lr  0.1  0.5    1
/// // ------  ---  ---  ---
/// // 0.01    972  972  974
/// ```
struct Table: Sendable {
  /// The column titles.
  var header: [String]
  /// The body, one array of cells per row.
  private(set) var rows: [[String]] = []
  /// Spaces between columns.
  var gap = 2

  /// An empty table with these column titles.
  init(header: [String]) {
    self.header = header
  }

  /// Appends a row of preformatted cells.
  ///
  /// - Precondition: as many cells as header columns.
  mutating func addRow(_ cells: [String]) {
    precondition(
      cells.count == header.count,
      "Table.addRow: expected \(header.count) cells, got \(cells.count)")
    rows.append(cells)
  }

  /// Appends a row made of a label and numbers with `digits` decimals.
  mutating func addRow(_ label: String, values: [Double], digits: Int) {
    addRow([label] + values.map { Format.fixed($0, digits) })
  }

  /// The table as lines of text, without a trailing newline.
  var rendered: String {
    let columns = header.count
    var widths = header.map(\.count)
    for row in rows {
      for column in 0..<columns { widths[column] = max(widths[column], row[column].count) }
    }
    let spacer = String(repeating: " ", count: gap)
    func line(_ cells: [String]) -> String {
      let padded = cells.enumerated().map { column, cell in
        Format.pad(cell, to: widths[column], right: column > 0)
      }
      return String(padded.joined(separator: spacer).reversed().drop { $0 == " " }.reversed())
    }
    let rule = widths.map { String(repeating: "-", count: $0) }
    return ([line(header), line(rule)] + rows.map(line)).joined(separator: "\n")
  }
}
