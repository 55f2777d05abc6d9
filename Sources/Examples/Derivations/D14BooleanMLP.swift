import AutoGrad

/// D14 (report 002 Q3): two one-hidden-layer MLPs computing the Boolean function
/// `f(x) = 1 if Σᵢ xᵢ ∈ [A, B], −1 otherwise` on `x ∈ {−1, +1}ᴰ`, for integers
/// `−D ≤ A ≤ B ≤ D`.
///
/// - Hard thresholds `g(z) = 1 if z ≥ 0, −1 otherwise`: hidden weights `2·1` and `−2·1`,
///   biases `−2A + 1` and `2B + 1`, output weights `[1, 1]`, bias `−1`, output `ŷ = z₃`.
///   The hidden pre-activations are `2(Σx − A) + 1` and `2(B − Σx) + 1`: odd integers, so at
///   least 1 away from the threshold.
/// - ReLU hidden units: the same hidden layer, output weights `[−1, −1]`, bias `2B − 2A + 2`,
///   output `ŷ = g(z₃)`. On `[A, B]` both units are active and `z₃ = 0` exactly; outside, one
///   unit is off and `z₃ ≤ −1`.
///
/// Both are verified exhaustively: every x, every (A, B), every D up to the configured maximum,
/// the whole grid at once with matrix products. Then perturbations:
///
/// - inputs, `x + v` with `‖v‖₂ = 0.1` (the report's `h(x + tv)`): the hidden pre-activations
///   move by `±2Σvᵢ`, at most `0.2√D < 1` for D ≤ 24, so nothing changes — checked with the
///   worst direction `v ∥ ±1` and random ones, for both networks;
/// - all weights and biases of the hard-threshold network, `‖Δθ‖₂ = 0.1`: a hidden
///   pre-activation moves by at most `0.1·√(D + 1) < 1`, the output by at most `0.1·√3 < 1`;
/// - the ReLU network's output sits exactly on its threshold (`z₃ = 0`) for every x with
///   `Σx ∈ [A, B]`: any weight perturbation that lowers `z₃` there flips those outputs. The
///   report only claims robustness to input perturbations (where the two units' changes cancel),
///   which holds; robustness to weight perturbations does not, and that is checked too.
enum D14BooleanMLP {
  /// The hidden activation of a construction.
  enum Kind: String, CaseIterable, Sendable {
    case hardThreshold = "hard-threshold"
    case relu
  }

  /// One construction for every interval (A, B) of one dimension D at once.
  struct Network {
    /// Which construction.
    var kind: Kind
    /// Hidden weights `[D, 2]`: columns `2·1` and `−2·1`.
    var hidden: Tensor
    /// Hidden biases `[2, P]`: rows `−2A + 1` and `2B + 1` for each of the P intervals.
    var hiddenBias: Tensor
    /// Output weights: `[1, 1]` (hard threshold) or `[−1, −1]` (ReLU).
    var output: [Double]
    /// Output biases `[1, P]`: `−1`, or `2B − 2A + 2`.
    var outputBias: Tensor
  }

  /// All 2ᴰ points of {−1, +1}ᴰ, one per row.
  static func hypercube(dimension d: Int) -> Tensor {
    let count = 1 << d
    var values = [Double](repeating: 0, count: count * d)
    for n in 0..<count {
      for i in 0..<d { values[n * d + i] = (n >> i) & 1 == 1 ? 1 : -1 }
    }
    return Tensor(shape: [count, d], doubles: values, dtype: .float64)
  }

  /// Every interval `−D ≤ A ≤ B ≤ D`.
  static func intervals(dimension d: Int) -> [(a: Int, b: Int)] {
    (-d...d).flatMap { a in (a...d).map { b in (a: a, b: b) } }
  }

  /// The report's construction of `kind` for every interval.
  static func construction(
    _ kind: Kind, dimension d: Int, intervals: [(a: Int, b: Int)]
  ) -> Network {
    let p = intervals.count
    let hidden = Tensor(
      shape: [d, 2], doubles: (0..<d).flatMap { _ in [2.0, -2.0] }, dtype: .float64)
    let hiddenBias = Tensor(
      shape: [2, p],
      doubles: intervals.map { Double(-2 * $0.a + 1) } + intervals.map { Double(2 * $0.b + 1) },
      dtype: .float64)
    switch kind {
    case .hardThreshold:
      return Network(
        kind: kind, hidden: hidden, hiddenBias: hiddenBias, output: [1, 1],
        outputBias: Tensor.full([1, p], -1, dtype: .float64))
    case .relu:
      let bias = intervals.map { Double(2 * $0.b - 2 * $0.a + 2) }
      return Network(
        kind: kind, hidden: hidden, hiddenBias: hiddenBias, output: [-1, -1],
        outputBias: Tensor(shape: [1, p], doubles: bias, dtype: .float64))
    }
  }

  /// `g(z) = 1 if z ≥ 0, −1 otherwise`, element-wise.
  static func sign(_ z: Tensor) -> Tensor {
    2 * z.hardThreshold(0) - 1
  }

  /// The output pre-activation `z₃` `[N, P]` for the inputs `x` `[N, D]` (rows) and every
  /// interval (columns).
  static func outputPreactivation(_ network: Network, x: Tensor) -> Tensor {
    withoutGrad {
      let z = x.matmul(network.hidden)
      let z1 =
        z.narrow(axis: 1, start: 0, length: 1)
        + network.hiddenBias.narrow(axis: 0, start: 0, length: 1)
      let z2 =
        z.narrow(axis: 1, start: 1, length: 1)
        + network.hiddenBias.narrow(axis: 0, start: 1, length: 1)
      let (h1, h2) = network.kind == .relu ? (z1.relu(), z2.relu()) : (sign(z1), sign(z2))
      return h1 * network.output[0] + h2 * network.output[1] + network.outputBias
    }
  }

  /// The network's answer ŷ `[N, P]`: `z₃` for the hard-threshold network (as in the report),
  /// `g(z₃)` for the ReLU one. With `thresholdOutput`, `g(z₃)` for both.
  static func outputs(_ network: Network, x: Tensor, thresholdOutput: Bool = false) -> Tensor {
    let z3 = outputPreactivation(network, x: x)
    return network.kind == .relu || thresholdOutput ? withoutGrad { sign(z3) } : z3
  }

  /// `f(x)` `[N, P]`: 1 where `A ≤ Σx ≤ B`, −1 otherwise.
  static func target(x: Tensor, intervals: [(a: Int, b: Int)]) -> Tensor {
    withoutGrad {
      let p = intervals.count
      let s = x.sum(axis: 1, keepDims: true)
      let a = Tensor(shape: [1, p], doubles: intervals.map { Double($0.a) }, dtype: .float64)
      let b = Tensor(shape: [1, p], doubles: intervals.map { Double($0.b) }, dtype: .float64)
      return 2 * ((s .>= a) * (s .<= b)) - 1
    }
  }

  /// The number of entries where `a` and `b` differ.
  static func mismatches(_ a: Tensor, _ b: Tensor) -> Int {
    Int(withoutGrad { (a .!= b).sum().item() })
  }

  /// The network with every parameter moved by `delta` (`2D + 5` values: hidden weights row by
  /// row, the two hidden biases, the two output weights, the output bias), the same for every
  /// interval.
  static func perturbed(_ network: Network, by delta: [Double]) -> Network {
    let d = network.hidden.shape[0]
    precondition(delta.count == 2 * d + 5, "perturbed: \(delta.count) values for D = \(d)")
    var result = network
    withoutGrad {
      result.hidden =
        network.hidden + Tensor(shape: [d, 2], doubles: Array(delta[0..<(2 * d)]), dtype: .float64)
      result.hiddenBias =
        network.hiddenBias
        + Tensor(shape: [2, 1], doubles: [delta[2 * d], delta[2 * d + 1]], dtype: .float64)
      result.outputBias = network.outputBias + delta[2 * d + 4]
    }
    result.output = [network.output[0] + delta[2 * d + 2], network.output[1] + delta[2 * d + 3]]
    return result
  }

  /// A random vector of `count` values with Euclidean norm `norm`.
  static func randomDirection(
    _ count: Int, norm: Double, _ generator: inout SeededGenerator
  ) -> [Double] {
    let v = (0..<count).map { _ in generator.nextNormal() }
    let length = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return v.map { $0 * norm / length }
  }

  /// Tallies of one dimension's checks.
  struct Tally {
    var cases = 0
    var exactErrors: [Kind: Int] = [:]
    var inputPerturbationErrors = 0
    var weightPerturbationErrors = 0
    var perWeightFlipDraws = 0
    var reluInInterval = 0
    var reluFlippedByBias = 0
    var reluRandomFlips = 0
    var reluRandomCases = 0
  }

  /// Every check for one dimension D.
  static func tally(
    dimension d: Int, draws: Int, using generator: inout SeededGenerator
  ) -> Tally {
    let x = hypercube(dimension: d)
    let pairs = intervals(dimension: d)
    let f = target(x: x, intervals: pairs)
    var tally = Tally()
    tally.cases = f.count
    let size = 0.1
    let parameterCount = 2 * d + 5
    for kind in Kind.allCases {
      let network = construction(kind, dimension: d, intervals: pairs)
      tally.exactErrors[kind] = mismatches(outputs(network, x: x), f)

      // Inputs: x + v, ‖v‖₂ = 0.1, in the worst directions ±1/√D and in random ones (per row).
      let worst = size / Double(d).squareRoot()
      for shift in [worst, -worst] {
        let moved = withoutGrad { x + shift }
        tally.inputPerturbationErrors += mismatches(
          outputs(network, x: moved, thresholdOutput: true), f)
      }
      for _ in 0..<draws {
        let rows = (0..<x.shape[0]).flatMap { _ in randomDirection(d, norm: size, &generator) }
        let moved = withoutGrad { x + Tensor(shape: x.shape, doubles: rows, dtype: .float64) }
        tally.inputPerturbationErrors += mismatches(
          outputs(network, x: moved, thresholdOutput: true), f)
      }
    }

    // Weights of the hard-threshold network: ‖Δθ‖₂ = 0.1; and every weight ±0.1 (a note).
    let hard = construction(.hardThreshold, dimension: d, intervals: pairs)
    for _ in 0..<draws {
      let delta = randomDirection(parameterCount, norm: size, &generator)
      tally.weightPerturbationErrors += mismatches(
        outputs(perturbed(hard, by: delta), x: x, thresholdOutput: true), f)
      let signs = (0..<parameterCount).map { _ in generator.next() % 2 == 0 ? size : -size }
      if mismatches(outputs(perturbed(hard, by: signs), x: x, thresholdOutput: true), f) > 0 {
        tally.perWeightFlipDraws += 1
      }
    }

    // The ReLU network sits on its output threshold inside [A, B].
    let relu = construction(.relu, dimension: d, intervals: pairs)
    tally.reluInInterval = Int(withoutGrad { (f .> 0).sum().item() })
    var lowered = [Double](repeating: 0, count: parameterCount)
    lowered[2 * d + 4] = -size
    tally.reluFlippedByBias = mismatches(outputs(perturbed(relu, by: lowered), x: x), f)
    for _ in 0..<draws {
      let delta = randomDirection(parameterCount, norm: size, &generator)
      tally.reluRandomFlips += mismatches(outputs(perturbed(relu, by: delta), x: x), f)
      tally.reluRandomCases += f.count
    }
    return tally
  }

  /// Exhaustive verification for D = 1 … `configuration.booleanMaxDimension`, and the
  /// perturbation checks.
  static func checks(
    using generator: inout SeededGenerator, configuration: DerivationSuite.Configuration
  ) -> [DerivationResult] {
    let maxD = configuration.booleanMaxDimension
    let draws = configuration.perturbationDraws
    let tallies = (1...maxD).map { tally(dimension: $0, draws: draws, using: &generator) }
    let cases = tallies.reduce(0) { $0 + $1.cases }
    func errors(_ kind: Kind) -> Int { tallies.reduce(0) { $0 + ($1.exactErrors[kind] ?? 0) } }
    let inputErrors = tallies.reduce(0) { $0 + $1.inputPerturbationErrors }
    let weightErrors = tallies.reduce(0) { $0 + $1.weightPerturbationErrors }
    let inInterval = tallies.reduce(0) { $0 + $1.reluInInterval }
    let flippedByBias = tallies.reduce(0) { $0 + $1.reluFlippedByBias }
    let randomFlips = tallies.reduce(0) { $0 + $1.reluRandomFlips }
    let randomCases = tallies.reduce(0) { $0 + $1.reluRandomCases }
    let perWeight = tallies.enumerated().filter { $0.element.perWeightFlipDraws > 0 }
      .map { "D = \($0.offset + 1): \($0.element.perWeightFlipDraws)/\(draws) draws" }
    let scope = "D = 1…\(maxD), every −D ≤ A ≤ B ≤ D, all 2ᴰ inputs: \(cases) cases"
    func verified(_ kind: Kind) -> String {
      let wrong = errors(kind)
      return "\(scope); \(cases - wrong) agree ("
        + Format.fixed(100 * Double(cases - wrong) / Double(cases), 1) + " %)"
    }
    let inputCases = cases * 2 * (2 + draws)
    return [
      DerivationResult(
        id: "D14", variant: "hard-threshold",
        statement: "g = sign, hidden 2·1 and −2·1, biases −2A + 1 and 2B + 1, output [1, 1], "
          + "bias −1: z₃ = f(x)",
        passed: errors(.hardThreshold) == 0, notes: [verified(.hardThreshold)]),
      DerivationResult(
        id: "D14", variant: "relu",
        statement: "g = ReLU, same hidden layer, output [−1, −1], bias 2B − 2A + 2: "
          + "sign(z₃) = f(x)",
        passed: errors(.relu) == 0, notes: [verified(.relu)]),
      DerivationResult(
        id: "D14", variant: "input-perturbation",
        statement: "both networks: h(x + v) = f(x) for ‖v‖₂ = 0.1 (the report's h(x + tv); "
          + "hidden pre-activations move by 2Σvᵢ ≤ 0.2√D < 1)",
        passed: inputErrors == 0,
        notes: [
          "\(inputCases) perturbed evaluations (directions ±1/√D and \(draws) random per input "
            + "and D): \(inputErrors) changed outputs"
        ]),
      DerivationResult(
        id: "D14", variant: "weight-perturbation",
        statement: "hard-threshold network, all weights and biases moved by Δθ with ‖Δθ‖₂ = 0.1: "
          + "sign(z₃) = f(x) (margins 1 > 0.1√(D + 1))",
        passed: weightErrors == 0,
        notes: [
          "\(cases * draws) evaluations (\(draws) random Δθ per D): \(weightErrors) changed "
            + "outputs",
          "every weight ±0.1 instead (‖Δθ‖∞ = 0.1) moves a pre-activation by up to 0.1(D + 1), "
            + "which reaches the margin 1 at D ≥ 9: outputs change for "
            + (perWeight.isEmpty ? "no D ≤ \(maxD)" : perWeight.joined(separator: ", ")),
        ]),
      DerivationResult(
        id: "D14", variant: "relu-weight-fragility",
        statement: "ReLU network: z₃ = 0 (on the output threshold) whenever Σxᵢ ∈ [A, B], so "
          + "weight perturbations flip outputs; lowering the output bias by 0.1 flips all of them",
        passed: inInterval > 0 && flippedByBias == inInterval,
        notes: [
          "output bias −0.1 flips \(flippedByBias) of the \(inInterval) cases with Σx ∈ [A, B]: "
            + "confirmed",
          "random ‖Δθ‖₂ = 0.1: \(randomFlips) of \(randomCases) outputs flip ("
            + Format.fixed(100 * Double(randomFlips) / Double(Swift.max(randomCases, 1)), 1)
            + " %)",
        ]),
    ]
  }
}
