/// The pair of operations behind broadcasting: `expand(to:)` repeats a tensor along broadcast
/// dimensions, and `sum(toShape:)` — its adjoint — sums a gradient back over them. Each is the
/// other's backward, so broadcasting is differentiable to any order.
extension Tensor {
  /// This tensor repeated along dimensions of size 1 (and new leading ones) to `shape`
  /// (like `torch.Tensor.expand`, but materialised).
  ///
  /// - Backward: `x̄ = sumToShape(ȳ, x.shape)`
  public func expand(to shape: [Int]) -> Tensor {
    if shape == self.shape { return self }
    precondition(
      Shape.broadcast(self.shape, shape) == shape,
      "expand: shape \(self.shape) cannot be broadcast to \(shape)")
    let y = strided(shape: shape, strides: Shape.broadcastStrides(self.shape, to: shape))
    let from = self.shape
    return y.recorded("expand", "x̄ = ȳ summed over the broadcast axes", from: self) { dy, _, _ in
      dy.sum(toShape: from)
    }
  }

  /// The sum of this tensor over the dimensions along which `shape` was broadcast to this
  /// tensor's shape, reshaped to `shape`: the adjoint of `expand(to:)`.
  ///
  /// - Backward: `x̄ = expand(ȳ, x.shape)`
  public func sum(toShape shape: [Int]) -> Tensor {
    if shape == self.shape { return self }
    precondition(
      Shape.broadcast(shape, self.shape) == self.shape,
      "sum(toShape:): shape \(self.shape) is not a broadcast of \(shape)")
    let lead = self.shape.count - shape.count
    let keep = [Int](repeating: 1, count: lead) + shape
    let y = reduced(.sum, to: keep)
    let result = Tensor(storage: y.storage, shape: shape)
    let from = self.shape
    return result.recorded("sumToShape", "x̄ = ȳ repeated along the summed axes", from: self) {
      dy, _, _ in dy.expand(to: from)
    }
  }
}
