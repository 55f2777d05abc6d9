/// Operations that rearrange elements without changing them: reshape (a view sharing memory),
/// transpose and permute (copies).
extension Tensor {
  /// The same elements with a new shape of the same element count; one dimension may be −1
  /// (inferred). Shares memory with `self`.
  ///
  /// - Backward: `x̄ = reshape(ȳ, x.shape)`
  public func reshape(_ newShape: [Int]) -> Tensor {
    var resolved = newShape
    if let inferred = newShape.firstIndex(of: -1) {
      let known = newShape.enumerated().reduce(1) { $1.offset == inferred ? $0 : $0 * $1.element }
      precondition(
        known > 0 && count % known == 0, "reshape: cannot reshape \(shape) to \(newShape)")
      resolved[inferred] = count / known
    }
    precondition(
      resolved.allSatisfy { $0 >= 0 } && Shape.count(resolved) == count,
      "reshape: cannot reshape \(shape) (\(count) elements) to \(newShape)")
    if resolved == shape { return self }
    let from = shape
    return Tensor(storage: storage, shape: resolved).recorded(
      "reshape", "x̄ = reshape(ȳ)", from: self
    ) { dy, _, _ in dy.reshape(from) }
  }

  /// All dimensions from `startAxis` on merged into one (like `torch.flatten(x, 1)`).
  public func flattened(from startAxis: Int = 0) -> Tensor {
    guard let a = Shape.normalize(axis: startAxis, rank: rank) else { return reshape([count]) }
    return reshape(Array(shape[..<a]) + [Shape.count(Array(shape[a...]))])
  }

  /// A new dimension of size 1 inserted at `axis`.
  public func unsqueezed(at axis: Int) -> Tensor {
    let a = axis < 0 ? axis + rank + 1 : axis
    precondition(a >= 0 && a <= rank, "unsqueezed: axis \(axis) out of range for shape \(shape)")
    var s = shape
    s.insert(1, at: a)
    return reshape(s)
  }

  /// The dimension `axis`, which must have size 1, removed.
  public func squeezed(at axis: Int) -> Tensor {
    guard let a = Shape.normalize(axis: axis, rank: rank), shape[a] == 1 else {
      preconditionFailure("squeezed: axis \(axis) of shape \(shape) is not of size 1")
    }
    var s = shape
    s.remove(at: a)
    return reshape(s)
  }

  /// The dimensions reordered: result dimension i is input dimension `axes[i]`.
  ///
  /// - Backward: `x̄ = permute(ȳ, axes⁻¹)`
  public func permuted(_ axes: [Int]) -> Tensor {
    precondition(
      axes.sorted() == Array(0..<rank),
      "permuted: \(axes) is not a permutation of the axes of shape \(shape)")
    if axes == Array(0..<rank) { return self }
    let own = Shape.strides(shape)
    let y = strided(shape: axes.map { shape[$0] }, strides: axes.map { own[$0] })
    var inverse = [Int](repeating: 0, count: rank)
    for (i, a) in axes.enumerated() { inverse[a] = i }
    return y.recorded("permute", "x̄ = permute(ȳ, inverse)", from: self) { dy, _, _ in
      dy.permuted(inverse)
    }
  }

  /// Dimensions `axis0` and `axis1` swapped (a copy).
  ///
  /// - Backward: `x̄ = transpose(ȳ)`
  public func transposed(_ axis0: Int = -2, _ axis1: Int = -1) -> Tensor {
    guard let a = Shape.normalize(axis: axis0, rank: rank),
      let b = Shape.normalize(axis: axis1, rank: rank)
    else { preconditionFailure("transposed: axes \(axis0), \(axis1) out of range for \(shape)") }
    var axes = Array(0..<rank)
    axes.swapAt(a, b)
    return permuted(axes)
  }

  /// The transpose of a matrix (the last two dimensions swapped), like `x.T` / `x.mT`.
  public var T: Tensor { transposed() }

  /// A copy converted to `dtype` (like `x.to(torch.float64)`).
  ///
  /// - Backward: `x̄ = ȳ` converted back
  public func to(_ dtype: DType) -> Tensor {
    if dtype == self.dtype { return self }
    let y = Tensor(uninitializedShape: shape, dtype: dtype)
    switch dtype {
    case .float32:
      let (s, d) = (storage.pointer(as: Double.self), y.storage.pointer(as: Float.self))
      for i in 0..<count { d[i] = Float(s[i]) }
    case .float64:
      let (s, d) = (storage.pointer(as: Float.self), y.storage.pointer(as: Double.self))
      for i in 0..<count { d[i] = Double(s[i]) }
    }
    let from = self.dtype
    return y.recorded("to", "x̄ = ȳ converted back", from: self) { dy, _, _ in dy.to(from) }
  }
}
