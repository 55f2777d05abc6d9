import AutoGrad

/// D10 (report 004 §1.1): `f(x, y) = x²y + xy² − 6xy`, its gradient and Hessian by hand,
/// compared with the tape (the Hessian by double backward), and the report's critical points.
///
/// - `∇f = (2xy + y² − 6y, x² + 2xy − 6x) = (y(2x + y − 6), x(x + 2y − 6))`
/// - `H = [[2y, 2x + 2y − 6], [2x + 2y − 6, 2x]]`
///
/// Both are right in the report. Its critical points are not: substituting `y = 6 − 2x` into
/// `x² + 2xy − 6x = 0` gives `−3x² + 6x = −3x(x − 2)`, not `2x(2x − 3)`, so the fourth point is
/// `(2, 2)` (a local minimum, `H = [[4, 2], [2, 4]]`), not `(3/2, 3)`, where `∇f = (0, 9/4)`.
enum D10CriticalPoints {
  /// The report's fourth critical point, which is not one.
  static let reportClaim = (x: 1.5, y: 3.0)

  /// One line on the report's algebra slip.
  static let slip =
    "substituting y = 6 − 2x into x² + 2xy − 6x gives −3x² + 6x = −3x(x − 2), not 2x(2x − 3): "
    + "x = 2, y = 2"

  /// `Σᵣ f(xᵣ, yᵣ)` over the rows of `p` `[m, 2]` (or of a single point `[2]`).
  static func f(_ p: Tensor) -> Tensor {
    let points = p.reshape([p.count / 2, 2])
    let x = points.narrow(axis: 1, start: 0, length: 1)
    let y = points.narrow(axis: 1, start: 1, length: 1)
    return (x * x * y + x * y * y - 6 * x * y).sum()
  }

  /// `∇f = (2xy + y² − 6y, x² + 2xy − 6x)` for each row of `p` `[m, 2]`.
  static func gradient(_ p: Tensor) -> Tensor {
    let x = p.narrow(axis: 1, start: 0, length: 1)
    let y = p.narrow(axis: 1, start: 1, length: 1)
    return Tensor.concat([2 * x * y + y * y - 6 * y, x * x + 2 * x * y - 6 * x], axis: 1)
  }

  /// `H(x, y) = [[2y, 2x + 2y − 6], [2x + 2y − 6, 2x]]`.
  static func hessian(x: Double, y: Double) -> [[Double]] {
    [[2 * y, 2 * x + 2 * y - 6], [2 * x + 2 * y - 6, 2 * x]]
  }

  /// The Jacobian of the row-wise gradient, `[m, 2, m, 2]`: the Hessian of each row's point in
  /// the diagonal blocks (rows do not interact).
  static func blockHessian(_ p: Tensor) -> Tensor {
    let m = p.shape[0]
    let jacobian = Tensor.zeros([m, 2, m, 2], dtype: .float64)
    for r in 0..<m {
      let h = hessian(x: p[r, 0], y: p[r, 1])
      for i in 0..<2 {
        for j in 0..<2 { jacobian[flat: ((r * 2 + i) * m + r) * 2 + j] = h[i][j] }
      }
    }
    return jacobian
  }

  /// The tape's gradient of `f`, recorded (`createGraph`) so that it can be differentiated
  /// again; on points that do not require gradients (finite differences), just its value.
  static func tapeGradient(_ p: Tensor) -> Tensor {
    let leaf = p.requiresGrad ? p : p.copy().requiringGrad()
    let g = gradients(of: f(leaf), withRespectTo: [leaf], createGraph: true)[0]
    return p.requiresGrad ? g : g.detached()
  }

  /// Gradient and Hessian at 6 random points in [−3, 7)², and the report's fourth point.
  static func checks(using generator: inout SeededGenerator) -> [DerivationResult] {
    let p = DerivationMath.uniform([6, 2], -3, 7, &generator)
    let value: ([Tensor]) -> Tensor = { f($0[0]) }
    let tapeGradientOf: ([Tensor]) -> Tensor = { tapeGradient($0[0]) }
    let gradientCheck = checkDerivation("∇f", at: [p], of: value) { [gradient($0[0])] }
    let hessianCheck = checkDerivation("H", at: [p], of: tapeGradientOf) {
      [blockHessian($0[0])]
    }

    let claimed = Tensor([[reportClaim.x, reportClaim.y], [2, 2]], dtype: .float64)
    let atClaim = checkDerivation("∇f at (3/2, 3) and (2, 2)", at: [claimed], of: value) {
      [gradient($0[0])]
    }
    let tape = gradientOnTape(claimed)
    let h = hessian(x: 2, y: 2)
    let notCritical =
      Swift.abs(tape[0, 1]) > 1 && Swift.abs(tape[1, 0]) + Swift.abs(tape[1, 1]) < 1e-12
    let minimum = h[0][0] > 0 && h[0][0] * h[1][1] - h[0][1] * h[1][0] > 0
    return [
      DerivationResult(
        id: "D10", variant: "gradient", statement: "∇f = (2xy + y² − 6y, x² + 2xy − 6x)",
        check: gradientCheck),
      DerivationResult(
        id: "D10", variant: "hessian",
        statement: "H = [[2y, 2x + 2y − 6], [2x + 2y − 6, 2x]]  (tape: double backward)",
        check: hessianCheck),
      DerivationResult(
        id: "D10", variant: "report-point",
        statement: "the report's 4th critical point (3/2, 3) is not critical; (2, 2) is, a "
          + "local minimum",
        check: atClaim, alsoRequires: notCritical && minimum,
        notes: [
          "tape: ∇f(3/2, 3) = (\(Format.shortest(tape[0, 0])), \(Format.shortest(tape[0, 1]))) "
            + "≠ 0; ∇f(2, 2) = (\(Format.shortest(tape[1, 0])), \(Format.shortest(tape[1, 1])))",
          "H(2, 2) = [[4, 2], [2, 4]], eigenvalues 2 and 6: local minimum",
          "report's slip: " + slip,
        ]),
    ]
  }

  /// The tape's gradient of `f` at each row of `p`, as a plain tensor.
  static func gradientOnTape(_ p: Tensor) -> Tensor {
    AutoGrad.gradient(at: p, of: f)
  }
}
