/// Softmax cross-entropy fused into one operation: the common classification loss computes its
/// value in one pass over the logits, stably, and records a single tape entry.
extension Tensor {
  /// The cross-entropy of each row of logits `[batch, classes]` against class indices `[batch]`
  /// (integer values): `ℓᵢ = −log softmax(zᵢ)_yᵢ = logsumexp(zᵢ) − zᵢ,yᵢ`, computed as
  /// `m + log Σ_c exp(zᵢc − m) − zᵢ,yᵢ` with `m = maxᵢ z` so no exponential overflows.
  ///
  /// - Returns: the per-sample losses, shape `[batch]`.
  /// - Backward: `z̄ᵢ = ℓ̄ᵢ·(softmax(zᵢ) − e_yᵢ)`
  public func crossEntropy(classIndices: Tensor) -> Tensor {
    precondition(
      rank == 2 && classIndices.shape == [shape[0]],
      "crossEntropy: expected logits [batch, classes] and class indices [batch], got \(shape) "
        + "and \(classIndices.shape)")
    let (batch, classes) = (shape[0], shape[1])
    let labels = (0..<batch).map { i -> Int in
      let value = classIndices[flat: i]
      guard let c = Int(exactly: value), c >= 0, c < classes else {
        preconditionFailure("crossEntropy: class index \(value) out of range 0..<\(classes)")
      }
      return c
    }
    let losses = Tensor(uninitializedShape: [batch], dtype: dtype)
    func run<T: TensorScalar>(_: T.Type) {
      let z = storage.pointer(as: T.self)
      let out = losses.storage.pointer(as: T.self)
      for i in 0..<batch {
        let row = z + i * classes
        var m = -T.infinity
        for c in 0..<classes where row[c] > m || row[c].isNaN { m = row[c] }
        if !m.isFinite { m = m.isNaN ? m : 0 }
        var s: T = 0
        for c in 0..<classes { s += T.exp(row[c] - m) }
        out[i] = m + T.log(s) - row[labels[i]]
      }
    }
    switch dtype {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    }
    let logits = self
    return losses.recorded("crossEntropy", "z̄ = ℓ̄·(softmax(z) − onehot(y))", inputs: [self]) {
      dy, _ in
      let target = Tensor.zeros([batch, classes], dtype: logits.dtype)
      for (i, c) in labels.enumerated() { target[flat: i * classes + c] = 1 }
      return [(logits.softmax(axis: 1) - target) * dy.reshape([batch, 1])]
    }
  }
}
