import AutoGrad

/// An optimiser updates a fixed list of parameters from their gradients, in place and outside
/// the tape (like `torch.optim.Optimizer`).
///
/// A training step is `zeroGrad()`, a forward pass, `loss.backward()`, then `step()`. Updates
/// write the parameters' memory directly: no operation is recorded, and gradients are only read
/// (several parameters may share one gradient tensor).
public protocol Optimizer: AnyObject {
  /// The tensors being optimised.
  var parameters: [Tensor] { get }
  /// The current learning rate (schedules set it); never negative.
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

// MARK: - Shared checks

/// The message for a parameter list an optimiser cannot take, or `nil` when it is valid:
/// it must be non-empty and hold only leaves (tensors not computed by a recorded operation),
/// as PyTorch requires.
func parameterListError(_ parameters: [Tensor]) -> String? {
  if parameters.isEmpty { return "optimizer got an empty parameter list" }
  if let i = parameters.firstIndex(where: { !$0.isLeaf }) {
    return "can't optimize a non-leaf Tensor (parameter \(i), shape \(parameters[i].shape))"
  }
  return nil
}

/// The message for an invalid learning rate (negative or NaN), or `nil`.
func learningRateError(_ learningRate: Double) -> String? {
  learningRate >= 0 ? nil : "Invalid learning rate: \(learningRate)"
}

/// The gradient of `parameter` to update it with, checked against the parameter's shape and
/// dtype, or `nil` when it has none (the parameter is then skipped).
func checkedGradient(of parameter: Tensor, index: Int, optimizer: String) -> Tensor? {
  guard let grad = parameter.grad else { return nil }
  precondition(
    grad.shape == parameter.shape && grad.dtype == parameter.dtype,
    "\(optimizer): parameter \(index) is \(parameter.shape) (\(parameter.dtype)) but its gradient "
      + "is \(grad.shape) (\(grad.dtype))")
  return grad
}
