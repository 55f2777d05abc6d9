import AutoGrad
import Foundation
import NN

/// E10 (report 002, §2.2.a): the homework's feed-forward network at its default
/// hyper-parameters (Table 3: 20 epochs, lr 0.1, 2 hidden layers of 200 ReLU units, dropout 0,
/// L2 0, SGD), trained with batch 16 and with batch 1024: training/validation loss curves, test
/// accuracy and the wall time of each (Table 4). The report (OCTMNIST): test 0.7713 at batch 16;
/// 657.34 s vs 78.53 s on the authors' machine.
struct FFNBatchSize: Experiment {
  static let name = "ffn-batch-size"
  static let summary = "Feed-forward net (2×200 ReLU), batch 16 vs 1024: loss, accuracy, time"
  static let defaultDataset = MulticlassDataset.octmnist.rawValue

  static let batchSizes = Option<[Double]>(
    "batch-sizes", default: [16, 1024], range: 1...1_000_000, help: "batch sizes, one run each")
  static let epochs = FeedforwardFlags.epochs(default: 20, quick: 2)
  static var extraOptions: [OptionSpec] {
    [
      batchSizes.spec, epochs.spec, FeedforwardFlags.learningRate.spec,
      FeedforwardFlags.hiddenSize.spec, FeedforwardFlags.layers.spec,
      FeedforwardFlags.dropout.spec, FeedforwardFlags.activation.spec,
      FeedforwardFlags.l2.spec, FeedforwardFlags.trainSize.spec,
    ]
  }

  /// The report's figures (OCTMNIST): test accuracy at batch 16, and the time of each run.
  static let reportTestAccuracy: [Int: Double] = [16: 0.7713]
  static let reportSeconds: [Int: Double] = [16: 657.34, 1024: 78.53]

  let context: RunContext
  let dataset: MulticlassDataset
  let sizes: [Int]

  init(context: RunContext) throws {
    self.context = context
    dataset = try context.multiclassDataset()
    sizes = try layerSizes(context[Self.batchSizes], option: "batch-sizes")
  }

  func run() throws {
    let console = context.console
    let splits = try context.loadMulticlassSplits(
      dataset, trainSize: context[FeedforwardFlags.trainSize])
    var runs: [FeedforwardRun] = []
    for size in sizes {
      var settings = FeedforwardFlags.settings(context, epochs: Self.epochs)
      settings.batchSize = size
      let run = settings.run(
        on: splits, seed: context.seed, console: console, label: "batch \(size)")
      runs.append(run)
      try context.save(
        MulticlassReport.lossChart(
          run.records, title: "Batch size \(size): loss (\(dataset.displayName))"),
        as: "loss-batch\(size)")
    }

    console.heading(
      "Test accuracy and time (report's Table 4) " + MulticlassReport.comparisonNote(dataset))
    var table = Table(
      header: [
        "Batch size", "Test accuracy", "Time taken (s)", "CPU (s)", "report accuracy",
        "report time (s)",
      ])
    for (size, run) in zip(sizes, runs) {
      table.addRow([
        String(size), Format.fixed(run.testAccuracy, 4), Format.fixed(run.trainSeconds, 2),
        Format.fixed(run.trainCPUSeconds, 2),
        Self.reportTestAccuracy[size].map { Format.fixed($0, 4) } ?? "-",
        Self.reportSeconds[size].map { Format.fixed($0, 2) } ?? "-",
      ])
    }
    console.print(table)
    console.print(
      "(times: ours on this machine, the report's on the authors'; only their ratio compares;"
        + " on a shared machine the CPU time is the steadier figure)")

    context.record("batchSizes", sizes)
    context.record("testAccuracy", runs.map(\.testAccuracy))
    context.record("trainSeconds", runs.map(\.trainSeconds))
    context.record("trainCPUSeconds", runs.map(\.trainCPUSeconds))
    context.record("finalValidationAccuracy", runs.map(\.lastValidationAccuracy))
    context.record("trainLossPerEpoch", runs.map { $0.records.map(\.meanLoss) })
    context.record("validationLossPerEpoch", runs.map { $0.records.map(\.validation.loss) })
    context.record("validationAccuracyPerEpoch", runs.map(\.records.validationAccuracies))
  }
}
