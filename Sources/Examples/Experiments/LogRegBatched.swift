import AutoGrad
import Foundation
import NN

/// E9 (report 002, §2.1): logistic regression as a PyTorch `Linear(784, classes)` (default
/// initialisation), mini-batch SGD with batch 16 on the cross-entropy for 20 epochs, for
/// learning rates 0.001, 0.01 and 0.1; the final validation accuracy of each (the report's
/// Table 2), and the test accuracy of the best one with its loss and validation-accuracy
/// curves (Figure 7). The report (OCTMNIST): 0.6163 / 0.6535 / 0.6224, test 0.6200 (η = 0.01).
struct LogRegBatched: Experiment {
  static let name = "logreg-batched"
  static let summary = "Logistic regression, batch 16, lr 0.001 / 0.01 / 0.1, 20 epochs"
  static let defaultDataset = MulticlassDataset.octmnist.rawValue

  static let epochs = Option<Int>("epochs", default: 20, quick: 3, range: 1...1000, help: "epochs")
  static let learningRates = Option<[Double]>(
    "lr", default: [0.001, 0.01, 0.1], range: 1e-9...100, help: "learning rates, one run each")
  static let batchSize = Option<Int>(
    "batch-size", default: 16, range: 1...1_000_000, help: "mini-batch size")
  static let trainSize = Option<Int>(
    "train-size", default: 0, quick: 2000, range: 0...1_000_000,
    help: "use the first N training images (0: all)")
  static var extraOptions: [OptionSpec] {
    [epochs.spec, learningRates.spec, batchSize.spec, trainSize.spec]
  }

  /// The report's final validation accuracies (Table 2) and test accuracy of the best.
  static let reportValidation: [Double: Double] = [0.1: 0.6224, 0.01: 0.6535, 0.001: 0.6163]
  static let reportTest = 0.6200

  let context: RunContext
  let dataset: MulticlassDataset

  init(context: RunContext) throws {
    self.context = context
    dataset = try context.multiclassDataset()
  }

  func run() throws {
    let console = context.console
    let epochs = context[Self.epochs]
    let rates = context[Self.learningRates]
    let splits = try context.loadMulticlassSplits(dataset, trainSize: context[Self.trainSize])

    var runs: [[EpochRecord]] = []
    var testAccuracies: [Double] = []
    for rate in rates {
      console.heading("Learning rate \(Format.shortest(rate)):")
      // Every run starts from the same initial weights (drawn from --seed).
      var generator = SeededGenerator(seed: context.seed)
      let model = Linear(splits.inputSize, splits.classCount, using: &generator)
      let training = MulticlassTraining(
        epochs: epochs, batchSize: context[Self.batchSize], learningRate: rate,
        seed: context.seed)
      let records = training.run(
        model, training: splits.training, validation: splits.validation, console: console,
        label: "lr \(Format.shortest(rate))"
      ) { console.print(MulticlassReport.epochLine($0, of: epochs)) }
      runs.append(records)
      testAccuracies.append(evaluateInEvalMode(model, on: splits.test).accuracy)
    }

    let finalValidation = runs.map { $0.last?.validation.accuracy ?? .nan }
    let best = MulticlassReport.bestIndex(finalValidation)
    console.heading(
      "Final validation accuracy (report's Table 2) " + MulticlassReport.comparisonNote(dataset))
    console.print(
      MulticlassReport.table(
        ["Learning rate", "Final validation accuracy"],
        rows: rates.indices.map { i in
          (Format.shortest(rates[i]), [finalValidation[i]], [Self.reportValidation[rates[i]]])
        }, reportHeader: [MulticlassReport.reportColumn], marked: best))
    console.print(
      "Best learning rate \(Format.shortest(rates[best])) (*): Final test acc: "
        + Format.fixed(testAccuracies[best], 4) + "  (report: "
        + Format.fixed(Self.reportTest, 4) + " at η = 0.01)")

    let bestName = "η = \(Format.shortest(rates[best]))"
    try context.save(
      MulticlassReport.lossChart(
        runs[best], title: "Logistic regression, \(bestName): loss (\(dataset.displayName))"),
      as: "loss-lr" + MulticlassReport.slug(rates[best]))
    var accuracy = SVGChart(
      title: "Logistic regression: validation accuracy (\(dataset.displayName))",
      xLabel: "epoch", yLabel: "validation accuracy")
    for (index, rate) in rates.enumerated() {
      accuracy.add("η = \(Format.shortest(rate))", y: runs[index].validationAccuracies)
    }
    try context.save(accuracy, as: "validation-accuracy")

    context.record("learningRates", rates)
    context.record("finalValidationAccuracy", finalValidation)
    context.record("bestLearningRate", rates[best])
    context.record("testAccuracy", testAccuracies[best])
    context.record("testAccuracyPerLearningRate", testAccuracies)
    context.record("trainLossPerEpoch", runs.map { $0.map(\.meanLoss) })
    context.record("validationLossPerEpoch", runs.map { $0.map(\.validation.loss) })
    context.record("validationAccuracyPerEpoch", runs.map(\.validationAccuracies))
  }
}
