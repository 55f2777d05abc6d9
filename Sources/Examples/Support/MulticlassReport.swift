import AutoGrad
import Foundation
import NN

// The printed per-epoch lines and comparison tables of report 002's OCTMNIST experiments
// (MulticlassSupport.swift has their data and training driver).

enum MulticlassReport {
  /// One line per epoch: `epoch  3/20  loss 0.4567  train acc 0.8123  val loss 0.5123  val acc
  /// 0.8012  (12.3 s)`; the training figures only when they were scored, the loss only when
  /// `showsLoss`.
  static func epochLine(_ record: EpochRecord, of epochs: Int, showsLoss: Bool = true) -> String {
    let width = String(epochs).count
    var text = "epoch " + Format.pad(String(record.epoch), to: width, right: true) + "/\(epochs)"
    if showsLoss { text += "  loss " + Format.fixed(record.meanLoss, 4) }
    if record.training.count > 0 {
      text += "  train acc " + Format.fixed(record.training.accuracy, 4)
    }
    if showsLoss { text += "  val loss " + Format.fixed(record.validation.loss, 4) }
    text += "  val acc " + Format.fixed(record.validation.accuracy, 4)
    return text + "  (" + Format.seconds(record.seconds) + ")"
  }

  /// The index of the largest value, the first among equals (NaN never wins).
  static func bestIndex(_ values: [Double]) -> Int {
    var best = 0
    for (index, value) in values.enumerated() where value > values[best] || values[best].isNaN {
      best = index
    }
    return best
  }

  /// The index of the smallest value, the first among equals (NaN never wins).
  static func worstIndex(_ values: [Double]) -> Int {
    bestIndex(values.map { -$0 })
  }

  /// A report table with our figures next to the report's: a label column, our columns, then
  /// the report's (`nil` prints `-`), all with 4 decimals; `*` marks the chosen row, as the
  /// report's bold.
  static func table(
    _ header: [String], rows: [(label: String, ours: [Double], report: [Double?])],
    reportHeader: [String], marked: Int? = nil
  ) -> Table {
    var table = Table(header: header + reportHeader)
    for (index, row) in rows.enumerated() {
      let label = index == marked ? row.label + " *" : row.label
      table.addRow(
        [label] + row.ours.map { Format.fixed($0, 4) }
          + row.report.map { $0.map { Format.fixed($0, 4) } ?? "-" })
    }
    return table
  }

  /// The column title of the report's figures: `report (OCTMNIST)`.
  static let reportColumn = "report (OCTMNIST)"

  /// One line stating whose figures are compared: our dataset against the report's OCTMNIST.
  static func comparisonNote(_ dataset: MulticlassDataset) -> String {
    dataset.isStandIn
      ? "(ours on the \(dataset.displayName) stand-in; the report's on OCTMNIST: not comparable)"
      : "(both on OCTMNIST)"
  }

  /// Training (mean mini-batch loss over the epoch) and validation loss per epoch, as the
  /// skeleton's `plot(epochs, train_mean_losses, valid_losses)`.
  static func lossChart(_ records: [EpochRecord], title: String, logY: Bool = false) -> SVGChart {
    var chart = SVGChart(title: title, xLabel: "epoch", yLabel: "cross-entropy")
    chart.add("training", y: records.map(\.meanLoss))
    chart.add("validation", y: records.map(\.validation.loss))
    chart.logY = logY
    return chart
  }

  /// A file-name fragment for a number: `0.001` → `0.001`, `16` → `16`.
  static func slug(_ value: Double) -> String { Format.shortest(value) }

  /// Runs longer than this many seconds are announced, with the way to shorten them.
  static let longRunSeconds = 300.0

  /// After `fractionDone` of a run took `elapsed` seconds: a warning with the projected total
  /// when it exceeds `longRunSeconds`, else `nil`.
  static func longRunWarning(elapsed: Double, fractionDone: Double) -> String? {
    guard fractionDone > 0 else { return nil }
    let projected = elapsed / fractionDone
    guard projected > longRunSeconds else { return nil }
    return "this run will take about \(Format.seconds(projected)) in all (per-sample SGD is "
      + "one small step per image); --train-size N trains on the first N images only"
  }
}
