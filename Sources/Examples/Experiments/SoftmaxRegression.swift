import AutoGrad
import NN

/// E15 (report 003, task 3): softmax regression on the ten digits, scored on two validation
/// sets: the last 2,000 test images (sequential, the report's first choice) and 2,000 test
/// images drawn at random. The validation sets do not influence training (no early stopping),
/// so one training run is scored on both at every evaluation: the curves differ only by the
/// set.
struct SoftmaxRegression: Experiment {
  static let name = "softmax-regression"
  static let summary = "Softmax regression, sequential vs random validation set, class balance"

  static let epochs = Report003Options.epochs
  static let learningRate = Option<Double>(
    "lr", default: 0.01, range: 1e-9...100, help: "SGD learning rate")
  static let batchSize = Report003Options.batchSize
  static let evaluations = Report003Options.evaluations
  static let trainSize = Report003Options.trainSize
  static let validationSize = Option<Int>(
    "validation-size", default: 2000, range: 100...10_000,
    help: "validation images: the last N test images, and N drawn at random")
  static let shuffle = Report003Options.shuffle
  static let pixels = Report003Options.pixels

  static var extraOptions: [OptionSpec] {
    [
      epochs.spec, learningRate.spec, batchSize.spec, evaluations.spec, trainSize.spec,
      validationSize.spec, shuffle.spec, pixels.spec,
    ]
  }

  /// The report's class-distribution figures for the last 2,000 test images.
  static let reportClassPercent = [10.35, 11.50, 9.90, 10.35, 9.70, 8.45, 10.10, 10.75, 9.35, 9.55]

  let context: RunContext
  init(context: RunContext) throws { self.context = context }

  func run() throws {
    let console = context.console
    let trainImages = try context.loadMNIST(.train).prefix(context[Self.trainSize])
    let test = try context.loadMNIST(.test)
    let pixels = context[Self.pixels]
    let count = context[Self.validationSize]
    let training = TensorDataset(
      inputs: pixels.features(trainImages), targets: trainImages.labelsTensor())
    let sequential = test.suffix(count)
    let sequentialSet = TensorDataset(
      inputs: pixels.features(sequential), targets: sequential.labelsTensor())
    let randomSet = TensorDataset(inputs: pixels.features(test), targets: test.labelsTensor())
      .split(.random(count: count, seed: context.seed)).validation
    let randomLabels = randomSet.targets.scalars(as: Double.self).map { Int($0) }

    let sequentialPercent = Self.classPercent(sequential.labels, classes: 10)
    let randomPercent = Self.classPercent(randomLabels, classes: 10)
    console.heading("Class distribution of the validation set, last \(count) test images (%):")
    console.print(Self.distributionTable(sequentialPercent))
    console.heading(
      "Class distribution of \(count) test images drawn at random (seed \(context.seed)) (%):")
    console.print(Self.distributionTable(randomPercent))
    if count == 2000 {
      let matches = zip(sequentialPercent, Self.reportClassPercent).allSatisfy {
        Format.fixed($0, 2) == Format.fixed($1, 2)
      }
      console.print(
        "(report, sequential: \(Format.list(Self.reportClassPercent, 2, zeroPadTo: 5)); "
          + (matches ? "identical)" : "DIFFERENT)"))
    }

    var plan = TrainingPlan(
      epochs: context[Self.epochs], batchSize: context[Self.batchSize],
      learningRate: context[Self.learningRate])
    plan.shuffle = context[Self.shuffle]
    plan.seed = context.seed
    plan.dropLast = true
    plan.evaluation = .timesPerEpoch(context[Self.evaluations])
    plan.evaluateTrainingSet = true
    let history = trainClassifier(
      zeroInitializedLinear(784, 10), head: .multiclass, training: training,
      validation: [sequentialSet, randomSet], plan: plan, console: console)

    let names = ["sequential (last \(count))", "random \(count)"]
    console.heading("After \(plan.epochs) epochs (\(history.stepLosses.count) steps):")
    var table = Table(header: [
      "validation set", "val loss", "val accuracy", "best val accuracy", "train accuracy",
    ])
    let last = history.evaluations.last
    for (index, name) in names.enumerated() {
      let best = history.evaluations.map { $0.validation[index].accuracy }.max() ?? .nan
      table.addRow([
        name,
        last.map { Format.fixed($0.validation[index].loss, 4) } ?? "-",
        last.map { Format.percent($0.validation[index].accuracy, 2) } ?? "-",
        Format.percent(best, 2),
        last?.training.map { Format.percent($0.accuracy, 2) } ?? "-",
      ])
    }
    console.print(table)
    if let last, let train = last.training {
      let gap = last.validation[0].accuracy - train.accuracy
      console.print(
        "Validation accuracy minus training accuracy: sequential "
          + Format.fixed(gap * 100, 2) + " points, random "
          + Format.fixed((last.validation[1].accuracy - train.accuracy) * 100, 2) + " points")
    }

    try context.save(
      history.lossChart(
        title: "Softmax regression: loss", validationNames: names, yLabel: "cross-entropy"),
      as: "loss")
    try context.save(
      history.accuracyChart(title: "Softmax regression: accuracy", validationNames: names),
      as: "accuracy")

    context.record("validationClassPercent", sequentialPercent)
    context.record("randomValidationClassPercent", randomPercent)
    context.record("sequentialValAccuracy", history.finalAccuracy(0))
    context.record("randomValAccuracy", history.finalAccuracy(1))
    context.record("sequentialValLoss", last?.validation[0].loss)
    context.record("randomValLoss", last?.validation[1].loss)
    context.record("trainAccuracy", last?.training?.accuracy)
  }

  /// The share of each class among `labels`, in percent.
  static func classPercent(_ labels: [Int], classes: Int) -> [Double] {
    var counts = [Int](repeating: 0, count: classes)
    for label in labels { counts[label] += 1 }
    return counts.map { labels.isEmpty ? .nan : 100 * Double($0) / Double(labels.count) }
  }

  /// The report's layout: a tab-separated header of classes, then `%` and the shares, each
  /// with two decimals and zero-padded to five characters (`09.90`).
  static func distributionTable(_ percent: [Double]) -> String {
    "\t" + percent.indices.map(String.init).joined(separator: "\t") + "\n%\t"
      + Format.list(percent, 2, zeroPadTo: 5, separator: "\t")
  }
}
