import AutoGrad
import NN
import Optim

/// E20 (report 004 §2, task 2b): the homework's "time-based learning rate" — it starts at a
/// positive integer and drops by 1 each step until it reaches 1 (`CountdownLR`) — and Keras's
/// time-based decay `η₀/(1 + k·t)` (`TimeBasedDecayLR`): both printed, then a training run with
/// each (and one at a constant rate for reference) on the sigmoid/softmax MLP of report 004. By
/// default both schedules start at 5, and the reference rate is the countdown's floor, 1.
///
/// Here t counts epochs, as the notebook's progress line does (`learning_rate(epoch)`); Keras
/// itself evaluates a `LearningRateSchedule` at every optimiser step, which with batches of 32
/// would bring the countdown to 1 after its first few batches.
struct TimeBasedLR: Experiment {
  static let name = "time-based-lr"
  static let summary = "The integer countdown schedule and η₀/(1 + k·t), printed and trained with"

  static let start = Option<Int>(
    "start", default: 5, range: 1...1000, help: "the countdown's first (integer) learning rate")
  static let initial = Option<Double>(
    "lr0", default: 5, range: 1e-9...1000, help: "η₀ of the time-based decay η₀/(1 + k·t)")
  static let decay = Option<Double>(
    "decay", default: 1, range: 0...1000, help: "k of the time-based decay η₀/(1 + k·t)")
  static let constant = Option<Double>(
    "constant-lr", default: 1, range: 1e-9...1000,
    help: "learning rate of the constant-rate reference run (the countdown's floor)")
  static let epochs = Option<Int>(
    "epochs", default: 10, quick: 2, range: 1...10_000, help: "epochs")
  static let hidden = Option<[Double]>(
    "hidden", default: [128, 64], help: "hidden-layer widths (sigmoid)")
  static let batchSize = Option<Int>(
    "batch-size", default: 32, range: 1...60_000, help: "mini-batch size")
  static let trainSize = MNISTSplits.trainSize
  static let validationSize = MNISTSplits.validationSize
  static let testSize = MNISTSplits.testSize

  static var extraOptions: [OptionSpec] {
    [
      start.spec, initial.spec, decay.spec, constant.spec, epochs.spec, hidden.spec, batchSize.spec,
      trainSize.spec, validationSize.spec, testSize.spec,
    ]
  }

  let context: RunContext
  let hiddenSizes: [Int]

  init(context: RunContext) throws {
    self.context = context
    hiddenSizes = try layerSizes(context[Self.hidden], option: Self.hidden.spec.name)
  }

  func run() throws {
    let console = context.console
    let epochs = context[Self.epochs]
    let countdown = CountdownLR(start: context[Self.start])
    let decay = TimeBasedDecayLR(initial: context[Self.initial], decay: context[Self.decay])
    let constant = LambdaLR(initial: context[Self.constant]) { _ in 1 }
    let schedules: [(name: String, key: String, schedule: any LearningRateSchedule)] = [
      ("countdown from \(countdown.start)", "countdown", countdown),
      (
        "η₀/(1 + k·t), η₀ = \(Format.shortest(decay.initial)), k = \(Format.shortest(decay.decay))",
        "decay", decay
      ),
      ("constant η = \(Format.shortest(constant.initial))", "constant", constant),
    ]

    // The schedules, printed for t = 0 … (long enough to see the countdown reach 1).
    let printed = max(epochs, countdown.start + 2)
    console.heading("Learning rate η(t), t counted in epochs:")
    console.print(Self.scheduleTable(countdown, decay, count: printed))

    let splits = try context.loadMNISTSplits(
      trainingSize: context[Self.trainSize], validationSize: context[Self.validationSize],
      testSize: context[Self.testSize])
    var runs: [(name: String, key: String, records: [EpochRecord], test: Evaluation)] = []
    for entry in schedules {
      console.heading("Training with \(entry.name):")
      var generator = SeededGenerator(seed: context.seed)
      let model = makeMLP(
        inputSize: 784, hidden: hiddenSizes, outputSize: 10, activation: .sigmoid,
        using: &generator)
      let training = EpochwiseTraining(
        epochs: epochs, batchSize: context[Self.batchSize],
        learningRate: { entry.schedule.learningRate(at: $0) }, seed: context.seed)
      var elapsed = 0.0
      let records = training.run(
        model, training: splits.training, validation: splits.validation, console: console,
        label: entry.key
      ) { record in
        elapsed += record.seconds
        console.print(record.line(cumulativeSeconds: elapsed, showsLearningRate: true))
      }
      runs.append(
        (entry.name, entry.key, records, evaluate(model, head: .multiclass, on: splits.test)))
    }

    console.heading("After \(epochs) epochs:")
    var results = Table(header: ["schedule", "training", "validation", "test"])
    for run in runs {
      results.addRow([
        run.name, Format.fixed(run.records.last?.training.accuracy ?? .nan, 4),
        Format.fixed(run.records.last?.validation.accuracy ?? .nan, 4),
        Format.fixed(run.test.accuracy, 4),
      ])
    }
    console.print(results)

    var rates = SVGChart(title: "Learning-rate schedules", xLabel: "epoch t", yLabel: "η(t)")
    for run in runs {
      rates.add(
        run.name, x: run.records.map { Double($0.epoch - 1) }, y: run.records.map(\.learningRate))
    }
    try context.save(rates, as: "schedules")
    let accuracy = [EpochRecord].accuracyChart(
      title: "Accuracy with each schedule", runs: runs.map { ($0.key, $0.records) })
    try context.save(accuracy, as: "accuracy")

    context.record("countdownSchedule", countdown.learningRates(count: printed))
    context.record("decaySchedule", decay.learningRates(count: printed))
    for run in runs {
      context.record(run.key + "TestAccuracy", run.test.accuracy)
      context.record(run.key + "ValAccuracy", run.records.validationAccuracies)
    }
  }

  /// The two schedules side by side for t = 0 … count − 1: t, the countdown, and the decay
  /// with four decimals.
  static func scheduleTable(
    _ countdown: CountdownLR, _ decay: TimeBasedDecayLR, count: Int
  ) -> Table {
    var table = Table(header: ["t", "countdown", "η₀/(1 + k·t)"])
    for t in 0..<count {
      table.addRow([
        String(t), Format.shortest(countdown.learningRate(at: t)),
        Format.fixed(decay.learningRate(at: t), 4),
      ])
    }
    return table
  }
}
