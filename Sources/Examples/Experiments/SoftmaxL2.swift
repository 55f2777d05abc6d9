import AutoGrad
import Foundation
import NN

/// E16 (report 003, task 4): softmax regression with an L2 penalty `λ‖w‖²` added to the
/// cross-entropy (its gradient `2λw`, report 003 task 4a), for several λ: the weights drawn as
/// 28×28 images, validation accuracy, and ‖w‖² against λ.
///
/// As in the report's bias trick, w holds the biases too, so the penalty and ‖w‖² cover both.
struct SoftmaxL2: Experiment {
  static let name = "softmax-l2"
  static let summary = "Softmax regression with L2: weight images, accuracy and ‖w‖² against λ"

  static let lambdas = Option<[Double]>(
    "lambda", default: [2, 0.2, 0.02, 0.002, 0], range: 0...1000, help: "L2 strengths λ")
  static let epochs = Report003Options.epochs
  static let learningRate = Option<Double>(
    "lr", default: 0.01, range: 1e-9...100, help: "SGD learning rate")
  static let batchSize = Report003Options.batchSize
  static let evaluations = Report003Options.evaluations
  static let trainSize = Report003Options.trainSize
  static let validationSize = Option<Int>(
    "validation-size", default: 2000, range: 100...10_000, help: "last N test images")
  static let shuffle = Report003Options.shuffle
  static let pixels = Report003Options.pixels

  static var extraOptions: [OptionSpec] {
    [
      lambdas.spec, epochs.spec, learningRate.spec, batchSize.spec, evaluations.spec,
      trainSize.spec, validationSize.spec, shuffle.spec, pixels.spec,
    ]
  }

  /// One λ's outcome.
  struct Outcome {
    var lambda: Double
    var history: TrainingHistory
    /// The weight image of each class: 784 values, row-major 28×28.
    var weightImages: [[Double]]
    /// ‖w‖² over weights and biases.
    var normSquared: Double
  }

  let context: RunContext
  let lambdaList: [Double]

  init(context: RunContext) throws {
    self.context = context
    lambdaList = context[Self.lambdas]
    guard !lambdaList.isEmpty, Set(lambdaList).count == lambdaList.count else {
      throw OptionsError.invalidValue(
        option: "lambda", value: lambdaList.map(Format.shortest).joined(separator: ","),
        expected: "distinct values")
    }
  }

  func run() throws {
    let console = context.console
    let trainImages = try context.loadMNIST(.train).prefix(context[Self.trainSize])
    let validationImages = try context.loadMNIST(.test).suffix(context[Self.validationSize])
    let pixels = context[Self.pixels]
    let training = TensorDataset(
      inputs: pixels.features(trainImages), targets: trainImages.labelsTensor())
    let validation = TensorDataset(
      inputs: pixels.features(validationImages), targets: validationImages.labelsTensor())

    var plan = TrainingPlan(
      epochs: context[Self.epochs], batchSize: context[Self.batchSize],
      learningRate: context[Self.learningRate])
    plan.shuffle = context[Self.shuffle]
    plan.seed = context.seed
    plan.dropLast = true
    plan.evaluation = .timesPerEpoch(context[Self.evaluations])

    var outcomes: [Outcome] = []
    for lambda in lambdaList {
      plan.l2Penalty = lambda
      let model = zeroInitializedLinear(784, 10)
      let history = trainClassifier(
        model, head: .multiclass, training: training, validation: [validation], plan: plan,
        console: console, label: "λ = \(Format.shortest(lambda))")
      let weights = model.weight.scalars(as: Double.self)
      outcomes.append(
        Outcome(
          lambda: lambda, history: history,
          weightImages: (0..<10).map { Array(weights[$0 * 784..<($0 + 1) * 784]) },
          normSquared: squaredNormValue(model.parameters)))
    }

    console.heading(
      "After \(plan.epochs) epochs, validation on the last \(validation.count) test images:")
    var table = Table(header: ["λ", "‖w‖²", "val accuracy", "val loss", "mean train loss"])
    for outcome in outcomes {
      let last = outcome.history.evaluations.last?.validation[0]
      table.addRow([
        Format.shortest(outcome.lambda), Format.fixed(outcome.normSquared, 4),
        last.map { Format.percent($0.accuracy, 2) } ?? "-",
        last.map { Format.fixed($0.loss, 4) } ?? "-",
        outcome.history.epochs.last.map { Format.fixed($0.meanLoss, 4) } ?? "-",
      ])
    }
    console.print(table)
    let positive = outcomes.filter { $0.lambda > 0 }.sorted { $0.lambda < $1.lambda }
    let decreasing = Self.isStrictlyDecreasing(positive.map(\.normSquared))
    console.print(
      "‖w‖² decreases as λ grows: " + (decreasing ? "yes" : "NO")
        + "; λ·‖w‖² = "
        + positive.map { Format.fixed($0.lambda * $0.normSquared, 3) }
        .joined(separator: ", ")
        + " (report: ‖w‖ roughly inversely proportional to λ)")

    try saveFigures(outcomes, positive: positive)

    context.record("lambdas", outcomes.map(\.lambda))
    context.record("weightNormSquared", outcomes.map(\.normSquared))
    context.record("valAccuracy", outcomes.map { $0.history.finalAccuracy() })
    context.record("valLoss", outcomes.map { $0.history.evaluations.last?.validation[0].loss })
    context.record("normDecreasesWithLambda", decreasing)
  }

  /// Whether each value is smaller than the one before.
  static func isStrictlyDecreasing(_ values: [Double]) -> Bool {
    zip(values, values.dropFirst()).allSatisfy { $1 < $0 }
  }

  private func saveFigures(_ outcomes: [Outcome], positive: [Outcome]) throws {
    let console = context.console
    // Weight images: the report's figure (smallest λ above, largest below), then every λ.
    let ascending = outcomes.sorted { $0.lambda < $1.lambda }
    if let smallest = ascending.first, let largest = ascending.last, ascending.count > 1 {
      try context.save(Self.weightGrid([smallest, largest]), as: "weights")
      console.print(
        "weights.png: top row λ = \(Format.shortest(smallest.lambda)), bottom row λ = "
          + "\(Format.shortest(largest.lambda)); weights-all.png: one row per λ, ascending")
    }
    try context.save(Self.weightGrid(ascending), as: "weights-all")

    var accuracy = SVGChart(
      title: "Softmax regression with L2: validation accuracy", xLabel: "training step",
      yLabel: "validation accuracy")
    for outcome in outcomes {
      let points = outcome.history.evaluations
      accuracy.add(
        "λ = \(Format.shortest(outcome.lambda))", x: points.map { Double($0.step) },
        y: points.map { $0.validation[0].accuracy })
    }
    accuracy.yRange = TrainingHistory.accuracyZoom(
      outcomes.flatMap { $0.history.evaluations.filter { $0.epoch > 1 } }
        .map { $0.validation[0].accuracy })
    try context.save(accuracy, as: "validation-accuracy")

    // The charts have no logarithmic x axis: x is log₁₀ λ, y on a log scale (log-log).
    var norm = SVGChart(
      title: "‖w‖² against λ (log-log)", xLabel: "log₁₀ λ", yLabel: "‖w‖²")
    norm.add("‖w‖²", x: positive.map { log10($0.lambda) }, y: positive.map(\.normSquared))
    if let first = positive.first {
      // Reference slope −1 through the smallest λ: ‖w‖² ∝ 1/λ.
      norm.add(
        "∝ 1/λ", x: positive.map { log10($0.lambda) },
        y: positive.map { first.normSquared * first.lambda / $0.lambda }, dashed: true)
    }
    norm.logY = true
    try context.save(norm, as: "weight-norm")
  }

  /// One row of ten 28×28 weight images per outcome, each scaled symmetrically about 0.
  static func weightGrid(_ outcomes: [Outcome]) -> ImageGrid {
    var grid = ImageGrid(imageWidth: 28, imageHeight: 28, columns: 10, scaling: .symmetric)
    for outcome in outcomes {
      for (digit, image) in outcome.weightImages.enumerated() {
        grid.append(image, caption: "\(digit)")
      }
    }
    return grid
  }
}
