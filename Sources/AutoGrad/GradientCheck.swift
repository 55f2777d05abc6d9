/// Numerical verification of the tape (in the spirit of PyTorch's `gradcheck` and
/// `gradgradcheck`): every entry of the Jacobian computed by backward passes is compared with
/// central finite differences `(f(x + εeⱼ) − f(x − εeⱼ)) / 2ε`, in float64.

/// The outcome of a gradient check: whether every Jacobian entry agreed, and the worst ones.
public struct GradientCheckReport: CustomStringConvertible, Sendable {
  /// One Jacobian entry where the tape and finite differences disagree.
  public struct Mismatch: Sendable {
    /// Which input (position in the list) and which of its elements (multi-index).
    public let input: Int
    public let element: [Int]
    /// Which output element (flat index).
    public let output: Int
    public let analytic: Double
    public let numeric: Double
  }

  public let passed: Bool
  /// Up to the first 10 mismatches.
  public let mismatches: [Mismatch]
  /// The largest |analytic − numeric| over all entries.
  public let maxAbsoluteError: Double
  /// Entries compared.
  public let entriesChecked: Int
  public let eps: Double
  public let atol: Double
  public let rtol: Double

  public var description: String {
    var text = passed ? "gradient check passed" : "gradient check FAILED"
    text += ": \(entriesChecked) Jacobian entries, max |analytic − numeric| = \(maxAbsoluteError)"
    text += " (eps \(eps), atol \(atol), rtol \(rtol))"
    for m in mismatches {
      text +=
        "\n  input \(m.input) element \(m.element), output \(m.output): "
        + "analytic \(m.analytic) vs numeric \(m.numeric)"
    }
    return text
  }
}

/// Checks the gradients of `f` at `points` against central finite differences, for every input
/// element and every output element. Points are converted to float64 first; entry (i, j) passes
/// when `|analytic − numeric| ≤ atol + rtol·|numeric|`.
///
/// Keep points away from kinks (ReLU, abs, max at ties), where finite differences straddle two
/// pieces and disagree with any one-sided derivative.
public func gradientCheck(
  at points: [Tensor], eps: Double = 1e-6, atol: Double = 1e-5, rtol: Double = 1e-3,
  of f: ([Tensor]) -> Tensor
) -> GradientCheckReport {
  let xs = points.map { $0.to(.float64).copy().requiringGrad() }
  let y = f(xs)
  let outputs = y.count
  // Analytic Jacobian, one row (per output element) at a time.
  var analytic = [[Double]](repeating: [], count: outputs)
  for i in 0..<outputs {
    if !y.requiresGrad {
      analytic[i] = [Double](repeating: 0, count: xs.reduce(0) { $0 + $1.count })
      continue
    }
    let seed = Tensor.zeros(like: y)
    seed[flat: i] = 1
    let grads = gradients(of: y, withRespectTo: xs, gradient: seed, retainGraph: true)
    analytic[i] = grads.flatMap { $0.scalars(as: Double.self) }
  }
  // Numeric Jacobian, one column (per input element) at a time.
  var mismatches: [GradientCheckReport.Mismatch] = []
  var maxError = 0.0
  var passed = true
  var column = 0
  // Evaluated with recording on: `f` may itself run a backward pass (see `gradGradCheck`).
  do {
    for (inputIndex, x) in xs.enumerated() {
      for j in 0..<x.count {
        let saved = x[flat: j]
        x[flat: j] = saved + eps
        let plus = f(xs).scalars(as: Double.self)
        x[flat: j] = saved - eps
        let minus = f(xs).scalars(as: Double.self)
        x[flat: j] = saved
        for i in 0..<outputs {
          let numeric = (plus[i] - minus[i]) / (2 * eps)
          let a = analytic[i][column]
          let error = Swift.abs(a - numeric)
          maxError = Swift.max(maxError, error.isNaN ? .infinity : error)
          if !(error <= atol + rtol * Swift.abs(numeric)) {
            passed = false
            if mismatches.count < 10 {
              mismatches.append(
                .init(
                  input: inputIndex, element: multiIndex(j, in: x.shape), output: i, analytic: a,
                  numeric: numeric))
            }
          }
        }
        column += 1
      }
    }
  }
  return GradientCheckReport(
    passed: passed, mismatches: mismatches, maxAbsoluteError: maxError,
    entriesChecked: outputs * column, eps: eps, atol: atol, rtol: rtol)
}

/// Checks the second derivatives of `f` (like PyTorch's `gradgradcheck`): the map
/// `x ↦ vᵀ·∂f/∂x` for a fixed, non-uniform cotangent `v`, computed by a backward pass with
/// `createGraph`, is itself gradient-checked, which exercises every op's double backward.
public func gradGradCheck(
  at points: [Tensor], eps: Double = 1e-6, atol: Double = 1e-5, rtol: Double = 1e-3,
  of f: ([Tensor]) -> Tensor
) -> GradientCheckReport {
  let probe = withoutGrad { f(points.map { $0.to(.float64) }) }
  var generator = SeededGenerator(seed: 0x5EED)
  let v = Tensor.uniform(probe.shape, low: 0.5, high: 1.5, dtype: .float64, using: &generator)
  return gradientCheck(at: points, eps: eps, atol: atol, rtol: rtol) { xs in
    let y = f(xs)
    guard y.requiresGrad else { return Tensor.zeros([1], dtype: .float64) }
    let grads = gradients(of: y, withRespectTo: xs, gradient: v, createGraph: true)
    return Tensor.concat(grads.map { $0.reshape([-1]) })
  }
}

/// The multi-index of flat position `flat` in `shape`.
func multiIndex(_ flat: Int, in shape: [Int]) -> [Int] {
  var rest = flat
  var index = [Int](repeating: 0, count: shape.count)
  for d in stride(from: shape.count - 1, through: 0, by: -1) {
    index[d] = rest % shape[d]
    rest /= shape[d]
  }
  return index
}
