import AutoGrad

/// An optimiser updates a fixed list of parameters from their gradients, in place and outside
/// the tape (like `torch.optim.Optimizer`).
public protocol Optimizer: AnyObject {
  /// The tensors being optimised.
  var parameters: [Tensor] { get }
  /// The current learning rate (schedules set it).
  var learningRate: Double { get set }
  /// Applies one update from the parameters' current gradients; parameters without a gradient
  /// are skipped.
  func step()
}

extension Optimizer {
  /// Clears every parameter's gradient (sets it to `nil`, like `zero_grad(set_to_none=True)`).
  public func zeroGrad() {
    for p in parameters { p.zeroGrad() }
  }
}
