/// Softmax and log-softmax along an axis, computed stably through log-sum-exp.
extension Tensor {
  /// `softmax(x)ᵢ = exp(xᵢ) / Σⱼ exp(xⱼ)` along `axis`.
  ///
  /// - Backward: `x̄ = y ⊙ (ȳ − Σ(ȳ ⊙ y))`, the sum along `axis` — the product with the Jacobian
  ///   `diag(y) − y yᵀ`.
  public func softmax(axis: Int = -1) -> Tensor {
    let value = withoutGrad { (self - logSumExp(axis: axis, keepDims: true)).exp() }
    return value.recorded("softmax", "x̄ = y⊙(ȳ − Σ ȳ⊙y)", from: self) { dy, y, _ in
      y * (dy - (dy * y).sum(axis: axis, keepDims: true))
    }
  }

  /// `log softmax(x)ᵢ = xᵢ − log Σⱼ exp(xⱼ)` along `axis`.
  ///
  /// - Backward: `x̄ = ȳ − exp(y) ⊙ Σ ȳ`, the sum along `axis`
  public func logSoftmax(axis: Int = -1) -> Tensor {
    let value = withoutGrad { self - logSumExp(axis: axis, keepDims: true) }
    return value.recorded("logSoftmax", "x̄ = ȳ − exp(y)⊙Σ ȳ", from: self) { dy, y, _ in
      dy - y.exp() * dy.sum(axis: axis, keepDims: true)
    }
  }
}
