import AutoGrad

/// The perceptron criterion `ℓᵢ = max(0, −yᵢ·sᵢ)` for scores s and labels y ∈ {−1, +1}: zero for
/// correctly classified samples, the (negated) score for misclassified ones. Gradient descent on
/// it with step 1 is Rosenblatt's perceptron update `w ← w + yᵢxᵢ` on mistakes.
///
/// - Backward: `s̄ᵢ = −yᵢ·1[yᵢsᵢ < 0]·ȳ`
public struct PerceptronCriterion: Sendable {
  public var reduction: Reduction
  public init(reduction: Reduction = .mean) { self.reduction = reduction }

  public func callAsFunction(_ scores: Tensor, _ target: Tensor) -> Tensor {
    precondition(
      scores.shape == target.shape,
      "PerceptronCriterion: scores \(scores.shape) vs labels \(target.shape)")
    return reduction.apply((-(target * scores)).relu())
  }
}
