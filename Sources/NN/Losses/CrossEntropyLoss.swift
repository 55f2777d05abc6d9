import AutoGrad

/// Cross-entropy of logits (like `torch.nn.CrossEntropyLoss`): the negative log-likelihood of
/// the softmax, `ℓᵢ = −Σ_c qᵢc·log softmax(zᵢ)_c`, where the target distribution qᵢ is
///
/// - one-hot at the class index yᵢ, when the target is `[batch]` class indices (0 ..< C), or
/// - the given probabilities, when the target is `[batch, C]`;
///
/// with label smoothing ε, q ← (1 − ε)·q + ε/C. The log-softmax is computed stably through
/// log-sum-exp.
///
/// - Backward: `z̄ᵢ = ȳᵢ·(softmax(zᵢ) − qᵢ)` (÷ batch for the mean)
public struct CrossEntropyLoss: Sendable {
  public var reduction: Reduction
  /// ε in [0, 1].
  public var labelSmoothing: Double

  public init(reduction: Reduction = .mean, labelSmoothing: Double = 0) {
    precondition(
      labelSmoothing >= 0 && labelSmoothing <= 1,
      "CrossEntropyLoss: labelSmoothing must be in [0, 1], got \(labelSmoothing)")
    self.reduction = reduction
    self.labelSmoothing = labelSmoothing
  }

  public func callAsFunction(_ logits: Tensor, _ target: Tensor) -> Tensor {
    precondition(
      logits.rank == 2, "CrossEntropyLoss: expected logits [batch, classes], got \(logits.shape)")
    let classes = logits.shape[1]
    let perSample: Tensor
    if target.shape == logits.shape {
      let logProbabilities = logits.logSoftmax(axis: 1)
      let q =
        labelSmoothing > 0
        ? target * (1 - labelSmoothing) + labelSmoothing / Double(classes) : target
      perSample = -(logProbabilities * q).sum(axis: 1)
    } else if labelSmoothing > 0 {
      let logProbabilities = logits.logSoftmax(axis: 1)
      let picked = NLLLoss.pick(logProbabilities, target, op: "CrossEntropyLoss")
      let uniform = logProbabilities.mean(axis: 1)
      perSample = -(picked * (1 - labelSmoothing) + uniform * labelSmoothing)
    } else {
      // The common case, fused: one pass, one tape entry.
      let indices = target.dtype == logits.dtype ? target : target.to(logits.dtype)
      perSample = logits.crossEntropy(classIndices: indices)
    }
    return reduction.apply(perSample)
  }
}

/// Negative log-likelihood of log-probabilities and class indices, `ℓᵢ = −log pᵢ,yᵢ`
/// (like `torch.nn.NLLLoss`); pair it with `LogSoftmax`.
///
/// - Backward: `x̄ᵢc = −ȳᵢ·1[c = yᵢ]`
public struct NLLLoss: Sendable {
  public var reduction: Reduction
  public init(reduction: Reduction = .mean) { self.reduction = reduction }

  public func callAsFunction(_ logProbabilities: Tensor, _ target: Tensor) -> Tensor {
    reduction.apply(-NLLLoss.pick(logProbabilities, target, op: "NLLLoss"))
  }

  /// `x[i, yᵢ]` for each row i: `[batch, C]` values and `[batch]` class indices → `[batch]`.
  static func pick(_ x: Tensor, _ target: Tensor, op: String) -> Tensor {
    precondition(
      x.rank == 2 && target.shape == [x.shape[0]],
      "\(op): expected input [batch, classes] and class indices [batch], got \(x.shape) and "
        + "\(target.shape)")
    let indices = target.dtype == x.dtype ? target : target.to(x.dtype)
    return x.gather(axis: 1, indices: indices.reshape([x.shape[0], 1])).reshape([x.shape[0]])
  }
}
