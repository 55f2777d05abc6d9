import AutoGrad
import Foundation
import NN

/// E21 (report 004 §1.3): the three hand-drawn sketches of training and test error, measured on
/// MNIST with a one-hidden-layer ReLU network trained by mini-batch SGD on cross-entropy:
///
/// 1. against the training-set size (a fixed number of steps for every size, so the small sets
///    are learnt by heart and the large ones are not);
/// 2. against the number of hidden units (model complexity) on a small fixed training set, with
///    a vertical line at the widest model the data supports — the one with the lowest
///    validation error;
/// 3. against the epochs, with the point where early stopping (on the validation loss) stops
///    and the epoch it would go back to.
///
/// "Test error" is measured on the MNIST test images, the stand-in for the sketches' infinite
/// test set; the validation images (for choosing the width and for early stopping) are the last
/// images of the training file.
struct GeneralizationCurves: Experiment {
  static let name = "generalization-curves"
  static let summary = "Train and test error against training-set size, hidden units and epochs"

  static let sizes = Option<[Double]>(
    "sizes", default: [100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000],
    quick: [100, 300, 1000], range: 10...50_000, help: "training-set sizes (plot 1)")
  static let units = Option<[Double]>(
    "units", default: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512], quick: [2, 8, 32],
    range: 1...10_000, help: "hidden-unit counts (plot 2)")
  static let steps = Option<Int>(
    "steps", default: 4000, quick: 200, range: 1...10_000_000,
    help: "SGD steps per training in plots 1 and 2")
  static let complexityTrainSize = Option<Int>(
    "complexity-train-size", default: 1000, quick: 300, range: 10...50_000,
    help: "training-set size of plots 2 and 3")
  static let hiddenUnits = Option<Int>(
    "hidden", default: 256, quick: 32, range: 1...10_000, help: "hidden units in plots 1 and 3")
  static let epochs = Option<Int>(
    "epochs", default: 150, quick: 5, range: 1...100_000, help: "epochs of plot 3")
  static let patience = Option<Int>(
    "patience", default: 10, quick: 2, range: 1...10_000,
    help: "early stopping: epochs without a better validation loss")
  static let learningRate = Option<Double>(
    "lr", default: 0.1, range: 1e-9...100, help: "SGD learning rate")
  static let batchSize = Option<Int>(
    "batch-size", default: 32, range: 1...60_000, help: "mini-batch size")
  static let validationSize = MNISTSplits.validationSize
  static let testSize = MNISTSplits.testSize

  static var extraOptions: [OptionSpec] {
    [
      sizes.spec, units.spec, steps.spec, complexityTrainSize.spec, hiddenUnits.spec,
      epochs.spec, patience.spec, learningRate.spec, batchSize.spec, validationSize.spec,
      testSize.spec,
    ]
  }

  let context: RunContext
  let trainingSizes: [Int]
  let unitCounts: [Int]

  init(context: RunContext) throws {
    self.context = context
    trainingSizes = try layerSizes(context[Self.sizes], option: Self.sizes.spec.name)
    unitCounts = try layerSizes(context[Self.units], option: Self.units.spec.name)
    let largest = (trainingSizes + [context[Self.complexityTrainSize]]).max() ?? 0
    if largest + context[Self.validationSize] > 60_000 {
      throw OptionsError.invalidValue(
        option: Self.validationSize.spec.name, value: String(context[Self.validationSize]),
        expected: "at most \(60_000 - largest) with a training set of \(largest) images")
    }
  }

  /// Train and test error of one trained model (and validation error where scored).
  struct Point {
    var x: Int
    var training: Evaluation
    var validation: Evaluation
    var test: Evaluation
  }

  func run() throws {
    let console = context.console
    let largest = (trainingSizes + [context[Self.complexityTrainSize]]).max() ?? 0
    let splits = try context.loadMNISTSplits(
      trainingSize: largest, validationSize: context[Self.validationSize],
      testSize: context[Self.testSize])

    // 1. Error against the training-set size.
    console.heading(
      "1. Error (%) against training-set size (\(context[Self.hiddenUnits]) hidden units, "
        + "\(context[Self.steps]) steps each):")
    var bySize: [Point] = []
    for size in trainingSizes {
      bySize.append(
        trainFixedSteps(
          hidden: context[Self.hiddenUnits], training: splits.training.subset(Array(0..<size)),
          splits: splits, x: size, label: "n = \(size)"))
    }
    printTable(bySize, xName: "train size")
    var sizeChart = SVGChart(
      title: "Error rate against training-set size",
      xLabel: "training-set size (log₁₀: 2 = 100, 4 = 10,000)", yLabel: "error rate (%)")
    addCurves(bySize, to: &sizeChart, x: { log10(Double($0)) })
    try context.save(sizeChart, as: "error-vs-training-size")

    // 2. Error against the number of hidden units.
    let complexitySize = context[Self.complexityTrainSize]
    let complexitySet = splits.training.subset(Array(0..<complexitySize))
    console.heading(
      "2. Error (%) against hidden units (\(complexitySize) training images, "
        + "\(context[Self.steps]) steps each):")
    var byUnits: [Point] = []
    for units in unitCounts {
      byUnits.append(
        trainFixedSteps(
          hidden: units, training: complexitySet, splits: splits, x: units,
          label: "\(units) units"))
    }
    printTable(byUnits, xName: "hidden units")
    let supported = byUnits.max { $0.validation.accuracy < $1.validation.accuracy }?.x ?? 0
    console.print(
      "  lowest validation error: \(supported) hidden units (the most complex model the data "
        + "supports)")
    var unitChart = SVGChart(
      title: "Error rate against model complexity (\(complexitySize) training images)",
      xLabel: "hidden units (log₂)", yLabel: "error rate (%)")
    addCurves(byUnits, to: &unitChart, x: { log2(Double($0)) })
    unitChart.markers.append(
      .init(x: log2(Double(supported)), label: "best validation: \(supported) units"))
    try context.save(unitChart, as: "error-vs-hidden-units")

    // 3. Error against epochs, with early stopping.
    let epochs = context[Self.epochs]
    console.heading(
      "3. Error (%) against epochs (\(complexitySize) training images, "
        + "\(context[Self.hiddenUnits]) hidden units), early stopping with patience "
        + "\(context[Self.patience]):")
    var generator = SeededGenerator(seed: context.seed)
    let model = makeMLP(
      inputSize: 784, hidden: [context[Self.hiddenUnits]], outputSize: 10, activation: .relu,
      using: &generator)
    let plan = TrainingPlan(
      epochs: epochs, batchSize: context[Self.batchSize],
      learningRate: context[Self.learningRate], shuffle: true, seed: context.seed,
      evaluateTrainingSet: true, earlyStoppingPatience: context[Self.patience],
      continueAfterStopping: true)
    let history = trainClassifier(
      model, head: .multiclass, training: complexitySet,
      validation: [splits.validation, splits.test], plan: plan, console: console,
      label: "epochs")
    let perEpoch = history.evaluations
    let batches = history.batchesPerEpoch
    let stopEpoch = history.stopStep.map { ($0 + 1) / batches }
    let bestEpoch = history.bestStep.map { ($0 + 1) / batches }
    var table = Table(header: ["epoch", "train", "validation", "test", "val loss"])
    for (index, point) in perEpoch.enumerated()
    where index < 10 || (index + 1) % 10 == 0 || index + 1 == stopEpoch || index + 1 == bestEpoch {
      table.addRow([
        String(index + 1), Self.percent(point.training?.accuracy ?? .nan),
        Self.percent(point.validation[0].accuracy), Self.percent(point.validation[1].accuracy),
        Format.fixed(point.validation[0].loss, 4),
      ])
    }
    console.print(table)
    if let stopEpoch, let bestEpoch {
      let bestLoss = Format.fixed(history.bestLoss ?? .nan, 4)
      let testAtBest = Self.percent(perEpoch[bestEpoch - 1].validation[1].accuracy)
      let testAtEnd = Self.percent(perEpoch.last?.validation[1].accuracy ?? .nan)
      console.print(
        "  early stopping stops after epoch \(stopEpoch) and goes back to epoch \(bestEpoch) "
          + "(lowest validation loss \(bestLoss)): test error \(testAtBest) % there, "
          + "\(testAtEnd) % after all \(perEpoch.count) epochs")
    } else {
      console.print("  early stopping did not fire within \(epochs) epochs")
    }
    var epochChart = SVGChart(
      title: "Error rate against training epochs (\(complexitySize) training images)",
      xLabel: "epoch", yLabel: "error rate (%)")
    let xs = perEpoch.indices.map { Double($0 + 1) }
    epochChart.add("training", x: xs, y: perEpoch.map { Self.error($0.training?.accuracy ?? .nan) })
    epochChart.add(
      "validation", x: xs, y: perEpoch.map { Self.error($0.validation[0].accuracy) }, dashed: true)
    epochChart.add("test", x: xs, y: perEpoch.map { Self.error($0.validation[1].accuracy) })
    if let bestEpoch { epochChart.markers.append(.init(x: Double(bestEpoch), label: "best")) }
    if let stopEpoch {
      epochChart.markers.append(.init(x: Double(stopEpoch), label: "early stop"))
    }
    try context.save(epochChart, as: "error-vs-epochs")
    var lossChart = SVGChart(
      title: "Cross-entropy against training epochs", xLabel: "epoch", yLabel: "cross-entropy")
    lossChart.add("training", x: xs, y: perEpoch.map { $0.training?.loss ?? .nan })
    lossChart.add("validation", x: xs, y: perEpoch.map { $0.validation[0].loss }, dashed: true)
    lossChart.logY = true
    if let stopEpoch { lossChart.markers.append(.init(x: Double(stopEpoch), label: "early stop")) }
    try context.save(lossChart, as: "loss-vs-epochs")

    context.record("trainingSizes", trainingSizes)
    context.record("trainErrorBySize", bySize.map { Self.error($0.training.accuracy) })
    context.record("testErrorBySize", bySize.map { Self.error($0.test.accuracy) })
    context.record("hiddenUnits", unitCounts)
    context.record("trainErrorByUnits", byUnits.map { Self.error($0.training.accuracy) })
    context.record("validationErrorByUnits", byUnits.map { Self.error($0.validation.accuracy) })
    context.record("testErrorByUnits", byUnits.map { Self.error($0.test.accuracy) })
    context.record("validationLossByUnits", byUnits.map(\.validation.loss))
    context.record("bestHiddenUnits", supported)
    context.record("trainErrorByEpoch", perEpoch.map { Self.error($0.training?.accuracy ?? .nan) })
    context.record("validationErrorByEpoch", perEpoch.map { Self.error($0.validation[0].accuracy) })
    context.record("testErrorByEpoch", perEpoch.map { Self.error($0.validation[1].accuracy) })
    context.record("earlyStoppingEpoch", stopEpoch ?? 0)
    context.record("bestEpoch", bestEpoch ?? 0)
  }

  /// Trains a fresh one-hidden-layer ReLU network for about `--steps` SGD steps (whole epochs)
  /// and scores it.
  func trainFixedSteps(
    hidden: Int, training: TensorDataset, splits: MNISTSplits, x: Int, label: String
  ) -> Point {
    var generator = SeededGenerator(seed: context.seed)
    let model = makeMLP(
      inputSize: 784, hidden: [hidden], outputSize: 10, activation: .relu, using: &generator)
    let batchSize = context[Self.batchSize]
    let epochs = Self.epochs(
      forSteps: context[Self.steps], trainingCount: training.count, batchSize: batchSize)
    let plan = TrainingPlan(
      epochs: epochs, batchSize: batchSize, learningRate: context[Self.learningRate],
      shuffle: true, seed: context.seed)
    _ = trainClassifier(
      model, head: .multiclass, training: training, validation: [], plan: plan,
      console: context.console, label: label)
    return Point(
      x: x, training: evaluate(model, head: .multiclass, on: training),
      validation: evaluate(model, head: .multiclass, on: splits.validation),
      test: evaluate(model, head: .multiclass, on: splits.test))
  }

  /// The whole number of epochs (at least 1) closest to `steps` SGD steps.
  static func epochs(forSteps steps: Int, trainingCount: Int, batchSize: Int) -> Int {
    let batchesPerEpoch = (trainingCount + batchSize - 1) / batchSize
    return max(1, Int((Double(steps) / Double(batchesPerEpoch)).rounded()))
  }

  /// Prints train, validation and test error (%) and the validation loss per point.
  func printTable(_ points: [Point], xName: String) {
    var table = Table(header: [xName, "train", "validation", "test", "val loss"])
    for point in points {
      table.addRow([
        String(point.x), Self.percent(point.training.accuracy),
        Self.percent(point.validation.accuracy), Self.percent(point.test.accuracy),
        Format.fixed(point.validation.loss, 4),
      ])
    }
    context.console.print(table)
  }

  /// Training error (solid) and test error (dashed) against `x(point.x)`.
  func addCurves(_ points: [Point], to chart: inout SVGChart, x: (Int) -> Double) {
    let xs = points.map { x($0.x) }
    chart.add("training error", x: xs, y: points.map { Self.error($0.training.accuracy) })
    chart.add(
      "test error", x: xs, y: points.map { Self.error($0.test.accuracy) }, colorIndex: 2,
      dashed: true)
  }

  /// The error rate in percent for an accuracy.
  static func error(_ accuracy: Double) -> Double { (1 - accuracy) * 100 }

  /// The error rate in percent, two decimals.
  static func percent(_ accuracy: Double) -> String { Format.fixed(error(accuracy), 2) }
}
