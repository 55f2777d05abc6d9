import AutoGrad
import Foundation
import NN

/// E4 (report 001, §1.1): the written answer on online learning, measured. The report says that
/// batch size 1 trains more slowly (one sample per update, no parallel work per step) but may
/// generalise better. Here a small ReLU MLP is trained with each batch size from the same
/// initial weights, and the time per epoch and the test accuracy after every epoch are compared.
///
/// A subset of the training images keeps the batch-1 run short (every sample is one full
/// forward and backward pass through the tape); each batch size has its own learning rate,
/// since with a mean loss a batch of 32 takes 32 times fewer steps per epoch. The largest batch
/// size then goes on training (`--long-epochs`), to compare at equal training time as well: its
/// first epochs are exactly the shorter run (same seed, same shuffles).
struct OnlineVsMinibatch: Experiment {
  static let name = "online-vs-minibatch"
  static let summary = "Online (batch 1) vs mini-batch (32) SGD: time per epoch and accuracy"

  static let batchSizes = Option<[Double]>(
    "batch-sizes", default: [1, 32], range: 1...60_000, help: "batch sizes to compare")
  static let learningRates = Option<[Double]>(
    "lr", default: [0.01, 0.1], range: 1e-9...100,
    help: "learning rate of each batch size (one value, or one per batch size)")
  static let epochs = Option<Int>(
    "epochs", default: 5, quick: 1, range: 1...1000, help: "epochs of every batch size")
  static let longEpochs = Option<Int>(
    "long-epochs", default: 30, quick: 2, range: 0...10_000,
    help: "epochs the largest batch size goes on to, for equal training time (0: none)")
  static let hidden = Option<Int>(
    "hidden", default: 100, quick: 32, range: 1...10_000, help: "hidden units")
  static let trainSize = Option<Int>(
    "train-size", default: 10_000, quick: 500, range: 1...60_000,
    help: "first N training images (a subset keeps batch 1 short)")
  static let testSize = Option<Int>(
    "test-size", default: 10_000, quick: 1000, range: 1...10_000, help: "first N test images")

  static var extraOptions: [OptionSpec] {
    [
      batchSizes.spec, learningRates.spec, epochs.spec, longEpochs.spec, hidden.spec,
      trainSize.spec, testSize.spec,
    ]
  }

  /// One batch size's outcome.
  struct Outcome {
    var batchSize: Int
    var learningRate: Double
    var history: TrainingHistory
    /// The epochs every batch size trains; `history` may go on further.
    var comparedEpochs: Int

    /// Mean training seconds per epoch over the compared epochs.
    var secondsPerEpoch: Double {
      history.epochSeconds.prefix(comparedEpochs).reduce(0, +) / Double(comparedEpochs)
    }
    /// Test figures after the compared epochs.
    var test: Evaluation { history.evaluations[comparedEpochs - 1].validation[0] }
    /// Mean mini-batch loss of the last compared epoch.
    var trainLoss: Double { history.epochs[comparedEpochs - 1].meanLoss }
  }

  let context: RunContext
  let runs: [(batchSize: Int, learningRate: Double)]

  init(context: RunContext) throws {
    self.context = context
    let sizes = context[Self.batchSizes]
    let rates = context[Self.learningRates]
    guard sizes.allSatisfy({ $0 == $0.rounded() }) else {
      throw OptionsError.invalidValue(
        option: "batch-sizes", value: sizes.map(Format.shortest).joined(separator: ","),
        expected: "whole numbers")
    }
    guard rates.count == 1 || rates.count == sizes.count else {
      throw OptionsError.invalidValue(
        option: "lr", value: rates.map(Format.shortest).joined(separator: ","),
        expected: "one learning rate, or one per batch size (\(sizes.count))")
    }
    runs = sizes.enumerated().map { (Int($1), rates.count == 1 ? rates[0] : rates[$0]) }
  }

  func run() throws {
    let console = context.console
    let trainImages = try context.loadMNIST(.train).prefix(context[Self.trainSize])
    let testImages = try context.loadMNIST(.test).prefix(context[Self.testSize])
    let training = TensorDataset(
      inputs: trainImages.features(), targets: trainImages.labelsTensor())
    let test = TensorDataset(inputs: testImages.features(), targets: testImages.labelsTensor())
    let sizes = [784, context[Self.hidden], 10]
    console.print(
      "Network \(sizes.map(String.init).joined(separator: "-")) (ReLU), SGD, shuffled batches; "
        + "the first \(training.count) training images (a subset, so that batch 1 stays short) "
        + "and \(test.count) test images; the same initial weights for every run")

    let epochs = context[Self.epochs]
    let largest = runs.map(\.batchSize).max() ?? 1
    var outcomes: [Outcome] = []
    for run in runs {
      var generator = SeededGenerator(seed: context.seed)
      let model = MLPTwoHidden.makeModel(sizes: sizes, using: &generator)
      let goesOn = runs.count > 1 && run.batchSize == largest
      var plan = TrainingPlan(
        epochs: goesOn ? max(epochs, context[Self.longEpochs]) : epochs,
        batchSize: run.batchSize, learningRate: run.learningRate)
      plan.shuffle = true
      plan.seed = context.seed
      let history = trainClassifier(
        model, head: .multiclass, training: training, validation: [test], plan: plan,
        console: console, label: "batch \(run.batchSize)")
      outcomes.append(
        Outcome(
          batchSize: run.batchSize, learningRate: run.learningRate, history: history,
          comparedEpochs: epochs))
    }

    printResults(outcomes, samples: training.count)
    try saveCharts(outcomes)
    context.record("batchSizes", outcomes.map(\.batchSize))
    context.record("learningRates", outcomes.map(\.learningRate))
    context.record("secondsPerEpoch", outcomes.map(\.secondsPerEpoch))
    context.record("testAccuracy", outcomes.map(\.test.accuracy))
    context.record("epochSeconds", outcomes.map { $0.history.epochSeconds })
    context.record(
      "testAccuracyPerEpoch",
      outcomes.map { $0.history.evaluations.map { $0.validation[0].accuracy } })
  }

  /// How many of `epochSeconds` fit, one after another, within `budget` seconds.
  static func epochsWithin(_ budget: Double, epochSeconds: [Double]) -> Int {
    var elapsed = 0.0
    return epochSeconds.prefix { seconds in
      elapsed += seconds
      return elapsed <= budget
    }.count
  }

  private func printResults(_ outcomes: [Outcome], samples: Int) {
    let console = context.console
    let epochs = context[Self.epochs]
    console.heading("After \(epochs) epochs:")
    var table = Table(header: [
      "batch", "lr", "steps/epoch", "s/epoch", "µs/sample", "train loss", "test loss", "test acc",
    ])
    for outcome in outcomes {
      table.addRow([
        "\(outcome.batchSize)", Format.shortest(outcome.learningRate),
        "\(outcome.history.batchesPerEpoch)", Format.fixed(outcome.secondsPerEpoch, 2),
        Format.fixed(outcome.secondsPerEpoch / Double(samples) * 1e6, 1),
        Format.fixed(outcome.trainLoss, 4), Format.fixed(outcome.test.loss, 4),
        Format.percent(outcome.test.accuracy, 2),
      ])
    }
    console.print(table)
    guard let online = outcomes.min(by: { $0.batchSize < $1.batchSize }),
      let batched = outcomes.max(by: { $0.batchSize < $1.batchSize }),
      online.batchSize != batched.batchSize
    else { return }
    let ratio = online.secondsPerEpoch / batched.secondsPerEpoch
    let difference = (online.test.accuracy - batched.test.accuracy) * 100
    console.print(
      "Batch \(online.batchSize) takes \(Format.fixed(ratio, 1))× as long per epoch as batch "
        + "\(batched.batchSize); its test accuracy is \(Format.fixed(abs(difference), 2)) points "
        + (difference >= 0 ? "higher" : "lower") + " after the same number of epochs.")

    let long = batched.history
    guard long.epochs.count > epochs else { return }
    let onlineSeconds = online.history.epochSeconds.reduce(0, +)
    let within = Self.epochsWithin(onlineSeconds, epochSeconds: long.epochSeconds)
    var line =
      "Batch \(batched.batchSize) went on to \(long.epochs.count) epochs ("
      + Format.seconds(long.epochSeconds.reduce(0, +)) + " of training; batch "
      + "\(online.batchSize) took " + Format.seconds(onlineSeconds) + " for \(epochs)): test "
      + "accuracy " + Format.percent(long.finalAccuracy(), 2)
    if within > 0 {
      line +=
        "; after \(within) epochs, within batch \(online.batchSize)'s training time: "
        + Format.percent(long.evaluations[within - 1].validation[0].accuracy, 2)
    }
    console.print(line + ".")
  }

  private func saveCharts(_ outcomes: [Outcome]) throws {
    var byEpoch = SVGChart(
      title: "Test accuracy per epoch", xLabel: "epoch", yLabel: "test accuracy")
    var byTime = SVGChart(
      title: "Test accuracy against training time", xLabel: "training time (s)",
      yLabel: "test accuracy")
    for outcome in outcomes {
      let name = "batch \(outcome.batchSize), lr \(Format.shortest(outcome.learningRate))"
      let accuracy = outcome.history.evaluations.map { $0.validation[0].accuracy }
      byEpoch.add(name, y: accuracy)
      var elapsed = 0.0
      let times = outcome.history.epochSeconds.map {
        elapsed += $0
        return elapsed
      }
      byTime.add(name, x: times, y: accuracy)
    }
    try context.save(byEpoch, as: "accuracy-per-epoch")
    try context.save(byTime, as: "accuracy-per-second")
  }
}
