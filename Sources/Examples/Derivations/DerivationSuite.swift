import AutoGrad
import Foundation

/// The derivations D1–D14 of EXPERIMENTS.md, each a hand formula written as code and checked
/// against the tape and central finite differences in float64 on random inputs. The
/// `derivations` experiment (E23) prints them; `DerivationTests` asserts them. Both run the
/// checks listed here, in this order, so the two never drift apart.
enum DerivationSuite {
  /// Settings that trade coverage for time.
  struct Configuration: Sendable {
    /// The largest input dimension D for which D14 checks the Boolean MLPs exhaustively
    /// (all 2ᴰ inputs and every −D ≤ A ≤ B ≤ D).
    var booleanMaxDimension = 10
    /// Random perturbations drawn per dimension in D14.
    var perturbationDraws = 8
  }

  /// One derivation: an ID of EXPERIMENTS.md, where it comes from, and its checks.
  struct Derivation: Sendable {
    /// `"D1"` … `"D14"`.
    let id: String
    /// A few words on what is derived.
    let title: String
    /// The reports and sections, e.g. `"001 §4.1, 003 4a"`.
    let source: String
    /// Runs every variant with inputs drawn from `generator`.
    let run: @Sendable (inout SeededGenerator, Configuration) -> [DerivationResult]
  }

  /// Every derivation, in EXPERIMENTS.md order.
  static let derivations: [Derivation] = [
    Derivation(id: "D1", title: "derivative of the sigmoid", source: "000 Q5") { g, _ in
      D01SigmoidDerivative.checks(using: &g)
    },
    Derivation(
      id: "D2", title: "gradient of the binary cross-entropy of logistic regression",
      source: "000 §3.1, 003 1a"
    ) { g, _ in D02LogisticGradient.checks(using: &g) },
    Derivation(id: "D3", title: "the four backpropagation equations", source: "001 §2.1–2.3") {
      g, _ in D03Backpropagation.sigmoidChecks(using: &g)
    },
    Derivation(id: "D4", title: "backpropagation with a linear activation", source: "001 §2.4") {
      g, _ in D03Backpropagation.linearChecks(using: &g)
    },
    Derivation(
      id: "D5", title: "cross-entropy with y and a swapped", source: "001 §3.1"
    ) { g, _ in D05SwappedCrossEntropy.checks(using: &g) },
    Derivation(
      id: "D6", title: "cross-entropies as negative log-likelihoods", source: "001 §3.2–3.3"
    ) { g, _ in D06CrossEntropyLikelihood.checks(using: &g) },
    Derivation(
      id: "D7", title: "soft-target cross-entropy is stationary at σ(z) = y", source: "001 §3.4"
    ) { g, _ in D07SoftTargets.checks(using: &g) },
    Derivation(
      id: "D8", title: "output error δᴸ = a − y; softmax regression gradient",
      source: "001 §3.6, 003 1b"
    ) { g, _ in D08OutputError.checks(using: &g) },
    Derivation(
      id: "D9", title: "gradient of L2-regularized logistic and softmax regression",
      source: "001 §4.1, 003 4a"
    ) { g, _ in D09RegularizedLogistic.checks(using: &g) },
    Derivation(
      id: "D10", title: "gradient, Hessian and critical points of x²y + xy² − 6xy",
      source: "004 §1.1"
    ) { g, _ in D10CriticalPoints.checks(using: &g) },
    Derivation(id: "D11", title: "gradient of ReLU(b + xw)", source: "004 §1.2") { g, _ in
      D11ReLUGradient.checks(using: &g)
    },
    Derivation(
      id: "D12", title: "a 2-unit network whose logit is β₀ + β₁x₁x₂", source: "004 §1.4"
    ) { g, _ in D12ProductLogit.checks(using: &g) },
    Derivation(
      id: "D13", title: "first-layer gradient of a 2-hidden-layer ReLU net, softmax, MSE",
      source: "004 §1.5"
    ) { g, _ in D13TwoHiddenLayers.checks(using: &g) },
    Derivation(
      id: "D14", title: "MLPs computing f(x) = 1 iff Σxᵢ ∈ [A, B] on {−1, +1}ᴰ",
      source: "002 Q3"
    ) { g, configuration in D14BooleanMLP.checks(using: &g, configuration: configuration) },
  ]

  /// The derivation with this ID.
  static func derivation(_ id: String) -> Derivation? {
    derivations.first { $0.id == id }
  }

  /// Runs one derivation with its own generator, seeded from `seed` and the ID, so that a
  /// derivation draws the same inputs whether it runs alone (a test) or in the suite (E23).
  static func run(
    _ derivation: Derivation, seed: UInt64, configuration: Configuration = Configuration()
  ) -> [DerivationResult] {
    var generator = SeededGenerator(seed: seed &+ stableHash(derivation.id))
    return derivation.run(&generator, configuration)
  }

  /// A hash of the ID that does not change between runs (unlike `hashValue`).
  private static func stableHash(_ text: String) -> UInt64 {
    text.utf8.reduce(14_695_981_039_346_656_037) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
  }
}

/// The verdict on one variant of one derivation.
///
/// For a hand-derived derivative, `maxDiffTape` and `maxDiffNumeric` are the largest absolute
/// differences from the tape and from central finite differences, and `passed` says both are
/// within tolerance. Some derivations are statements rather than derivatives (a formula is
/// non-finite, a construction cannot produce a function, a network computes a truth table):
/// then the differences may be `nil` and `passed` says the statement was confirmed.
struct DerivationResult: Sendable {
  /// `"D1"` … `"D14"`.
  let id: String
  /// `"report"` and `"corrected"` where the report's formula is wrong; otherwise a short name
  /// for what is checked (`"summed"`, `"per-sample"`, …).
  let variant: String
  /// The formula or statement checked, in Unicode math.
  let statement: String
  /// max |hand − tape|, or `nil` when the check is not a derivative comparison.
  let maxDiffTape: Double?
  /// max |hand − finite differences|, or `nil` when the check is not a derivative comparison.
  let maxDiffNumeric: Double?
  /// Whether the formula agrees with tape and finite differences, or the statement holds.
  let passed: Bool
  /// The correct verdict: `false` only for a report formula that is wrong, which must FAIL.
  let expectedToPass: Bool
  /// For a wrong formula, one line on where the report went wrong.
  let explanation: String?
  /// Measured facts that support the verdict, one line each.
  let notes: [String]
  /// The library's report, for a derivative comparison (it also has max |tape − numeric|).
  let check: DerivationCheckReport?

  /// Whether the verdict is the correct one (PASS for a right formula, FAIL for a wrong one).
  var isExpected: Bool { passed == expectedToPass }

  /// `"PASS"` or `"FAIL"`.
  var verdict: String { passed ? "PASS" : "FAIL" }

  /// A statement checked directly (not a derivative), with its verdict.
  init(
    id: String, variant: String, statement: String, passed: Bool, expectedToPass: Bool = true,
    explanation: String? = nil, notes: [String] = []
  ) {
    self.id = id
    self.variant = variant
    self.statement = statement
    self.maxDiffTape = nil
    self.maxDiffNumeric = nil
    self.passed = passed
    self.expectedToPass = expectedToPass
    self.explanation = explanation
    self.notes = notes
    self.check = nil
  }

  /// A hand-derived derivative, judged by `checkDerivation`; `alsoRequires` adds a condition
  /// (e.g. a value identity) that must hold as well for a PASS.
  init(
    id: String, variant: String, statement: String, check: DerivationCheckReport,
    alsoRequires condition: Bool = true, expectedToPass: Bool = true,
    explanation: String? = nil, notes: [String] = []
  ) {
    self.id = id
    self.variant = variant
    self.statement = statement
    self.maxDiffTape = check.maxDifferenceToTape
    self.maxDiffNumeric = check.maxDifferenceToNumeric
    self.passed = check.passed && condition
    self.expectedToPass = expectedToPass
    self.explanation = explanation
    self.notes = notes
    self.check = check
  }
}

// MARK: - Helpers shared by the checks

/// Float64 tensors, small matrices and exact comparisons used by the derivation checks.
enum DerivationMath {
  /// Uniform float64 samples in `low..<high`.
  static func uniform(
    _ shape: [Int], _ low: Double, _ high: Double, _ generator: inout SeededGenerator
  ) -> Tensor {
    Tensor.uniform(shape, low: low, high: high, dtype: .float64, using: &generator)
  }

  /// Uniform samples whose magnitude lies in `low..<high`, with random signs: inputs kept away
  /// from a kink or a singularity at 0.
  static func awayFromZero(
    _ shape: [Int], _ low: Double, _ high: Double, _ generator: inout SeededGenerator
  ) -> Tensor {
    let t = uniform(shape, low, high, &generator)
    for i in 0..<t.count where generator.next() % 2 == 0 { t[flat: i] = -t[flat: i] }
    return t
  }

  /// Random labels 0 or 1 (both present when `count ≥ 2`), as float64.
  static func binaryLabels(_ count: Int, _ generator: inout SeededGenerator) -> Tensor {
    let values = (0..<count).map { i in i < 2 ? Double(i) : Double(generator.next() % 2) }
    return Tensor(values, dtype: .float64)
  }

  /// One-hot rows `[count, classes]` for random classes, and the classes.
  static func oneHot(
    _ count: Int, classes: Int, _ generator: inout SeededGenerator
  ) -> (rows: Tensor, classes: [Int]) {
    let labels = (0..<count).map { _ in Int(generator.next() % UInt64(classes)) }
    let rows = Tensor.zeros([count, classes], dtype: .float64)
    for (n, k) in labels.enumerated() { rows[flat: n * classes + k] = 1 }
    return (rows, labels)
  }

  /// The diagonal matrix `diag(v)` of a vector.
  static func diagonal(_ v: Tensor) -> Tensor {
    Tensor.eye(v.count, dtype: v.dtype) * v.reshape([1, v.count])
  }

  /// The outer product `u vᵀ` of two vectors.
  static func outer(_ u: Tensor, _ v: Tensor) -> Tensor {
    u.reshape([u.count, 1]) * v.reshape([1, v.count])
  }

  /// max |aᵢ − bᵢ| over two tensors of the same size (∞ if any difference is NaN).
  static func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Double {
    precondition(a.count == b.count, "maxAbsDifference: \(a.shape) vs \(b.shape)")
    var m = 0.0
    for i in 0..<a.count {
      let d = Swift.abs(a[flat: i] - b[flat: i])
      m = Swift.max(m, d.isNaN ? .infinity : d)
    }
    return m
  }

  /// max |aᵢ| (∞ if any element is NaN).
  static func maxAbs(_ a: Tensor) -> Double {
    maxAbsDifference(a, Tensor.zeros(like: a))
  }

  /// A number in scientific notation for notes: `1.2e-16`.
  static func sci(_ value: Double?) -> String {
    guard let value else { return "—" }
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    return value == 0 ? "0" : String(format: "%.1e", value)
  }
}
