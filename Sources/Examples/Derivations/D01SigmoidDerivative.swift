import AutoGrad

/// D1 (report 000, Q5): the derivative of the logistic sigmoid `σ(a) = 1 / (1 + e⁻ᵃ)`.
///
/// The report differentiates `(1 + e⁻ᵃ)⁻¹` by the chain rule to `e⁻ᵃ / (1 + e⁻ᵃ)²` (its line 5)
/// and rewrites that as `σ(a)(1 − σ(a))` (line 10). Both forms are checked, as the Jacobian of
/// the element-wise map, which is diagonal.
enum D01SigmoidDerivative {
  /// `σ'(a) = σ(a)(1 − σ(a))`, as the Jacobian `diag(σ(a) ⊙ (1 − σ(a)))`.
  static func derivative(_ a: Tensor) -> Tensor {
    let s = a.sigmoid()
    return DerivationMath.diagonal(s * (1 - s))
  }

  /// The intermediate form `σ'(a) = e⁻ᵃ / (1 + e⁻ᵃ)²` (report 000, Q5, line 5), as a Jacobian.
  static func intermediateForm(_ a: Tensor) -> Tensor {
    let e = (-a).exp()
    return DerivationMath.diagonal(e / ((1 + e) * (1 + e)))
  }

  /// Both forms at 12 points in [−6, 6).
  static func checks(using generator: inout SeededGenerator) -> [DerivationResult] {
    let a = DerivationMath.uniform([12], -6, 6, &generator)
    let sigmoid: ([Tensor]) -> Tensor = { $0[0].sigmoid() }
    let final = checkDerivation("σ(a)(1 − σ(a))", at: [a], of: sigmoid) { [derivative($0[0])] }
    let line5 = checkDerivation("e⁻ᵃ/(1 + e⁻ᵃ)²", at: [a], of: sigmoid) {
      [intermediateForm($0[0])]
    }
    return [
      DerivationResult(
        id: "D1", variant: "final", statement: "σ'(a) = σ(a)(1 − σ(a))  (line 10)", check: final),
      DerivationResult(
        id: "D1", variant: "intermediate", statement: "σ'(a) = e⁻ᵃ / (1 + e⁻ᵃ)²  (line 5)",
        check: line5),
    ]
  }
}
