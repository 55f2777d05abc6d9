import AutoGrad

/// How a loss combines its per-element values (PyTorch's `reduction`).
public enum Reduction: Sendable {
  /// The average (the default).
  case mean
  /// The total.
  case sum
  /// No reduction: one loss per element (or per sample, for class losses).
  case none

  /// Applies the reduction to per-element losses.
  public func apply(_ losses: Tensor) -> Tensor {
    switch self {
    case .mean: return losses.mean()
    case .sum: return losses.sum()
    case .none: return losses
    }
  }
}
