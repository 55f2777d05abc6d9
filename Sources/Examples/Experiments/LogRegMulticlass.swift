import AutoGrad
import Foundation
import NN

/// E7 (report 002, §1.2): multinomial logistic regression on 785 inputs (bias + pixels),
/// zero-initialised, trained by per-sample SGD on the cross-entropy for 20 epochs, once with
/// learning rate 0.01 and once with 0.001; training and validation accuracy per epoch, test
/// accuracy at the end. The report (OCTMNIST): test 0.5784 (η = 0.01) and 0.5936 (η = 0.001).
///
/// The model is a zero-initialised `Linear(784, classes)`: its bias is the weight of the
/// homework's constant input 1, so it is the same 785-input model, and the tape's gradient of
/// the cross-entropy is the homework's update `W += η·(e_y − softmax(Wx))·xᵀ`.
struct LogRegMulticlass: Experiment {
  static let name = "logreg-multiclass"
  static let summary = "Multinomial logistic regression, per-sample SGD, lr 0.01 and 0.001"
  static let defaultDataset = MulticlassDataset.octmnist.rawValue

  static let epochs = Option<Int>("epochs", default: 20, quick: 3, range: 1...1000, help: "epochs")
  static let learningRates = Option<[Double]>(
    "lr", default: [0.01, 0.001], range: 1e-9...100, help: "learning rates, one run each")
  static let trainSize = Option<Int>(
    "train-size", default: 0, quick: 2000, range: 0...1_000_000,
    help: "use the first N training images (0: all)")
  static var extraOptions: [OptionSpec] { [epochs.spec, learningRates.spec, trainSize.spec] }

  /// The report's test accuracy for each learning rate (OCTMNIST).
  static let reportTestAccuracy: [Double: Double] = [0.01: 0.5784, 0.001: 0.5936]

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
    let clock = ContinuousClock()
    let start = clock.now
    var warned = false

    var runs: [[EpochRecord]] = []
    var testAccuracies: [Double] = []
    for (index, rate) in rates.enumerated() {
      console.heading("Learning rate \(Format.shortest(rate)):")
      let model = zeroInitializedLinear(splits.inputSize, splits.classCount)
      let training = MulticlassTraining(
        epochs: epochs, batchSize: 1, learningRate: rate, seed: context.seed,
        scoresTrainingSet: true)
      let records = training.run(
        model, training: splits.training, validation: splits.validation, console: console,
        label: "lr \(Format.shortest(rate))"
      ) { record in
        console.print(MulticlassReport.epochLine(record, of: epochs))
        let done = Double(index * epochs + record.epoch) / Double(rates.count * epochs)
        if !warned,
          let warning = MulticlassReport.longRunWarning(
            elapsed: (clock.now - start).seconds, fractionDone: done)
        {
          console.notice(warning)
          warned = true
        }
      }
      let test = evaluateInEvalMode(model, on: splits.test).accuracy
      console.print("Final test acc: " + Format.fixed(test, 4))
      runs.append(records)
      testAccuracies.append(test)

      var chart = SVGChart(
        title: "Logistic regression, η = \(Format.shortest(rate)) (\(dataset.displayName))",
        xLabel: "epoch", yLabel: "accuracy")
      chart.add("training", y: records.trainingAccuracies)
      chart.add("validation", y: records.validationAccuracies)
      try context.save(chart, as: "accuracy-lr" + MulticlassReport.slug(rate))
    }

    console.heading("Test accuracy (report's Table 1) " + MulticlassReport.comparisonNote(dataset))
    console.print(
      MulticlassReport.table(
        ["Classifier", "Accuracy"],
        rows: rates.indices.map { i in
          (
            "logistic regression with η = \(Format.shortest(rates[i]))", [testAccuracies[i]],
            [Self.reportTestAccuracy[rates[i]]]
          )
        }, reportHeader: [MulticlassReport.reportColumn]))

    context.record("learningRates", rates)
    context.record("testAccuracy", testAccuracies)
    context.record("finalTrainAccuracy", runs.map { $0.last?.training.accuracy ?? .nan })
    context.record("finalValidationAccuracy", runs.map { $0.last?.validation.accuracy ?? .nan })
    context.record("trainAccuracyPerEpoch", runs.map(\.trainingAccuracies))
    context.record("validationAccuracyPerEpoch", runs.map(\.validationAccuracies))
    context.record("trainSeconds", runs.map { $0.reduce(0) { $0 + $1.seconds } })
  }
}
