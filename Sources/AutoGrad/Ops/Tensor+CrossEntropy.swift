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
    // softmax(zᵢ), kept for the backward pass: eᶻ⁻ᵐ / Σ eᶻ⁻ᵐ with the exponentials of the sum.
    let probabilities = Tensor(uninitializedShape: shape, dtype: dtype)
    func run<T: TensorScalar>(_: T.Type) {
      let z = storage.pointer(as: T.self)
      let p = probabilities.storage.pointer(as: T.self)
      let out = losses.storage.pointer(as: T.self)
      // zᵢc − m for every row (m kept in the loss slot), then all the exponentials in one pass
      // of the exp kernel (float32: `VectorMath`, 16 lanes at a time), then each row's sum.
      for i in 0..<batch {
        let (row, pRow) = (z + i * classes, p + i * classes)
        var m = -T.infinity
        for c in 0..<classes where row[c] > m || row[c].isNaN { m = row[c] }
        if !m.isFinite { m = m.isNaN ? m : 0 }
        for c in 0..<classes { pRow[c] = row[c] - m }
        out[i] = m
      }
      UnaryKernel.exp.run(p, p, count: batch * classes)
      for i in 0..<batch {
        let (row, pRow) = (z + i * classes, p + i * classes)
        var s: T = 0
        for c in 0..<classes { s += pRow[c] }
        out[i] = out[i] + T.log(s) - row[labels[i]]
        for c in 0..<classes { pRow[c] /= s }
      }
    }
    switch dtype {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    }
    return losses.recorded("crossEntropy", "z̄ = ℓ̄·(softmax(z) − onehot(y))", from: self) {
      dy, _, logits in
      guard GradMode.isEnabled else {
        // One pass over the saved softmax: z̄ᵢc = ℓ̄ᵢ·(pᵢc − [c = yᵢ]).
        return Tensor.crossEntropyGradient(probabilities, labels: labels, dy)
      }
      // Recording the backward (double backward): the same formula as differentiable ops.
      let target = Tensor.zeros([batch, classes], dtype: logits.dtype)
      for (i, c) in labels.enumerated() { target[flat: i * classes + c] = 1 }
      return (logits.softmax(axis: 1) - target) * dy.reshape([batch, 1])
    }
  }

  /// `z̄ᵢc = ℓ̄ᵢ·(pᵢc − [c = yᵢ])` for probabilities `p` `[batch, classes]`, in one pass.
  private static func crossEntropyGradient(_ p: Tensor, labels: [Int], _ dy: Tensor) -> Tensor {
    let (batch, classes) = (p.shape[0], p.shape[1])
    let grad = Tensor(uninitializedShape: p.shape, dtype: p.dtype)
    func run<T: TensorScalar>(_: T.Type) {
      let (pp, g, d) = (
        p.storage.pointer(as: T.self), grad.storage.pointer(as: T.self),
        dy.storage.pointer(as: T.self)
      )
      for i in 0..<batch {
        let scale = d[i]
        for c in 0..<classes { g[i * classes + c] = scale * pp[i * classes + c] }
        g[i * classes + labels[i]] = scale * (pp[i * classes + labels[i]] - 1)
      }
    }
    switch p.dtype {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    }
    return grad
  }
}
