import AutoGrad

/// D12 (report 004 §1.4): a network with one hidden layer of two units, inputs `(x₁, x₂)`,
/// whose output is a logistic regression on the logit `β₀ + β₁x₁x₂`.
///
/// The report picks linear hidden units, `g(z) = z`, and a sigmoid output. Then the logit is
/// `vᵀ(Wx + c) + d`, an affine function of x, for every choice of weights, and no affine
/// function equals `β₀ + β₁x₁x₂`: the mixed difference
/// `s(1, 1) − s(1, 0) − s(0, 1) + s(0, 0)` is 0 for an affine `s` and `β₁` for the target, so
/// every affine logit misses the target by at least `|β₁|/4` on one of the corners of {0, 1}².
/// (The report's "weight connecting x₁ and x₂" would need a product unit, which the network
/// does not have.)
///
/// A construction that works: squaring hidden units `g(z) = z²` on `x₁ + x₂` and `x₁ − x₂`,
/// output weights `±β₁/4` and bias `β₀`, since `((x₁ + x₂)² − (x₁ − x₂)²)/4 = x₁x₂`.
enum D12ProductLogit {
  /// The report's coefficients, `β₀ = 1`, `β₁ = 2`.
  static let beta = (b0: 1.0, b1: 2.0)

  /// The target logit `β₀ + β₁x₁x₂` for each row of `x` `[m, 2]`.
  static func targetLogit(_ x: Tensor) -> Tensor {
    let x1 = x.narrow(axis: 1, start: 0, length: 1)
    let x2 = x.narrow(axis: 1, start: 1, length: 1)
    return beta.b0 + beta.b1 * x1 * x2
  }

  /// The report's network: linear hidden units, `s = vᵀ(Wx + c) + d`, for each row of `x`.
  ///
  /// Shapes: x `[m, 2]`, hidden weight `[2, 2]`, hidden bias `[2]`, output weight `[2]`,
  /// output bias `[1]`; result `[m, 1]`.
  static func linearUnitsLogit(_ x: Tensor, parameters p: [Tensor]) -> Tensor {
    let hidden = Tensor.linear(x, weight: p[0], bias: p[1])  // g(z) = z
    return Tensor.linear(hidden, weight: p[2].reshape([1, 2]), bias: p[3])
  }

  /// The corrected network: `g(z) = z²` units on `x₁ + x₂` and `x₁ − x₂`, output
  /// `s = β₀ + (β₁/4)h₁ − (β₁/4)h₂`.
  static func squaredUnitsLogit(_ x: Tensor) -> Tensor {
    let hiddenWeight = Tensor([[1, 1], [1, -1]], dtype: .float64)
    let hidden = Tensor.linear(x, weight: hiddenWeight, bias: nil).square()  // g(z) = z²
    let outputWeight = Tensor([[beta.b1 / 4, -beta.b1 / 4]], dtype: .float64)
    return Tensor.linear(hidden, weight: outputWeight, bias: Tensor([beta.b0], dtype: .float64))
  }

  /// `∂s/∂x = (β₁x₂, β₁x₁)` for the target logit, per row.
  static func targetGradient(_ x: Tensor) -> Tensor {
    let x1 = x.narrow(axis: 1, start: 0, length: 1)
    let x2 = x.narrow(axis: 1, start: 1, length: 1)
    return Tensor.concat([beta.b1 * x2, beta.b1 * x1], axis: 1)
  }

  /// The mixed difference `s(1, 1) − s(1, 0) − s(0, 1) + s(0, 0)` of a logit on the corners.
  static func mixedDifference(_ logit: (Tensor) -> Tensor) -> Double {
    let corners = Tensor([[1, 1], [1, 0], [0, 1], [0, 0]], dtype: .float64)
    let s = withoutGrad { logit(corners) }
    return s[flat: 0] - s[flat: 1] - s[flat: 2] + s[flat: 3]
  }

  /// The best affine fit `a + b₁x₁ + b₂x₂` of the target on the four corners, by least
  /// squares (normal equations), and its largest residual there.
  static func bestAffineResidual() -> Double {
    let corners: [(Double, Double)] = [(0, 0), (1, 0), (0, 1), (1, 1)]
    let t = corners.map { beta.b0 + beta.b1 * $0.0 * $0.1 }
    // Normal equations AᵀA c = Aᵀt for A = [1, x₁, x₂], solved by Gaussian elimination.
    var m = [[Double]](repeating: [0, 0, 0, 0], count: 3)
    for (k, (x1, x2)) in corners.enumerated() {
      let row = [1, x1, x2]
      for i in 0..<3 {
        for j in 0..<3 { m[i][j] += row[i] * row[j] }
        m[i][3] += row[i] * t[k]
      }
    }
    for i in 0..<3 {
      for r in (i + 1)..<3 {
        let factor = m[r][i] / m[i][i]
        for c in i..<4 { m[r][c] -= factor * m[i][c] }
      }
    }
    var c = [0.0, 0, 0]
    for i in stride(from: 2, through: 0, by: -1) {
      c[i] = (m[i][3] - ((i + 1)..<3).reduce(0) { $0 + m[i][$1] * c[$1] }) / m[i][i]
    }
    return zip(corners, t).map { Swift.abs($1 - (c[0] + c[1] * $0.0 + c[2] * $0.1)) }.max() ?? 0
  }

  /// The report's construction cannot work; the squared units do.
  static func checks(using generator: inout SeededGenerator) -> [DerivationResult] {
    // Linear units: for 20 random weight draws, the mixed difference and the Hessian of the
    // logit with respect to x (by double backward) are 0.
    var largestMixed = 0.0
    var largestHessian = 0.0
    for _ in 0..<20 {
      let p = [
        DerivationMath.uniform([2, 2], -3, 3, &generator),
        DerivationMath.uniform([2], -3, 3, &generator),
        DerivationMath.uniform([2], -3, 3, &generator),
        DerivationMath.uniform([1], -3, 3, &generator),
      ]
      let mixed = mixedDifference { linearUnitsLogit($0, parameters: p) }
      largestMixed = Swift.max(largestMixed, Swift.abs(mixed))
      let at = DerivationMath.uniform([2], -2, 2, &generator)
      let h = hessian(at: at) { linearUnitsLogit($0.reshape([1, 2]), parameters: p).sum() }
      largestHessian = Swift.max(largestHessian, DerivationMath.maxAbs(h))
    }
    let residual = bestAffineResidual()
    let bound = Swift.abs(beta.b1) / 4

    // Squared units: values equal the target, gradients match the hand gradient of the target.
    let x = DerivationMath.uniform([8, 2], -2, 2, &generator)
    let valueGap = withoutGrad {
      DerivationMath.maxAbsDifference(squaredUnitsLogit(x), targetLogit(x))
    }
    let total: ([Tensor]) -> Tensor = { squaredUnitsLogit($0[0]).sum() }
    let check = checkDerivation("squared units", at: [x], of: total) {
      [targetGradient($0[0])]
    }
    let squaredMixed = mixedDifference(squaredUnitsLogit)
    return [
      DerivationResult(
        id: "D12", variant: "report-construction",
        statement: "linear hidden units (the report's g(z) = z) give an affine logit, which "
          + "cannot equal 1 + 2x₁x₂",
        passed: largestMixed <= 1e-12 && largestHessian <= 1e-12 && residual >= bound - 1e-12,
        notes: [
          "20 random weight draws: max |mixed difference| \(DerivationMath.sci(largestMixed)) "
            + "(target: β₁ = \(Format.shortest(beta.b1))), max |∂²s/∂x²| "
            + "\(DerivationMath.sci(largestHessian))",
          "best affine fit of 1 + 2x₁x₂ on {0, 1}² misses by \(Format.shortest(residual)) "
            + "(bound |β₁|/4 = \(Format.shortest(bound))): confirmed",
        ]),
      DerivationResult(
        id: "D12", variant: "corrected",
        statement: "g(z) = z² on x₁ + x₂ and x₁ − x₂, output β₀ + (β₁/4)(h₁ − h₂) = β₀ + β₁x₁x₂; "
          + "∂s/∂x = (β₁x₂, β₁x₁)",
        check: check, alsoRequires: valueGap <= 1e-12,
        notes: [
          "max |s(x) − (1 + 2x₁x₂)| = \(DerivationMath.sci(valueGap)) on 8 random points; "
            + "mixed difference \(Format.shortest(squaredMixed))"
        ]),
    ]
  }
}
