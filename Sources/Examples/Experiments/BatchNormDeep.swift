import AutoGrad
import NN

/// E22 (a written question, measured): batch normalisation lets a deep sigmoid network train at
/// a learning rate where the plain network does not get anywhere. Two networks with the same
/// depth, widths, initial `Linear` weights, batches, epochs and learning rate — one with
/// `BatchNorm1d` between each hidden `Linear` and its sigmoid, one without — trained by SGD on
/// cross-entropy; the BatchNorm network is scored in evaluation mode (running statistics).
struct BatchNormDeep: Experiment {
  static let name = "batchnorm"
  static let summary = "Deep sigmoid MLP with and without BatchNorm at a high learning rate"

  static let depth = Option<Int>(
    "depth", default: 8, quick: 6, range: 1...100, help: "hidden layers")
  static let width = Option<Int>(
    "width", default: 128, quick: 64, range: 1...10_000, help: "units per hidden layer")
  static let learningRate = Option<Double>(
    "lr", default: 1, range: 1e-9...1000, help: "SGD learning rate (the same for both)")
  static let epochs = Option<Int>(
    "epochs", default: 10, quick: 2, range: 1...10_000, help: "epochs")
  static let batchSize = Option<Int>(
    "batch-size", default: 64, range: 2...60_000, help: "mini-batch size")
  static let trainSize = MNISTSplits.trainSize
  static let validationSize = MNISTSplits.validationSize
  static let testSize = MNISTSplits.testSize

  static var extraOptions: [OptionSpec] {
    [
      depth.spec, width.spec, learningRate.spec, epochs.spec, batchSize.spec, trainSize.spec,
      validationSize.spec, testSize.spec,
    ]
  }

  let context: RunContext
  init(context: RunContext) throws { self.context = context }

  func run() throws {
    let console = context.console
    let splits = try context.loadMNISTSplits(
      trainingSize: context[Self.trainSize], validationSize: context[Self.validationSize],
      testSize: context[Self.testSize])
    let hidden = Array(repeating: context[Self.width], count: context[Self.depth])
    let rate = context[Self.learningRate]
    let shape = ([784] + hidden + [10]).map(String.init).joined(separator: "-")
    var runs: [(name: String, records: [EpochRecord], test: Evaluation)] = []
    for batchNorm in [false, true] {
      let name = batchNorm ? "with BatchNorm" : "without BatchNorm"
      console.heading("\(shape) sigmoid MLP \(name), lr \(Format.shortest(rate)):")
      // The same generator state for both: BatchNorm1d draws nothing, so the Linear layers
      // of the two networks start from identical weights.
      var generator = SeededGenerator(seed: context.seed)
      let model = makeMLP(
        inputSize: 784, hidden: hidden, outputSize: 10, activation: .sigmoid,
        batchNorm: batchNorm, using: &generator)
      let training = EpochwiseTraining(
        epochs: context[Self.epochs], batchSize: context[Self.batchSize],
        learningRate: { _ in rate }, seed: context.seed)
      var elapsed = 0.0
      let records = training.run(
        model, training: splits.training, validation: splits.validation, console: console,
        label: batchNorm ? "BN" : "plain"
      ) { record in
        elapsed += record.seconds
        console.print(record.line(cumulativeSeconds: elapsed))
      }
      runs.append((name, records, evaluateInEvalMode(model, on: splits.test)))
    }

    console.heading(
      "Test accuracy after \(context[Self.epochs]) epochs at lr \(Format.shortest(rate)):")
    var table = Table(header: ["network", "training", "validation", "test", "seconds"])
    for run in runs {
      table.addRow([
        run.name, Format.fixed(run.records.last?.training.accuracy ?? .nan, 4),
        Format.fixed(run.records.last?.validation.accuracy ?? .nan, 4),
        Format.fixed(run.test.accuracy, 4),
        Format.fixed(run.records.reduce(0) { $0 + $1.seconds }, 1),
      ])
    }
    console.print(table)

    let chart = [EpochRecord].accuracyChart(
      title:
        "\(context[Self.depth])×\(context[Self.width]) sigmoid MLP, lr \(Format.shortest(rate))",
      runs: runs.map { ($0.name, $0.records) })
    try context.save(chart, as: "accuracy")
    var loss = SVGChart(title: "Training loss", xLabel: "epoch", yLabel: "cross-entropy")
    for run in runs { loss.add(run.name, y: run.records.map(\.meanLoss)) }
    try context.save(loss, as: "loss")

    context.record("accuracyWithBatchNorm", runs[1].test.accuracy)
    context.record("accuracyWithoutBatchNorm", runs[0].test.accuracy)
    context.record("valAccuracyWithBatchNorm", runs[1].records.validationAccuracies)
    context.record("valAccuracyWithoutBatchNorm", runs[0].records.validationAccuracies)
    context.record("trainLossWithBatchNorm", runs[1].records.map(\.meanLoss))
    context.record("trainLossWithoutBatchNorm", runs[0].records.map(\.meanLoss))
  }
}
