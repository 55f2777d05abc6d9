import Foundation

/// The run's standard output: parameter listing, headings, tables, and a progress line that
/// redraws itself in place (with `\r`) only when standard output is a terminal.
///
/// Everything goes through Swift's `print` and is flushed before anything is written to standard
/// error, so that experiments may also call `print` directly without lines coming out of order.
final class Console {
  /// Whether standard output is a terminal; when it is not, progress lines are not drawn.
  let isTerminal: Bool
  /// The longest progress line drawn, in characters.
  var progressWidth = 100

  private var progressVisible = false
  private var lastDraw: ContinuousClock.Instant?
  private let clock = ContinuousClock()

  /// A console on the process's standard output; `isTerminal` defaults to `isatty(1)`.
  init(isTerminal: Bool = isatty(1) == 1) {
    self.isTerminal = isTerminal
  }

  /// Prints one line (after removing any progress line).
  func print(_ line: String = "") {
    clearProgress()
    Swift.print(line)
    if !isTerminal { fflush(nil) }  // so a log file follows a long run line by line
  }

  /// Prints a table, followed by nothing (add a blank line with `print()` if wanted).
  func print(_ table: Table) {
    print(table.rendered)
  }

  /// Prints a blank line and a heading, like the reports' `(2.1) Misclassification Rate ...`.
  func heading(_ title: String) {
    print()
    print(title)
  }

  /// Prints `name  value` lines with the names aligned, under `title`.
  func parameters(_ title: String, _ pairs: [(name: String, value: String)]) {
    print(title)
    let width = pairs.map(\.name.count).max() ?? 0
    for pair in pairs {
      print("  " + Format.pad(pair.name, to: width) + "  " + pair.value)
    }
  }

  /// Prints a notice to standard error, e.g. that a stand-in dataset is used.
  func notice(_ message: String) {
    clearProgress()
    fflush(nil)
    FileHandle.standardError.write(Data(("notice: " + message + "\n").utf8))
  }

  /// Redraws the progress line as `label [#####.....]  42%  detail`, at most ten times a second.
  ///
  /// Does nothing when standard output is not a terminal, and then never evaluates `detail`,
  /// so it is cheap to call on every step of a training loop.
  ///
  /// - Parameters:
  ///   - label: what is running, e.g. `"epoch 3/20"`.
  ///   - completed: units done so far in `0...total`.
  ///   - total: units in all; a value of 0 draws no bar.
  ///   - detail: extra text such as the running loss.
  func progress(
    _ label: String, completed: Int, total: Int, _ detail: @autoclosure () -> String = ""
  ) {
    guard isTerminal else { return }
    let now = clock.now
    let finished = total > 0 && completed >= total  // always draw the final state
    if let lastDraw, !finished, now - lastDraw < .milliseconds(100) { return }
    lastDraw = now
    var line = label
    if total > 0 {
      let fraction = min(1, max(0, Double(completed) / Double(total)))
      let filled = Int((fraction * 20).rounded(.down))
      line += " [" + String(repeating: "#", count: filled)
      line += String(repeating: ".", count: 20 - filled) + "] "
      line += Format.pad(Format.fixed(fraction * 100, 0), to: 3, right: true) + "%"
    }
    let extra = detail()
    if !extra.isEmpty { line += "  " + extra }
    if line.count > progressWidth { line = String(line.prefix(progressWidth)) }
    Swift.print("\r" + line + "\u{1B}[K", terminator: "")
    fflush(nil)
    progressVisible = true
  }

  /// Removes the progress line, if one is drawn, so that the next output starts on a clean line.
  func clearProgress() {
    guard progressVisible else { return }
    Swift.print("\r\u{1B}[K", terminator: "")
    fflush(nil)
    progressVisible = false
    lastDraw = nil
  }
}
