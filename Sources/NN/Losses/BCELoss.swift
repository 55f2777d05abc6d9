import AutoGrad

/// Binary cross-entropy of probabilities,
/// `ℓᵢ = −(yᵢ·log pᵢ + (1 − yᵢ)·log(1 − pᵢ))` (like `torch.nn.BCELoss`).
///
/// As in PyTorch, each log is clamped at −100, so p = 0 or 1 gives a finite loss (100 per
/// element at most), and the gradient `p̄ = ȳ·(p − y)/max(p(1 − p), 10⁻¹²)` stays finite.
public struct BCELoss: Sendable {
  public var reduction: Reduction
  public init(reduction: Reduction = .mean) { self.reduction = reduction }

  public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
    precondition(
      input.shape == target.shape, "BCELoss: input \(input.shape) vs target \(target.shape)")
    let p = input
    let y = target
    let losses = withoutGrad {
      -(y * p.log().clamp(min: -100) + (1 - y) * (1 - p).log().clamp(min: -100))
    }
    // Own backward: the composition would multiply 0 by ∞ at p ∈ {0, 1}.
    return reduction.apply(
      losses.recorded("binaryCrossEntropy", "p̄ = ȳ(p − y)/max(p(1−p), 1e-12)", inputs: [p]) {
        dy, _ in [dy * (p - y) / (p * (1 - p)).clamp(min: 1e-12)]
      })
  }
}

/// Binary cross-entropy of logits, `ℓᵢ = −(yᵢ·log σ(zᵢ) + (1 − yᵢ)·log(1 − σ(zᵢ)))`, computed
/// stably as `max(z, 0) − z·y + log(1 + e^(−|z|))` (like `torch.nn.BCEWithLogitsLoss`): finite
/// for logits of ±1000, and more accurate than `BCELoss` after a `Sigmoid`.
///
/// - Backward: `z̄ = ȳ·(σ(z) − y)`
public struct BCEWithLogitsLoss: Sendable {
  public var reduction: Reduction
  public init(reduction: Reduction = .mean) { self.reduction = reduction }

  public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
    precondition(
      input.shape == target.shape,
      "BCEWithLogitsLoss: input \(input.shape) vs target \(target.shape)")
    let z = input
    let y = target
    let losses = withoutGrad { z.relu() - z * y + ((-z.abs()).exp() + 1).log() }
    return reduction.apply(
      losses.recorded("binaryCrossEntropyWithLogits", "z̄ = ȳ(σ(z) − y)", inputs: [z]) { dy, _ in
        [dy * (z.sigmoid() - y)]
      })
  }
}
