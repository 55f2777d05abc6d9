import AutoGrad

/// Mean squared error `ℓᵢ = (xᵢ − yᵢ)²` (like `torch.nn.MSELoss`).
///
/// - Backward: `x̄ᵢ = 2(xᵢ − yᵢ)·ȳ` (÷ n for the mean)
public struct MSELoss: Sendable {
  public var reduction: Reduction
  public init(reduction: Reduction = .mean) { self.reduction = reduction }

  public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
    precondition(
      input.shape == target.shape, "MSELoss: input \(input.shape) vs target \(target.shape)")
    return reduction.apply((input - target).square())
  }
}
