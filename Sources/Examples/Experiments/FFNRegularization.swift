import AutoGrad
import Foundation
import NN

/// E12 (report 002, §2.2.c): the homework's feed-forward network with batch 256 for 150 epochs,
/// without regularization, with L2 0.0001 (SGD weight decay) and with dropout 0.2: the best and
/// last validation accuracy of each (Table 6), the training/validation loss of each (Figure 10
/// shows the worst and the best) and the test accuracy of the best, by last validation accuracy.
/// The report (OCTMNIST): 0.8667 / 0.8436, 0.8651 / 0.8581, 0.8649 / 0.8629; test 0.7807
/// (dropout).
struct FFNRegularization: Experiment {
  static let name = "ffn-regularization"
  static let summary = "Feed-forward net, batch 256, 150 epochs: none vs L2 vs dropout"
  static let defaultDataset = MulticlassDataset.octmnist.rawValue

  static let epochs = FeedforwardFlags.epochs(default: 150, quick: 3)
  static let batchSize = Option<Int>(
    "batch-size", default: 256, range: 1...1_000_000, help: "mini-batch size")
  static let l2 = Option<Double>(
    "l2", default: 0.0001, range: 0...100, help: "weight decay of the L2 configuration")
  static let dropout = Option<Double>(
    "dropout", default: 0.2, range: 0...0.99, help: "dropout of the dropout configuration")
  static var extraOptions: [OptionSpec] {
    [
      epochs.spec, batchSize.spec, l2.spec, dropout.spec, FeedforwardFlags.learningRate.spec,
      FeedforwardFlags.hiddenSize.spec, FeedforwardFlags.layers.spec,
      FeedforwardFlags.activation.spec, FeedforwardFlags.trainSize.spec,
    ]
  }

  /// One configuration of the comparison.
  struct Configuration {
    /// The report's row name.
    var name: String
    /// For file names and `results.json`.
    var slug: String
    var l2: Double
    var dropout: Double
    /// The report's best and last validation accuracy (OCTMNIST).
    var report: (best: Double, last: Double)
  }

  /// The report's test accuracy of the best configuration (dropout).
  static let reportTest = 0.7807

  let context: RunContext
  let dataset: MulticlassDataset

  init(context: RunContext) throws {
    self.context = context
    dataset = try context.multiclassDataset()
  }

  func run() throws {
    let console = context.console
    let splits = try context.loadMulticlassSplits(
      dataset, trainSize: context[FeedforwardFlags.trainSize])
    let configurations = [
      Configuration(name: "Initial", slug: "none", l2: 0, dropout: 0, report: (0.8667, 0.8436)),
      Configuration(
        name: "L2 Regularization", slug: "l2", l2: context[Self.l2], dropout: 0,
        report: (0.8651, 0.8581)),
      Configuration(
        name: "Dropout Regularization", slug: "dropout", l2: 0, dropout: context[Self.dropout],
        report: (0.8649, 0.8629)),
    ]
    var runs: [FeedforwardRun] = []
    for configuration in configurations {
      var settings = FeedforwardFlags.settings(context, epochs: Self.epochs)
      settings.batchSize = context[Self.batchSize]
      settings.l2 = configuration.l2
      settings.dropout = configuration.dropout
      let run = settings.run(
        on: splits, seed: context.seed, console: console, label: configuration.name)
      runs.append(run)
      try context.save(
        MulticlassReport.lossChart(
          run.records, title: "\(configuration.name): loss (\(dataset.displayName))"),
        as: "loss-" + configuration.slug)
    }

    let last = runs.map(\.lastValidationAccuracy)
    let best = MulticlassReport.bestIndex(last)
    console.heading(
      "Validation accuracy (report's Table 6) " + MulticlassReport.comparisonNote(dataset))
    console.print(
      MulticlassReport.table(
        ["Model", "Best valid. acc.", "Last valid. acc."],
        rows: configurations.indices.map { i in
          (
            configurations[i].name, [runs[i].bestValidationAccuracy, last[i]],
            [configurations[i].report.best, configurations[i].report.last]
          )
        }, reportHeader: ["report best", "report last"], marked: best))
    console.print(
      "Best configuration \(configurations[best].name) (*): Final test acc: "
        + Format.fixed(runs[best].testAccuracy, 4) + "  (report: "
        + Format.fixed(Self.reportTest, 4) + ", dropout)")

    context.record("configurations", configurations.map(\.slug))
    context.record("bestValidationAccuracy", runs.map(\.bestValidationAccuracy))
    context.record("lastValidationAccuracy", last)
    context.record(
      "bestEpoch", runs.map { MulticlassReport.bestIndex($0.records.validationAccuracies) + 1 })
    context.record("bestConfiguration", configurations[best].slug)
    context.record("testAccuracy", runs[best].testAccuracy)
    context.record("testAccuracyPerConfiguration", runs.map(\.testAccuracy))
    context.record("trainSeconds", runs.map(\.trainSeconds))
    context.record("trainCPUSeconds", runs.map(\.trainCPUSeconds))
    context.record("trainLossPerEpoch", runs.map { $0.records.map(\.meanLoss) })
    context.record("validationLossPerEpoch", runs.map { $0.records.map(\.validation.loss) })
    context.record("validationAccuracyPerEpoch", runs.map(\.records.validationAccuracies))
  }
}
