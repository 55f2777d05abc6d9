import AutoGrad

/// D8 (report 001 §3.6, report 003 1b): the output error `δᴸ = ∂C/∂zᴸ = aᴸ − y` for a sigmoid
/// output with binary cross-entropy and for a softmax output with cross-entropy, and the
/// softmax-regression gradient `∂Cⁿ/∂w_kj = −x_j(y_k − ŷ_k)`.
///
/// For sigmoid + BCE the σ' of the chain rule cancels the denominator `σ(1 − σ)` of ∂C/∂a; for
/// softmax + CE the Jacobian `diag(ŷ) − ŷŷᵀ` meets `−y/ŷ` and leaves `ŷ − y`, using `Σₖ yₖ = 1`.
enum D08OutputError {
  /// `C = −Σⱼ [yⱼ ln σ(zⱼ) + (1 − yⱼ) ln(1 − σ(zⱼ))]`.
  static func sigmoidCrossEntropy(z: Tensor, y: Tensor) -> Tensor {
    let a = z.sigmoid()
    return -(y * a.log() + (1 - y) * (1 - a).log()).sum()
  }

  /// `C = −Σₖ yₖ ln softmax(z)ₖ`.
  static func softmaxCrossEntropy(z: Tensor, y: Tensor) -> Tensor {
    -(y * z.softmax().log()).sum()
  }

  /// `δᴸ = aᴸ − y` with `aᴸ = σ(zᴸ)`.
  static func sigmoidDelta(z: Tensor, y: Tensor) -> Tensor { z.sigmoid() - y }

  /// `δᴸ = aᴸ − y` with `aᴸ = softmax(zᴸ)`.
  static func softmaxDelta(z: Tensor, y: Tensor) -> Tensor { z.softmax() - y }

  /// `∂Cⁿ/∂w_kj = −x_j(y_k − ŷ_k)`, `ŷ = softmax(Wx)`: the matrix `−(y − ŷ)xᵀ` `[K, I]`.
  static func softmaxRegressionGradient(w: Tensor, x: Tensor, y: Tensor) -> Tensor {
    -DerivationMath.outer(y - w.matmul(x).softmax(), x)
  }

  /// The three checks, on 5 outputs and a 4-class, 6-feature softmax regression.
  static func checks(using generator: inout SeededGenerator) -> [DerivationResult] {
    let z = DerivationMath.uniform([5], -3, 3, &generator)
    let soft = DerivationMath.uniform([5], 0, 1, &generator)
    let sigmoidOf: ([Tensor]) -> Tensor = { sigmoidCrossEntropy(z: $0[0], y: soft) }
    let sigmoid = checkDerivation("sigmoid", at: [z], of: sigmoidOf) {
      [sigmoidDelta(z: $0[0], y: soft)]
    }
    let oneHot = DerivationMath.oneHot(1, classes: 5, &generator).rows.reshape([5])
    let softmaxOf: ([Tensor]) -> Tensor = { softmaxCrossEntropy(z: $0[0], y: oneHot) }
    let softmax = checkDerivation("softmax", at: [z], of: softmaxOf) {
      [softmaxDelta(z: $0[0], y: oneHot)]
    }
    let w = DerivationMath.uniform([4, 6], -1, 1, &generator)
    let x = DerivationMath.uniform([6], -2, 2, &generator)
    let label = DerivationMath.oneHot(1, classes: 4, &generator).rows.reshape([4])
    let regressionOf: ([Tensor]) -> Tensor = { softmaxCrossEntropy(z: $0[0].matmul(x), y: label) }
    let regression = checkDerivation("softmax regression", at: [w], of: regressionOf) {
      [softmaxRegressionGradient(w: $0[0], x: x, y: label)]
    }
    return [
      DerivationResult(
        id: "D8", variant: "sigmoid-bce",
        statement: "∂C/∂zⱼᴸ = aⱼᴸ − yⱼ, aᴸ = σ(zᴸ), BCE (001 §3.6)", check: sigmoid),
      DerivationResult(
        id: "D8", variant: "softmax-ce", statement: "∂C/∂zₖᴸ = aₖᴸ − yₖ, aᴸ = softmax(zᴸ), CE",
        check: softmax),
      DerivationResult(
        id: "D8", variant: "softmax-regression",
        statement: "∂Cⁿ/∂w_kj = −x_j(y_k − ŷ_k)  (003 1b)", check: regression),
    ]
  }
}
