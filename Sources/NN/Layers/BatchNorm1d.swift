import AutoGrad

/// Batch normalisation over the batch axis (Ioffe & Szegedy, 2015, "Batch Normalization:
/// Accelerating Deep Network Training by Reducing Internal Covariate Shift"), like
/// `torch.nn.BatchNorm1d` for inputs `[batch, features]`.
///
/// - Forward (training): `μ = mean_batch x`, `σ² = mean_batch (x − μ)²` (biased),
///   `y = γ ⊙ (x − μ)/√(σ² + ε) + β`; the running statistics move towards the batch's:
///   `r ← (1 − momentum)·r + momentum·s`, with the unbiased variance `σ²·n/(n − 1)` for the
///   running variance, as in PyTorch.
/// - Forward (evaluation): the running mean and variance replace μ and σ².
/// - Backward: through the composition above (the batch statistics depend on x).
public final class BatchNorm1d: Module, TrainingModeAware {
  /// γ, initialised to 1 (`nil` when not affine).
  public let weight: Tensor?
  /// β, initialised to 0 (`nil` when not affine).
  public let bias: Tensor?
  /// The running mean, a buffer (saved in the state dict, not trained).
  public let runningMean: Tensor
  /// The running (unbiased) variance, a buffer.
  public let runningVar: Tensor
  public let eps: Double
  public let momentum: Double
  public var isTraining = true

  public init(
    _ features: Int, eps: Double = 1e-5, momentum: Double = 0.1, affine: Bool = true,
    dtype: DType = .float32
  ) {
    precondition(features > 0, "BatchNorm1d: features must be positive, got \(features)")
    self.eps = eps
    self.momentum = momentum
    weight = affine ? Tensor.ones([features], dtype: dtype, requiresGrad: true) : nil
    bias = affine ? Tensor.zeros([features], dtype: dtype, requiresGrad: true) : nil
    runningMean = Tensor.zeros([features], dtype: dtype)
    runningVar = Tensor.ones([features], dtype: dtype)
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(
      input.rank == 2 && input.shape[1] == runningMean.count,
      "BatchNorm1d: expected input [batch, \(runningMean.count)], got \(input.shape)")
    let normalized: Tensor
    if isTraining {
      let n = input.shape[0]
      precondition(n > 1, "BatchNorm1d: training needs more than one sample per batch, got \(n)")
      let mean = input.mean(axis: 0)
      let centered = input - mean
      let variance = centered.square().mean(axis: 0)
      normalized = centered / (variance + eps).sqrt()
      withoutGrad {
        let unbiased = variance.detached() * (Double(n) / Double(n - 1))
        update(runningMean, toward: mean.detached())
        update(runningVar, toward: unbiased)
      }
    } else {
      normalized = (input - runningMean) / (runningVar + eps).sqrt()
    }
    guard let weight, let bias else { return normalized }
    return normalized * weight + bias
  }

  /// `r ← (1 − momentum)·r + momentum·s`, in place.
  private func update(_ running: Tensor, toward statistic: Tensor) {
    for i in 0..<running.count {
      running[flat: i] = (1 - momentum) * running[flat: i] + momentum * statistic[flat: i]
    }
  }
}
