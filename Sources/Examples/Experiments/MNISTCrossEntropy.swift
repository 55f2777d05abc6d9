import AutoGrad
import NN

/// E19 (report 004 §2, part b): the network of `mnist-scratch-mse` — sigmoid hidden layers and a
/// softmax output — trained with cross-entropy instead of the squared error, and compared with
/// the squared-error network on the same data, initial weights and batches.
///
/// The squared error is trained at the same learning rate as the cross-entropy and at its own
/// (E18's default): the softmax Jacobian and the 2/K factor make its gradients much smaller, so
/// at the same rate it learns far more slowly.
struct MNISTCrossEntropy: Experiment {
  static let name = "mnist-ce"
  static let summary = "The same sigmoid MLP trained with softmax + cross-entropy, against MSE"

  static let hidden = Option<[Double]>(
    "hidden", default: [128, 64], help: "hidden-layer widths (sigmoid), e.g. 128,64")
  static let epochs = Option<Int>(
    "epochs", default: 30, quick: 2, range: 1...10_000, help: "epochs")
  static let learningRate = Option<Double>(
    "lr", default: 1, range: 1e-9...1000, help: "SGD learning rate (cross-entropy)")
  static let mseLearningRate = Option<Double>(
    "mse-lr", default: 10, range: 1e-9...1000,
    help: "learning rate of the squared-error comparison run (E18's default)")
  static let batchSize = Option<Int>(
    "batch-size", default: 32, range: 1...60_000, help: "mini-batch size")
  static let trainSize = MNISTSplits.trainSize
  static let validationSize = MNISTSplits.validationSize
  static let testSize = MNISTSplits.testSize

  static var extraOptions: [OptionSpec] {
    [
      hidden.spec, epochs.spec, learningRate.spec, mseLearningRate.spec, batchSize.spec,
      trainSize.spec, validationSize.spec, testSize.spec,
    ]
  }

  let context: RunContext
  let hiddenSizes: [Int]

  init(context: RunContext) throws {
    self.context = context
    hiddenSizes = try layerSizes(context[Self.hidden], option: Self.hidden.spec.name)
    context.results.recordParameter("dtype", "float64")
    context.results.recordParameter("layerSizes", [784] + hiddenSizes + [10])
  }

  /// A fresh network with the run's initial weights (the same for every loss).
  func freshModel() -> Sequential {
    var generator = SeededGenerator(seed: context.seed)
    return makeMLP(
      inputSize: 784, hidden: hiddenSizes, outputSize: 10, activation: .sigmoid, dtype: .float64,
      using: &generator)
  }

  func run() throws {
    let console = context.console
    let splits = try context.loadMNISTSplits(
      trainingSize: context[Self.trainSize], validationSize: context[Self.validationSize],
      testSize: context[Self.testSize], dtype: .float64)
    let (epochs, batchSize) = (context[Self.epochs], context[Self.batchSize])
    let (rate, mseRate) = (context[Self.learningRate], context[Self.mseLearningRate])
    let shape = ([784] + hiddenSizes + [10]).map(String.init).joined(separator: "-")

    // Cross-entropy: the logits go into CrossEntropyLoss (log-softmax + NLL in one stable op).
    console.heading(
      "Training \(shape) (sigmoid, softmax) with cross-entropy, lr \(Format.shortest(rate)):")
    let model = freshModel()
    let training = EpochwiseTraining(
      epochs: epochs, batchSize: batchSize, learningRate: { _ in rate }, seed: context.seed)
    var elapsed = 0.0
    let crossEntropy = training.run(
      model, training: splits.training, validation: splits.validation, console: console,
      label: "CE"
    ) { record in
      elapsed += record.seconds
      console.print("CE  " + record.line(cumulativeSeconds: elapsed))
    }
    let test = evaluate(model, head: .multiclass, on: splits.test)

    // The squared error, on the same initial weights and batches (hand gradients, E18's loop).
    var runs: [(name: String, records: [EpochRecord], test: Evaluation, rate: Double)] = [
      ("cross-entropy", crossEntropy, test, rate)
    ]
    for mseRun in Array(Set([rate, mseRate])).sorted() {
      console.heading(
        "The same network with the squared error (MSE), lr \(Format.shortest(mseRun)):")
      let mseModel = freshModel()
      let trainer = ScratchTrainer(
        model: mseModel, epochs: epochs, learningRate: mseRun, batchSize: batchSize,
        seed: context.seed, checkEvery: nil)
      let result = trainer.run(
        training: splits.training, validation: splits.validation, console: console, label: "MSE")
      let mseTest = evaluate(mseModel, head: .multiclass, on: splits.test)
      runs.append(("MSE, lr \(Format.shortest(mseRun))", result.records, mseTest, mseRun))
    }

    console.heading("Accuracy after \(epochs) epochs:")
    var table = Table(header: ["loss", "lr", "training", "validation", "test"])
    for run in runs {
      table.addRow([
        run.name.hasPrefix("MSE") ? "MSE" : run.name, Format.shortest(run.rate),
        Format.fixed(run.records.last?.training.accuracy ?? .nan, 4),
        Format.fixed(run.records.last?.validation.accuracy ?? .nan, 4),
        Format.fixed(run.test.accuracy, 4),
      ])
    }
    console.print(table)

    let chart = [EpochRecord].accuracyChart(
      title: "Cross-entropy against squared error (sigmoid MLP, softmax)",
      runs: runs.map {
        ($0.name == "cross-entropy" ? "CE, lr \(Format.shortest(rate))" : $0.name, $0.records)
      })
    try context.save(chart, as: "accuracy")
    let own = [EpochRecord].accuracyChart(
      title: "Sigmoid MLP, softmax + cross-entropy", runs: [("cross-entropy", crossEntropy)])
    try context.save(own, as: "accuracy-ce")

    context.record("testAccuracy", test.accuracy)
    context.record("trainAccuracy", crossEntropy.trainingAccuracies)
    context.record("valAccuracy", crossEntropy.validationAccuracies)
    for run in runs.dropFirst() {
      for suffix in [run.rate == mseRate ? "" : nil, run.rate == rate ? "SameLearningRate" : nil] {
        guard let suffix else { continue }
        context.record("mseTestAccuracy" + suffix, run.test.accuracy)
        context.record("mseValAccuracy" + suffix, run.records.validationAccuracies)
      }
    }
  }
}
