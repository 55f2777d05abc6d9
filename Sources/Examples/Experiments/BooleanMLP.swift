import AutoGrad
import NN
import Optim

/// E13 (report 002 Q3): the Boolean function `f(x) = 1 if Σxᵢ ∈ [A, B], −1 otherwise` on
/// `{−1, +1}ᴰ` — derivation D14 as a run. Prints the report's tables 7–9 from the networks'
/// actual values, verifies both of the report's constructions (D14BooleanMLP) exhaustively for
/// every D ≤ `--max-dimension` and every `−D ≤ A ≤ B ≤ D`, runs D14's perturbation checks, and
/// shows that a trained single perceptron cannot learn D = 2, A = 0, B = 1 (an XOR) while a
/// trained 2-unit MLP can.
///
/// The report's threshold is `g(z) = +1 if z ≥ 0, −1 otherwise` (`2·1[z ≥ 0] − 1`), not
/// `Tensor.sign`, which is 0 at 0: the ReLU network's output is exactly 0 on `[A, B]`.
struct BooleanMLP: Experiment {
  static let name = "boolean-mlp"
  static let summary =
    "MLPs computing 1[Σxᵢ ∈ [A, B]] on {−1,+1}ᴰ: tables 7–9, exhaustive check, perceptron vs MLP"
  static let defaultDataset = "none"

  static let maxDimension = Option<Int>(
    "max-dimension", default: 10, range: 1...16, help: "largest D verified exhaustively")
  static let draws = Option<Int>(
    "draws", default: 8, quick: 2, range: 0...1000,
    help: "random perturbations per dimension (D14's checks)")
  static let perceptronEpochs = Option<Int>(
    "perceptron-epochs", default: 100, quick: 20, range: 1...1_000_000,
    help: "epochs of the perceptron (one update per sample)")
  static let mlpEpochs = Option<Int>(
    "mlp-epochs", default: 5000, quick: 2000, range: 1...1_000_000,
    help: "largest number of full-batch epochs of the 2-unit MLP per attempt")
  static let mlpLearningRate = Option<Double>(
    "mlp-lr", default: 0.05, range: 1e-9...100, help: "Adam learning rate of the 2-unit MLP")

  static var extraOptions: [OptionSpec] {
    [maxDimension.spec, draws.spec, perceptronEpochs.spec, mlpEpochs.spec, mlpLearningRate.spec]
  }

  /// A construction failed on some input: a bug, not a finding.
  struct VerificationFailure: Error, CustomStringConvertible {
    let kind: String
    let wrong: Int
    var description: String { "the \(kind) construction is wrong on \(wrong) cases" }
  }

  let context: RunContext
  init(context: RunContext) throws { self.context = context }

  func run() throws {
    let console = context.console
    printTable7()
    let maxD = context[Self.maxDimension]
    let table8 = hardThresholdRegimes(maxDimension: maxD)
    let table9 = reluRegimes(maxDimension: maxD)
    let verification = verify(maxDimension: maxD)

    let (perceptron, perceptronBest, perceptronWeights) = trainPerceptron()
    let mlp = trainMLP()
    try saveFigure11(perceptronWeights)

    console.heading("3.1 A single perceptron cannot compute f (D = 2, A = 0, B = 1):")
    console.print(
      "  f(+1,+1) = f(−1,−1) = −1 needs w₁ + w₂ + b < 0 and −w₁ − w₂ + b < 0, so b < 0;")
    console.print(
      "  f(+1,−1) = f(−1,+1) = +1 needs w₁ − w₂ + b ≥ 0 and −w₁ + w₂ + b ≥ 0, so b ≥ 0.")
    console.print(
      "  Trained (perceptron criterion, SGD lr 1, \(context[Self.perceptronEpochs]) epochs): "
        + "final accuracy \(Format.fixed(perceptron, 2)), best over all epochs "
        + Format.fixed(perceptronBest, 2) + " (3 of 4 is the most a line can do)")
    console.print(
      "  A 2-unit MLP (tanh hidden, sigmoid output, BCE, Adam lr "
        + "\(Format.shortest(context[Self.mlpLearningRate]))): accuracy "
        + Format.fixed(mlp.accuracy, 2) + " after \(mlp.epochs) epochs"
        + (mlp.restarts > 0 ? " (after \(mlp.restarts) restart(s) from a new seed)" : "")
        + ", final BCE " + Format.fixed(mlp.loss, 4))
    var outputs = Table(header: ["x₁", "x₂", "f(x)", "perceptron", "MLP p(f = +1)", "MLP"])
    for (row, x) in Self.table7Inputs.enumerated() {
      outputs.addRow([
        Self.signed(x[0]), Self.signed(x[1]), Self.signed(Self.f(x)),
        Self.signed(perceptronWeights.predict(x)), Format.fixed(mlp.probabilities[row], 4),
        Self.signed(mlp.probabilities[row] > 0.5 ? 1 : -1),
      ])
    }
    console.print(outputs)

    context.record("hardThresholdVerifiedFraction", verification.hardThresholdFraction)
    context.record("reluVerifiedFraction", verification.reluFraction)
    context.record("perceptronAccuracy", perceptron)
    context.record("trainedMLPAccuracy", mlp.accuracy)
    context.record("perceptronBestAccuracy", perceptronBest)
    context.record("cases", verification.cases)
    context.record("intervals", verification.intervals)
    context.record("inputPerturbationChanges", verification.inputPerturbationChanges)
    context.record("hardThresholdWeightPerturbationChanges", verification.weightChanges)
    context.record("reluOutputsOnThreshold", verification.reluOnThreshold)
    context.record("table8Consistent", table8)
    context.record("table9ReportCellsAgree", table9)
    context.record("mlpEpochs", mlp.epochs)
    context.record("mlpRestarts", mlp.restarts)

    if verification.hardThresholdWrong > 0 {
      throw VerificationFailure(kind: "hard-threshold", wrong: verification.hardThresholdWrong)
    }
    if verification.reluWrong > 0 {
      throw VerificationFailure(kind: "ReLU", wrong: verification.reluWrong)
    }
  }

  // MARK: - Exhaustive verification and perturbations (D14)

  /// Totals of the exhaustive verification.
  struct Verification {
    var cases = 0
    var intervals = 0
    var hardThresholdWrong = 0
    var reluWrong = 0
    var inputPerturbationChanges = 0
    var weightChanges = 0
    var reluOnThreshold = 0
    var hardThresholdFraction: Double { Double(cases - hardThresholdWrong) / Double(cases) }
    var reluFraction: Double { Double(cases - reluWrong) / Double(cases) }
  }

  /// Both constructions on every input, interval and D, with D14's perturbation tallies.
  func verify(maxDimension: Int) -> Verification {
    let console = context.console
    var generator = SeededGenerator(seed: context.seed)
    let draws = context[Self.draws]
    console.heading(
      "Exhaustive verification: every x ∈ {−1, +1}ᴰ and every −D ≤ A ≤ B ≤ D (a case is one "
        + "x with one interval)")
    var table = Table(header: [
      "D", "intervals", "cases", "hard threshold", "ReLU", "intervals 100 %",
      "input perturbation changes",
    ])
    var total = Verification()
    for d in 1...maxDimension {
      let pairs = D14BooleanMLP.intervals(dimension: d)
      let tally = D14BooleanMLP.tally(dimension: d, draws: draws, using: &generator)
      let hardWrong = tally.exactErrors[.hardThreshold] ?? 0
      let reluWrong = tally.exactErrors[.relu] ?? 0
      let perfect = Self.perfectIntervals(dimension: d)
      table.addRow([
        String(d), String(pairs.count), String(tally.cases),
        "\(tally.cases - hardWrong)/\(tally.cases)", "\(tally.cases - reluWrong)/\(tally.cases)",
        "\(perfect)/\(pairs.count)", String(tally.inputPerturbationErrors),
      ])
      total.cases += tally.cases
      total.intervals += pairs.count
      total.hardThresholdWrong += hardWrong
      total.reluWrong += reluWrong
      total.inputPerturbationChanges += tally.inputPerturbationErrors
      total.weightChanges += tally.weightPerturbationErrors
      total.reluOnThreshold += tally.reluInInterval
    }
    console.print(table)
    console.print(
      "  hard threshold: " + Format.percent(total.hardThresholdFraction, 2) + " of "
        + "\(total.cases) cases; ReLU: " + Format.percent(total.reluFraction, 2))
    console.print(
      "  perturbations of size 0.1 (D14): inputs x + v, ‖v‖₂ = 0.1 (directions ±1/√D and "
        + "\(draws) random per input), both networks: \(total.inputPerturbationChanges) outputs "
        + "changed; hard-threshold weights, ‖Δθ‖₂ = 0.1: \(total.weightChanges) changed")
    console.print(
      "  the ReLU network's z₃ is exactly 0, on its output threshold, in all "
        + "\(total.reluOnThreshold) cases with Σx ∈ [A, B]: robust to input perturbations (the "
        + "two units' changes cancel) but not to weight perturbations (see `derivations`, D14)")
    return total
  }

  /// The number of intervals (A, B) of dimension d on which both constructions are right for
  /// all 2ᴰ inputs.
  static func perfectIntervals(dimension d: Int) -> Int {
    let x = D14BooleanMLP.hypercube(dimension: d)
    let pairs = D14BooleanMLP.intervals(dimension: d)
    let f = D14BooleanMLP.target(x: x, intervals: pairs)
    let wrong = D14BooleanMLP.Kind.allCases.map { kind in
      let network = D14BooleanMLP.construction(kind, dimension: d, intervals: pairs)
      return withoutGrad { (D14BooleanMLP.outputs(network, x: x) .!= f).sum(axis: 0) }
    }
    let perColumn = withoutGrad { wrong[0] + wrong[1] }.scalars(as: Double.self)
    return perColumn.count { $0 == 0 }
  }

  // MARK: - Training on D = 2, A = 0, B = 1

  /// A perceptron's weights, `ŷ = g(w₁x₁ + w₂x₂ + b)`.
  struct PerceptronWeights {
    var w1: Double
    var w2: Double
    var b: Double
    func predict(_ x: [Double]) -> Double { w1 * x[0] + w2 * x[1] + b >= 0 ? 1 : -1 }
  }

  /// Trains a single perceptron on table 7 (one sample at a time, in the table's order, with
  /// the perceptron criterion and SGD at rate 1: Rosenblatt's rule). Returns the final and the
  /// best accuracy and the final weights.
  func trainPerceptron() -> (Double, Double, PerceptronWeights) {
    var generator = SeededGenerator(seed: context.seed)
    let layer = Linear(2, 1, dtype: .float64, using: &generator)
    let optimizer = SGD(parameters: layer.parameters, learningRate: 1)
    let x = Tensor(Self.table7Inputs, dtype: .float64)
    let y = Tensor(Self.table7Inputs.map(Self.f), dtype: .float64)
    func weights() -> PerceptronWeights {
      PerceptronWeights(w1: layer.weight[0, 0], w2: layer.weight[0, 1], b: layer.bias?[0] ?? 0)
    }
    func accuracy() -> Double {
      let w = weights()
      return Double(Self.table7Inputs.count { w.predict($0) == Self.f($0) }) / 4
    }
    var best = accuracy()
    for _ in 0..<context[Self.perceptronEpochs] {
      for i in 0..<4 {
        optimizer.zeroGrad()
        let score = layer(x[rows: i..<(i + 1)]).reshape([1])
        PerceptronCriterion()(score, y[rows: i..<(i + 1)]).backward()
        optimizer.step()
      }
      best = max(best, accuracy())
    }
    return (accuracy(), best, weights())
  }

  /// What the 2-unit MLP reached.
  struct MLPResult {
    var accuracy: Double
    var loss: Double
    var epochs: Int
    var restarts: Int
    var probabilities: [Double]
  }

  /// Trains `Linear(2, 2) → tanh → Linear(2, 1)` on table 7 with a sigmoid output and BCE
  /// (Adam, full batch) until every input is classified right with BCE < 0.05; a run that
  /// has not got there after `--mlp-epochs` starts again from the next seed (at most 10 times).
  func trainMLP() -> MLPResult {
    let x = Tensor(Self.table7Inputs, dtype: .float64)
    let targets = Tensor(Self.table7Inputs.map { (Self.f($0) + 1) / 2 }, dtype: .float64)
    var last = MLPResult(accuracy: 0, loss: .nan, epochs: 0, restarts: 0, probabilities: [])
    for restart in 0..<10 {
      var generator = SeededGenerator(seed: context.seed &+ UInt64(restart))
      let model = Sequential(
        Linear(2, 2, dtype: .float64, using: &generator), Tanh(),
        Linear(2, 1, dtype: .float64, using: &generator))
      let optimizer = Adam(
        parameters: model.parameters, learningRate: context[Self.mlpLearningRate])
      for epoch in 1...context[Self.mlpEpochs] {
        optimizer.zeroGrad()
        let logits = model(x).reshape([4])
        let loss = BCEWithLogitsLoss()(logits, targets)
        loss.backward()
        optimizer.step()
        let probabilities = withoutGrad { model(x).reshape([4]).sigmoid() }
          .scalars(as: Double.self)
        let correct = zip(probabilities, Self.table7Inputs).count {
          ($0.0 > 0.5 ? 1 : -1) == Self.f($0.1)
        }
        last = MLPResult(
          accuracy: Double(correct) / 4, loss: loss.item(), epochs: epoch, restarts: restart,
          probabilities: probabilities)
        if correct == 4 && last.loss < 0.05 { return last }
      }
    }
    return last
  }

  /// Figure 11: the four points of table 7 by label, with the trained perceptron's line.
  func saveFigure11(_ w: PerceptronWeights) throws {
    var chart = SVGChart(
      title: "f for D = 2, A = 0, B = 1 (blue +1, red −1) and the perceptron's line",
      xLabel: "x₁", yLabel: "x₂")
    for x in Self.table7Inputs {
      chart.add(
        Self.signed(Self.f(x)), x: [x[0]], y: [x[1]], colorIndex: Self.f(x) > 0 ? 0 : 3)
    }
    if abs(w.w2) > 1e-12 {
      let xs = [-1.5, 1.5]
      chart.add(
        "perceptron w·x + b = 0", x: xs, y: xs.map { -(w.w1 * $0 + w.b) / w.w2 }, colorIndex: 7,
        dashed: true)
      chart.series[chart.series.count - 1].showsMarkers = false
    }
    chart.yRange = -1.5...1.5
    chart.showsLegend = false
    try context.save(chart, as: "figure11")
  }
}
