import AutoGrad
import Foundation
import NN

/// E3 (report 001, §1.2): a 784-3136-1568-10 ReLU network trained on all of MNIST with plain
/// SGD (learning rate 0.1, batch 32, 6 epochs) and cross-entropy; test accuracy after each
/// epoch. The report's model reached 98.0 %.
///
/// Inputs are the pixels divided by 255 (PyTorch's `ToTensor`); the layers start from
/// PyTorch's default initialisation drawn from `--seed`; the batches are shuffled every epoch
/// (PyTorch's usual `shuffle=True` for training).
struct MLPTwoHidden: Experiment {
  static let name = "mlp-two-hidden"
  static let summary = "784-3136-1568-10 ReLU MLP, SGD, full MNIST (the heaviest run)"

  static let epochs = Option<Int>("epochs", default: 6, quick: 2, range: 1...1000, help: "epochs")
  static let learningRate = Option<Double>(
    "lr", default: 0.1, range: 1e-9...100, help: "SGD learning rate")
  static let batchSize = Option<Int>(
    "batch-size", default: 32, range: 1...60_000, help: "mini-batch size")
  static let hidden1 = Option<Int>(
    "hidden1", default: 3136, quick: 128, range: 1...100_000, help: "units in hidden layer 1")
  static let hidden2 = Option<Int>(
    "hidden2", default: 1568, quick: 64, range: 1...100_000, help: "units in hidden layer 2")
  static let trainSize = Option<Int>(
    "train-size", default: 60_000, quick: 2000, range: 1...60_000,
    help: "first N training images")
  static let testSize = Option<Int>(
    "test-size", default: 10_000, quick: 1000, range: 1...10_000, help: "first N test images")
  static let shuffle = Option<Bool>(
    "shuffle", default: true, help: "shuffle the batches every epoch (--shuffle=false: in order)")

  static var extraOptions: [OptionSpec] {
    [
      epochs.spec, learningRate.spec, batchSize.spec, hidden1.spec, hidden2.spec,
      trainSize.spec, testSize.spec, shuffle.spec,
    ]
  }

  /// The report's test accuracy.
  static let reportAccuracy = 0.980

  let context: RunContext
  init(context: RunContext) throws { self.context = context }

  func run() throws {
    let console = context.console
    let clock = ContinuousClock()
    let start = clock.now
    let trainImages = try context.loadMNIST(.train).prefix(context[Self.trainSize])
    let testImages = try context.loadMNIST(.test).prefix(context[Self.testSize])
    let training = TensorDataset(
      inputs: trainImages.features(), targets: trainImages.labelsTensor())
    let test = TensorDataset(inputs: testImages.features(), targets: testImages.labelsTensor())

    var generator = SeededGenerator(seed: context.seed)
    let sizes = [784, context[Self.hidden1], context[Self.hidden2], 10]
    let model = Self.makeModel(sizes: sizes, using: &generator)
    var plan = TrainingPlan(
      epochs: context[Self.epochs], batchSize: context[Self.batchSize],
      learningRate: context[Self.learningRate])
    plan.shuffle = context[Self.shuffle]
    plan.seed = context.seed
    let flops = Self.trainingFLOPs(sizes: sizes, samples: training.count)
    console.print(
      "Network \(sizes.map(String.init).joined(separator: "-")), \(model.parameterCount) "
        + "parameters; \(training.count) training and \(test.count) test images; about "
        + (flops >= 1e11
          ? Format.fixed(flops / 1e12, 2) + " TFLOP"
          : Format.fixed(flops / 1e9, 2)
            + " GFLOP") + " per epoch")

    console.heading("epoch  train loss  train acc  test loss  test acc  seconds")
    let history = trainClassifier(
      model, head: .multiclass, training: training, validation: [test], plan: plan,
      console: console
    ) { summary in
      let test = summary.evaluation?.validation[0]
      console.print(
        Format.pad("\(summary.epoch)", to: 5, right: true)
          + Format.pad(Format.fixed(summary.meanLoss, 4), to: 12, right: true)
          + Format.pad(Format.percent(summary.runningAccuracy, 2), to: 11, right: true)
          + Format.pad(test.map { Format.fixed($0.loss, 4) } ?? "-", to: 11, right: true)
          + Format.pad(test.map { Format.percent($0.accuracy, 2) } ?? "-", to: 10, right: true)
          + Format.pad(Format.fixed(summary.seconds, 1), to: 9, right: true))
    }

    let accuracy = history.finalAccuracy()
    let wall = (clock.now - start).seconds
    let trainingSeconds = history.epochSeconds.reduce(0, +)
    console.heading(
      "This model had an accuracy of \(Format.fixed(accuracy * 100, 1))% "
        + "(report: \(Format.fixed(Self.reportAccuracy * 100, 1))%).")
    console.print(
      "Wall time \(Format.seconds(wall)); training \(Format.seconds(trainingSeconds)), "
        + Format.seconds(trainingSeconds / Double(max(1, history.epochs.count))) + " per epoch ("
        + Format.fixed(flops / 1e9 / max(1e-9, trainingSeconds / Double(history.epochs.count)), 1)
        + " GFLOP/s)")

    var loss = SVGChart(
      title: "Two-hidden-layer MLP: loss", xLabel: "epoch", yLabel: "cross-entropy")
    loss.add("training (mean over the epoch)", y: history.epochs.map(\.meanLoss))
    loss.add("test", y: history.evaluations.map { $0.validation[0].loss })
    try context.save(loss, as: "loss")
    var accuracyChart = SVGChart(
      title: "Two-hidden-layer MLP: accuracy", xLabel: "epoch", yLabel: "accuracy")
    accuracyChart.add("training (running)", y: history.epochs.map(\.runningAccuracy))
    accuracyChart.add("test", y: history.evaluations.map { $0.validation[0].accuracy })
    try context.save(accuracyChart, as: "accuracy")

    context.record("testAccuracy", accuracy)
    context.record("epochSeconds", history.epochSeconds)
    context.record("testAccuracyPerEpoch", history.evaluations.map { $0.validation[0].accuracy })
    context.record("trainLossPerEpoch", history.epochs.map(\.meanLoss))
    context.record("trainSeconds", trainingSeconds)
  }

  /// `Linear, ReLU, …, Linear` through `sizes` (input, hidden…, output).
  static func makeModel(sizes: [Int], using generator: inout SeededGenerator) -> Sequential {
    var layers: [any Module] = []
    for (index, (inputs, outputs)) in zip(sizes, sizes.dropFirst()).enumerated() {
      if index > 0 { layers.append(ReLU()) }
      layers.append(Linear(inputs, outputs, using: &generator))
    }
    return Sequential(layers)
  }

  /// Floating-point operations of one training epoch, counting 2 per multiply-add: per sample
  /// and layer, the forward product, the weight gradient and the input gradient (`6·weights`),
  /// except the first layer's input gradient, which is not computed (the images need none).
  static func trainingFLOPs(sizes: [Int], samples: Int) -> Double {
    let weights = zip(sizes, sizes.dropFirst()).map { $0 * $1 }
    return Double(6 * weights.reduce(0, +) - 2 * (weights.first ?? 0)) * Double(samples)
  }
}
