import AutoGrad
import Foundation
import NN

/// E8 (report 002, §1.3): a multi-layer perceptron with one hidden layer of 200 ReLU units and
/// a softmax output, trained by per-sample SGD on the cross-entropy (learning rate 0.001, 20
/// epochs); accuracy per epoch, the loss per epoch, and the loss on a log scale. The report
/// (OCTMNIST): test 0.7561.
///
/// Initialisation (`--init`): `normal` is the homework's, as we read its handout (the report
/// does not state it): weights w ~ N(0.1, 0.1²), biases 0 — with positive pixels this starts
/// from very large logits, hence the report's steep first drop of the loss and its log-scale
/// plot; `pytorch` is `Linear`'s default.
struct MLPOneHidden: Experiment {
  static let name = "mlp-one-hidden"
  static let summary = "One-hidden-layer MLP (200 ReLU), per-sample SGD, lr 0.001, 20 epochs"
  static let defaultDataset = MulticlassDataset.octmnist.rawValue

  /// How the weights start.
  enum Initialization: String, CaseIterable, OptionChoice {
    /// Weights N(0.1, 0.1²), biases 0 (the homework's).
    case normal
    /// PyTorch's `Linear` default: U(−1/√fan-in, 1/√fan-in) for weights and biases.
    case pytorch
  }

  static let epochs = Option<Int>("epochs", default: 20, quick: 3, range: 1...1000, help: "epochs")
  static let learningRate = Option<Double>(
    "lr", default: 0.001, range: 1e-9...100, help: "SGD learning rate")
  static let hiddenSize = Option<Int>(
    "hidden-size", default: 200, range: 1...100_000, help: "hidden units")
  static let initialization = Option<Initialization>(
    "init", default: .normal, help: "weight initialisation")
  static let trainSize = Option<Int>(
    "train-size", default: 0, quick: 2000, range: 0...1_000_000,
    help: "use the first N training images (0: all)")
  static var extraOptions: [OptionSpec] {
    [epochs.spec, learningRate.spec, hiddenSize.spec, initialization.spec, trainSize.spec]
  }

  /// The report's test accuracy (OCTMNIST).
  static let reportTestAccuracy = 0.7561

  let context: RunContext
  let dataset: MulticlassDataset

  init(context: RunContext) throws {
    self.context = context
    dataset = try context.multiclassDataset()
  }

  func run() throws {
    let console = context.console
    let epochs = context[Self.epochs]
    let splits = try context.loadMulticlassSplits(dataset, trainSize: context[Self.trainSize])
    let model = Self.makeModel(
      inputSize: splits.inputSize, hiddenSize: context[Self.hiddenSize],
      classes: splits.classCount, initialization: context[Self.initialization],
      seed: context.seed)
    console.print(
      "MLP \(splits.inputSize)-\(context[Self.hiddenSize])-\(splits.classCount) (ReLU), "
        + "\(model.parameterCount) parameters, \(context[Self.initialization].rawValue) "
        + "initialisation; per-sample SGD")

    let clock = ContinuousClock()
    let start = clock.now
    var warned = false
    let training = MulticlassTraining(
      epochs: epochs, batchSize: 1, learningRate: context[Self.learningRate],
      seed: context.seed, scoresTrainingSet: true)
    let records = training.run(
      model, training: splits.training, validation: splits.validation, console: console
    ) { record in
      console.print(MulticlassReport.epochLine(record, of: epochs))
      if !warned,
        let warning = MulticlassReport.longRunWarning(
          elapsed: (clock.now - start).seconds, fractionDone: Double(record.epoch) / Double(epochs))
      {
        console.notice(warning)
        warned = true
      }
    }
    let test = evaluateInEvalMode(model, on: splits.test).accuracy
    console.print("Final test acc: " + Format.fixed(test, 4))
    console.heading("Test accuracy (report's Table 1) " + MulticlassReport.comparisonNote(dataset))
    console.print(
      MulticlassReport.table(
        ["Classifier", "Accuracy"], rows: [("MLP", [test], [Self.reportTestAccuracy])],
        reportHeader: [MulticlassReport.reportColumn]))

    let title = "One-hidden-layer MLP (\(dataset.displayName))"
    var accuracy = SVGChart(title: title, xLabel: "epoch", yLabel: "accuracy")
    accuracy.add("training", y: records.trainingAccuracies)
    accuracy.add("validation", y: records.validationAccuracies)
    try context.save(accuracy, as: "accuracy")
    try context.save(MulticlassReport.lossChart(records, title: title + ": loss"), as: "loss")
    try context.save(
      MulticlassReport.lossChart(records, title: title + ": loss (log scale)", logY: true),
      as: "loss-log")

    context.record("testAccuracy", test)
    context.record("finalTrainAccuracy", records.last?.training.accuracy ?? .nan)
    context.record("finalValidationAccuracy", records.last?.validation.accuracy ?? .nan)
    context.record("trainLossPerEpoch", records.map(\.meanLoss))
    context.record("validationLossPerEpoch", records.map(\.validation.loss))
    context.record("trainAccuracyPerEpoch", records.trainingAccuracies)
    context.record("validationAccuracyPerEpoch", records.validationAccuracies)
    context.record("trainSeconds", records.reduce(0) { $0 + $1.seconds })
  }

  /// `Linear(inputSize, hiddenSize) → ReLU → Linear(hiddenSize, classes)`, initialised as
  /// `initialization` says from `seed`.
  static func makeModel(
    inputSize: Int, hiddenSize: Int, classes: Int, initialization: Initialization, seed: UInt64
  ) -> Sequential {
    var generator = SeededGenerator(seed: seed)
    let hidden = Linear(inputSize, hiddenSize, using: &generator)
    let output = Linear(hiddenSize, classes, using: &generator)
    if initialization == .normal {
      for layer in [hidden, output] {
        layer.weight.assign(
          from: Tensor.normal(layer.weight.shape, mean: 0.1, std: 0.1, using: &generator))
        if let bias = layer.bias { Init.zeros(bias) }
      }
    }
    return Sequential(hidden, ReLU(), output)
  }
}
