import AutoGrad

/// D2 (report 000 §3.1, report 003 1a): the gradient of the binary cross-entropy of logistic
/// regression, `ŷ = σ(wᵀx)`.
///
/// Report 000 sums over the samples: `J(w) = −Σᵢ [y⁽ⁱ⁾ log ŷ⁽ⁱ⁾ + (1 − y⁽ⁱ⁾) log(1 − ŷ⁽ⁱ⁾)]`
/// has `∂J/∂w_j = Σᵢ x_j⁽ⁱ⁾ (σ(wᵀx⁽ⁱ⁾) − y⁽ⁱ⁾)` (its equation 27). Report 003 derives the
/// per-sample form `∂Cⁿ/∂wᵢ = −(yⁿ − ŷⁿ) xᵢⁿ`, checked here as the Jacobian of the vector of
/// per-sample losses.
enum D02LogisticGradient {
  /// The per-sample losses `Cⁿ(w) = −(yⁿ ln ŷⁿ + (1 − yⁿ) ln(1 − ŷⁿ))`, `ŷ = σ(Xw)`.
  ///
  /// Shapes: x `[N, d]`, y `[N]`, w `[d]`, result `[N]`.
  static func perSampleLoss(_ w: Tensor, x: Tensor, y: Tensor) -> Tensor {
    let p = x.matmul(w).sigmoid()
    return -(y * p.log() + (1 - y) * (1 - p).log())
  }

  /// `∂J/∂w = Σᵢ x⁽ⁱ⁾ (σ(wᵀx⁽ⁱ⁾) − y⁽ⁱ⁾) = Xᵀ(σ(Xw) − y)` (report 000, equation 27).
  static func summedGradient(_ w: Tensor, x: Tensor, y: Tensor) -> Tensor {
    x.T.matmul(x.matmul(w).sigmoid() - y)
  }

  /// `∂Cⁿ/∂wᵢ = −(yⁿ − ŷⁿ) xᵢⁿ` for every n: the Jacobian `[N, d]` (report 003, task 1a).
  static func perSampleJacobian(_ w: Tensor, x: Tensor, y: Tensor) -> Tensor {
    let p = x.matmul(w).sigmoid()
    return -((y - p).reshape([y.count, 1]) * x)
  }

  /// Both forms on 8 samples of 4 features.
  static func checks(using generator: inout SeededGenerator) -> [DerivationResult] {
    let x = DerivationMath.uniform([8, 4], -2, 2, &generator)
    let y = DerivationMath.binaryLabels(8, &generator)
    let w = DerivationMath.uniform([4], -1, 1, &generator)
    let losses: ([Tensor]) -> Tensor = { perSampleLoss($0[0], x: x, y: y) }
    let total: ([Tensor]) -> Tensor = { losses($0).sum() }
    let summed = checkDerivation("summed", at: [w], of: total) {
      [summedGradient($0[0], x: x, y: y)]
    }
    let perSample = checkDerivation("per sample", at: [w], of: losses) {
      [perSampleJacobian($0[0], x: x, y: y)]
    }
    return [
      DerivationResult(
        id: "D2", variant: "summed",
        statement: "∂J/∂w_j = Σᵢ x_j⁽ⁱ⁾(σ(wᵀx⁽ⁱ⁾) − y⁽ⁱ⁾)  (000 eq. 27)", check: summed),
      DerivationResult(
        id: "D2", variant: "per-sample", statement: "∂Cⁿ/∂wᵢ = −(yⁿ − ŷⁿ)xᵢⁿ  (003 1a)",
        check: perSample),
    ]
  }
}
