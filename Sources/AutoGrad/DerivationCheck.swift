/// Checking a derivative derived by hand: the closed form, written as code, is compared with the
/// tape's derivative and with central finite differences, in float64, and the report says plainly
/// which agree. This is how the derivations of the homework reports are verified.

/// The verdict on one hand-derived derivative.
public struct DerivationCheckReport: CustomStringConvertible, Sendable {
  /// A name for the formula, e.g. `D1 σ'(a) = σ(a)(1 − σ(a))`.
  public let name: String
  /// max |hand − tape| over all entries.
  public let maxDifferenceToTape: Double
  /// max |hand − finite differences| over all entries.
  public let maxDifferenceToNumeric: Double
  /// max |tape − finite differences|: should be tiny, or the check itself is in doubt.
  public let maxTapeToNumeric: Double
  /// The tolerance used for "agrees".
  public let tolerance: Double

  /// A verdict from differences measured elsewhere (for checks `checkDerivation` cannot run).
  public init(
    name: String, maxDifferenceToTape: Double, maxDifferenceToNumeric: Double,
    maxTapeToNumeric: Double, tolerance: Double
  ) {
    self.name = name
    self.maxDifferenceToTape = maxDifferenceToTape
    self.maxDifferenceToNumeric = maxDifferenceToNumeric
    self.maxTapeToNumeric = maxTapeToNumeric
    self.tolerance = tolerance
  }

  /// Whether the hand formula agrees with the tape.
  public var agreesWithTape: Bool { maxDifferenceToTape <= tolerance }
  /// Whether the hand formula agrees with finite differences.
  public var agreesWithNumeric: Bool { maxDifferenceToNumeric <= tolerance }
  /// Whether the hand formula is confirmed by both.
  public var passed: Bool { agreesWithTape && agreesWithNumeric }

  public var description: String {
    func f(_ x: Double) -> String { x.isFinite ? String(x) : "\(x)" }
    return "\(passed ? "PASS" : "FAIL")  \(name)\n"
      + "      hand vs tape: \(f(maxDifferenceToTape)) (\(agreesWithTape ? "agree" : "DISAGREE")), "
      + "hand vs finite differences: \(f(maxDifferenceToNumeric)) "
      + "(\(agreesWithNumeric ? "agree" : "DISAGREE")), tape vs finite differences: "
      + f(maxTapeToNumeric)
  }
}

/// Compares a hand-derived derivative of `f` with the tape and with finite differences.
///
/// - Parameters:
///   - name: what is being checked, shown in the report.
///   - points: where; converted to float64.
///   - f: the function, of any output shape.
///   - derivative: the hand formula: for each input, the Jacobian ∂f/∂xᵢ of shape
///     `f.shape + xᵢ.shape` (for a scalar f, simply the gradient, of the input's shape). It may
///     return fewer tensors than there are inputs to check only the first ones.
///   - tolerance: largest absolute difference counted as agreement.
///   - eps: the finite-difference step.
public func checkDerivation(
  _ name: String, at points: [Tensor], tolerance: Double = 1e-6, eps: Double = 1e-6,
  of f: ([Tensor]) -> Tensor, derivative: ([Tensor]) -> [Tensor]
) -> DerivationCheckReport {
  let xs = points.map { $0.to(.float64).copy() }
  let hand = withoutGrad { derivative(xs).map { $0.to(.float64).scalars(as: Double.self) } }
  let leaves = xs.map { $0.copy().requiringGrad() }
  let y = f(leaves)
  var toTape = 0.0
  var toNumeric = 0.0
  var tapeToNumeric = 0.0
  func record(_ a: Double, _ b: Double, into m: inout Double) {
    let d = Swift.abs(a - b)
    m = Swift.max(m, d.isNaN ? .infinity : d)
  }
  for (i, h) in hand.enumerated() {
    let x = xs[i]
    precondition(
      h.count == y.count * x.count,
      "checkDerivation: the hand derivative for input \(i) has \(h.count) entries, expected "
        + "\(y.count) × \(x.count) (shape \(y.shape + x.shape))")
    // Tape: row r of the Jacobian from a backward pass seeded with eᵣ.
    var tape = [Double](repeating: 0, count: h.count)
    if y.requiresGrad {
      for r in 0..<y.count {
        let seed = Tensor.zeros(like: y)
        seed[flat: r] = 1
        let g = gradients(of: y, withRespectTo: [leaves[i]], gradient: seed, retainGraph: true)[0]
        for c in 0..<x.count { tape[r * x.count + c] = g[flat: c] }
      }
    }
    // Finite differences: column c of the Jacobian.
    var numeric = [Double](repeating: 0, count: h.count)
    for c in 0..<x.count {
      let saved = x[flat: c]
      x[flat: c] = saved + eps
      let plus = f(xs).scalars(as: Double.self)
      x[flat: c] = saved - eps
      let minus = f(xs).scalars(as: Double.self)
      x[flat: c] = saved
      for r in 0..<y.count { numeric[r * x.count + c] = (plus[r] - minus[r]) / (2 * eps) }
    }
    for k in h.indices {
      record(h[k], tape[k], into: &toTape)
      record(h[k], numeric[k], into: &toNumeric)
      record(tape[k], numeric[k], into: &tapeToNumeric)
    }
  }
  return DerivationCheckReport(
    name: name, maxDifferenceToTape: toTape, maxDifferenceToNumeric: toNumeric,
    maxTapeToNumeric: tapeToNumeric, tolerance: tolerance)
}
