import AutoGrad
import Foundation
import NN

/// E11 (report 002, §2.2.b): the homework's feed-forward network at its defaults (Table 3)
/// trained with learning rates 1, 0.1, 0.01 and 0.001: the best and last validation accuracy of
/// each (Table 5), the training/validation loss of the best and the worst (Figure 9), and the
/// test accuracy of the best. Best and worst are by last validation accuracy (the final model
/// is the one tested). The report (OCTMNIST): best 0.4721 / 0.8291 / 0.8147 / 0.7224, last
/// 0.4721 / 0.8291 / 0.8099 / 0.7224; test 0.7713 at lr 0.1.
struct FFNLearningRate: Experiment {
  static let name = "ffn-learning-rate"
  static let summary = "Feed-forward net (2×200 ReLU), lr 1 / 0.1 / 0.01 / 0.001"
  static let defaultDataset = MulticlassDataset.octmnist.rawValue

  static let learningRates = Option<[Double]>(
    "lr", default: [1, 0.1, 0.01, 0.001], range: 1e-9...100, help: "learning rates, one run each")
  static let epochs = FeedforwardFlags.epochs(default: 20, quick: 2)
  static var extraOptions: [OptionSpec] {
    [
      learningRates.spec, epochs.spec, FeedforwardFlags.batchSize.spec,
      FeedforwardFlags.hiddenSize.spec, FeedforwardFlags.layers.spec,
      FeedforwardFlags.dropout.spec, FeedforwardFlags.activation.spec,
      FeedforwardFlags.l2.spec, FeedforwardFlags.trainSize.spec,
    ]
  }

  /// The report's Table 5 (best, last validation accuracy) and test accuracy (OCTMNIST).
  static let reportTable: [Double: (best: Double, last: Double)] = [
    1: (0.4721, 0.4721), 0.1: (0.8291, 0.8291), 0.01: (0.8147, 0.8099), 0.001: (0.7224, 0.7224),
  ]
  static let reportTest = 0.7713

  let context: RunContext
  let dataset: MulticlassDataset

  init(context: RunContext) throws {
    self.context = context
    dataset = try context.multiclassDataset()
  }

  func run() throws {
    let console = context.console
    let rates = context[Self.learningRates]
    let splits = try context.loadMulticlassSplits(
      dataset, trainSize: context[FeedforwardFlags.trainSize])
    var runs: [FeedforwardRun] = []
    for rate in rates {
      var settings = FeedforwardFlags.settings(context, epochs: Self.epochs)
      settings.learningRate = rate
      runs.append(
        settings.run(
          on: splits, seed: context.seed, console: console, label: "lr \(Format.shortest(rate))"))
    }

    let last = runs.map(\.lastValidationAccuracy)
    let best = MulticlassReport.bestIndex(last)
    let worst = MulticlassReport.worstIndex(last)
    console.heading(
      "Validation accuracy (report's Table 5) " + MulticlassReport.comparisonNote(dataset))
    console.print(
      MulticlassReport.table(
        ["Learning rate", "Best valid. acc.", "Last valid. acc."],
        rows: rates.indices.map { i in
          let report = Self.reportTable[rates[i]]
          return (
            Format.shortest(rates[i]), [runs[i].bestValidationAccuracy, last[i]],
            [report?.best, report?.last]
          )
        }, reportHeader: ["report best", "report last"], marked: best))
    console.print(
      "Best learning rate \(Format.shortest(rates[best])) (*): Final test acc: "
        + Format.fixed(runs[best].testAccuracy, 4) + "  (report: "
        + Format.fixed(Self.reportTest, 4) + " at lr 0.1)")

    for (role, index) in [("best", best), ("worst", worst)] {
      let rate = Format.shortest(rates[index])
      try context.save(
        MulticlassReport.lossChart(
          runs[index].records,
          title: "Learning rate \(rate) (\(role)): loss (\(dataset.displayName))"),
        as: "loss-lr" + MulticlassReport.slug(rates[index]))
    }

    context.record("learningRates", rates)
    context.record("bestValidationAccuracy", runs.map(\.bestValidationAccuracy))
    context.record("lastValidationAccuracy", last)
    context.record("bestLearningRate", rates[best])
    context.record("worstLearningRate", rates[worst])
    context.record("testAccuracy", runs[best].testAccuracy)
    context.record("testAccuracyPerLearningRate", runs.map(\.testAccuracy))
    context.record("trainSeconds", runs.map(\.trainSeconds))
    context.record("trainCPUSeconds", runs.map(\.trainCPUSeconds))
    context.record("trainLossPerEpoch", runs.map { $0.records.map(\.meanLoss) })
    context.record("validationLossPerEpoch", runs.map { $0.records.map(\.validation.loss) })
    context.record("validationAccuracyPerEpoch", runs.map(\.records.validationAccuracies))
  }
}
