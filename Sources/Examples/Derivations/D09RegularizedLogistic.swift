import AutoGrad

/// D9 (report 001 §4.1, report 003 4a): the gradient of L2-regularized logistic regression.
///
/// With `x̃ = (1, x)`, `w̃ = (w₀, w)`, `z = w̃ᵀx̃`:
/// `l(w̃) = −(1/n) Σᵢ [yᵢ log σ(zᵢ) + (1 − yᵢ) log(e^(−zᵢ) / (1 + e^(−zᵢ)))] + λ‖w‖²`, whose
/// gradient is `∂l/∂w̃ = (1/n) Σᵢ (σ(zᵢ) − yᵢ) x̃ᵢ + 2λ(0, w)` (the bias is not penalized).
///
/// Report 001 ends with `∂l/∂w̃ = (1/n) Σ (y(1 − σ(z))x̃ + (1 − y)(−σ(z)x̃)) + 2λw`, which is
/// `(1/n) Σ (y − σ(z)) x̃ + 2λw`: the data term has the wrong sign. The `−1/n` in front of the
/// loss is dropped in the step from the first to the second line of the derivative. That
/// variant must FAIL and the corrected one PASS.
///
/// Report 003 4a derives the same for softmax regression,
/// `∂J/∂w = (1/N) Σₙ −xⁿ(yⁿ − ŷⁿ) + 2λw`, which is right.
enum D09RegularizedLogistic {
  /// The one-line reason the report's formula fails.
  static let explanation =
    "the −1/n in front of the loss is dropped when differentiating (2nd line of ∂l/∂w̃), "
    + "so the data term comes out as (1/n)Σ(y − σ(z))x̃ instead of (1/n)Σ(σ(z) − y)x̃"

  /// The loss as report 001 writes it; `x` carries a leading column of ones, and `penalized`
  /// is 0 for the bias and 1 for the weights.
  static func loss(_ w: Tensor, x: Tensor, y: Tensor, lambda: Double, penalized: Tensor)
    -> Tensor
  {
    let s = x.matmul(w).sigmoid()
    let data = -(y * s.log() + (1 - y) * (1 - s).log()).mean()
    let weights = w * penalized
    return data + lambda * (weights * weights).sum()
  }

  /// Report 001 §4.1, last line: `(1/n) Σ (y(1 − σ(z))x̃ + (1 − y)(−σ(z)x̃)) + 2λw`.
  static func reportGradient(
    _ w: Tensor, x: Tensor, y: Tensor, lambda: Double, penalized: Tensor
  ) -> Tensor {
    let s = x.matmul(w).sigmoid()
    let n = Double(x.shape[0])
    let perSample = y * (1 - s) - (1 - y) * s  // multiplies x̃ᵢ
    return x.T.matmul(perSample) / n + 2 * lambda * (w * penalized)
  }

  /// The corrected gradient `(1/n) Σ (σ(z) − y) x̃ + 2λ(0, w)`.
  static func correctedGradient(
    _ w: Tensor, x: Tensor, y: Tensor, lambda: Double, penalized: Tensor
  ) -> Tensor {
    let s = x.matmul(w).sigmoid()
    return x.T.matmul(s - y) / Double(x.shape[0]) + 2 * lambda * (w * penalized)
  }

  /// `J(W) = (1/N) Σₙ −Σₖ yₖⁿ ln softmax(Wxⁿ)ₖ + λ‖W‖²` (report 003, task 4).
  static func softmaxLoss(_ w: Tensor, x: Tensor, y: Tensor, lambda: Double) -> Tensor {
    let data = -(y * x.matmul(w.T).logSoftmax(axis: 1)).sum() / Double(x.shape[0])
    return data + lambda * (w * w).sum()
  }

  /// `∂J/∂W = (1/N) Σₙ −(yⁿ − ŷⁿ)xⁿᵀ + 2λW` (report 003, task 4a, equation 27).
  static func softmaxGradient(_ w: Tensor, x: Tensor, y: Tensor, lambda: Double) -> Tensor {
    let residual = y - x.matmul(w.T).softmax(axis: 1)
    return -residual.T.matmul(x) / Double(x.shape[0]) + 2 * lambda * w
  }

  /// Report, corrected, and report 003's softmax version.
  static func checks(using generator: inout SeededGenerator) -> [DerivationResult] {
    let features = DerivationMath.uniform([10, 3], -2, 2, &generator)
    let x = Tensor.concat([Tensor.ones([10, 1], dtype: .float64), features], axis: 1)
    let y = DerivationMath.binaryLabels(10, &generator)
    let w = DerivationMath.uniform([4], -1, 1, &generator)
    let lambda = 0.3
    let penalized = Tensor([0, 1, 1, 1], dtype: .float64)
    let lossOf: ([Tensor]) -> Tensor = {
      loss($0[0], x: x, y: y, lambda: lambda, penalized: penalized)
    }
    let report = checkDerivation("report", at: [w], of: lossOf) {
      [reportGradient($0[0], x: x, y: y, lambda: lambda, penalized: penalized)]
    }
    let corrected = checkDerivation("corrected", at: [w], of: lossOf) {
      [correctedGradient($0[0], x: x, y: y, lambda: lambda, penalized: penalized)]
    }

    let softmaxX = DerivationMath.uniform([8, 5], -2, 2, &generator)
    let softmaxY = DerivationMath.oneHot(8, classes: 3, &generator).rows
    let softmaxW = DerivationMath.uniform([3, 5], -1, 1, &generator)
    let softmaxOf: ([Tensor]) -> Tensor = {
      softmaxLoss($0[0], x: softmaxX, y: softmaxY, lambda: lambda)
    }
    let softmax = checkDerivation("softmax", at: [softmaxW], of: softmaxOf) {
      [softmaxGradient($0[0], x: softmaxX, y: softmaxY, lambda: lambda)]
    }
    return [
      DerivationResult(
        id: "D9", variant: "report",
        statement: "∂l/∂w̃ = (1/n)Σ(y(1 − σ(z))x̃ + (1 − y)(−σ(z)x̃)) + 2λw  (001 §4.1, last line)",
        check: report, expectedToPass: false, explanation: explanation),
      DerivationResult(
        id: "D9", variant: "corrected", statement: "∂l/∂w̃ = (1/n)Σ(σ(z) − y)x̃ + 2λ(0, w)",
        check: corrected),
      DerivationResult(
        id: "D9", variant: "softmax-003",
        statement: "∂J/∂W = (1/N)Σₙ −(yⁿ − ŷⁿ)xⁿᵀ + 2λW  (003 4a, softmax regression)",
        check: softmax),
    ]
  }
}
