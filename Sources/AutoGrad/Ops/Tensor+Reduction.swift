/// Reductions along axes, with or without keeping the reduced dimensions (as size 1).
/// Axes may be negative (−1 is the last); an empty axis list means all axes.
extension Tensor {
  /// Resolves `axes` (all when empty) to sorted, distinct, non-negative axes.
  func resolvedAxes(_ axes: [Int], op: String) -> [Int] {
    if axes.isEmpty { return Array(0..<rank) }
    let resolved = axes.map { axis -> Int in
      guard let a = Shape.normalize(axis: axis, rank: rank) else {
        preconditionFailure("\(op): axis \(axis) out of range for shape \(shape)")
      }
      return a
    }
    // Sorted, repeats dropped; without a `Set`, whose hashing cost 0.25 µs of a 0.75 µs
    // bias-gradient sum.
    if resolved.count == 1 { return resolved }
    var distinct: [Int] = []
    for a in resolved.sorted() where distinct.last != a { distinct.append(a) }
    return distinct
  }

  /// The sum over `axes` (all axes when empty).
  ///
  /// - Backward: `x̄ = ȳ` repeated along the summed axes
  public func sum(axes: [Int] = [], keepDims: Bool = false) -> Tensor {
    scaledSum(
      resolvedAxes(axes, op: "sum"), keepDims: keepDims, scale: 1, op: "sum",
      formula: "x̄ = ȳ repeated along the summed axes")
  }

  /// The sum along one axis.
  public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
    sum(axes: [axis], keepDims: keepDims)
  }

  /// The mean over `axes` (all axes when empty).
  ///
  /// - Backward: `x̄ = ȳ / n` repeated along the reduced axes, n the number of elements averaged
  public func mean(axes: [Int] = [], keepDims: Bool = false) -> Tensor {
    let resolved = resolvedAxes(axes, op: "mean")
    return scaledSum(
      resolved, keepDims: keepDims, scale: 1 / Double(resolved.reduce(1) { $0 * shape[$1] }),
      op: "mean", formula: "x̄ = ȳ/n repeated along the averaged axes")
  }

  /// `scale · Σ` over the resolved `axes`, as one tape entry (the scaling unrecorded: a loss's
  /// mean is taken every step, and as a sum and a multiply it was two entries).
  ///
  /// - Backward: `x̄ = scale · ȳ` repeated along the summed axes
  private func scaledSum(
    _ axes: [Int], keepDims: Bool, scale: Double, op: String, formula: String
  ) -> Tensor {
    let kept = Shape.reduced(shape, axes: axes, keepDims: true)
    let total = reduced(.sum, to: kept)
    let y = scale == 1 ? total : total * scale
    let out = Tensor(
      storage: y.storage, shape: Shape.reduced(shape, axes: axes, keepDims: keepDims))
    let from = shape
    return out.recorded(op, formula, from: self) { dy, _, _ in
      (scale == 1 ? dy : dy * scale).reshape(kept).expand(to: from)
    }
  }

  /// The mean along one axis.
  public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
    mean(axes: [axis], keepDims: keepDims)
  }

  /// The maximum over `axes` (all axes when empty).
  ///
  /// - Backward: `x̄ = ȳ` routed to the maximal elements, split evenly among ties (as
  ///   PyTorch's `amax`).
  public func max(axes: [Int] = [], keepDims: Bool = false) -> Tensor {
    extremum(.max, axes: axes, keepDims: keepDims, op: "max")
  }

  /// The maximum along one axis.
  public func max(axis: Int, keepDims: Bool = false) -> Tensor {
    max(axes: [axis], keepDims: keepDims)
  }

  /// The minimum over `axes` (all axes when empty).
  ///
  /// - Backward: `x̄ = ȳ` routed to the minimal elements, split evenly among ties.
  public func min(axes: [Int] = [], keepDims: Bool = false) -> Tensor {
    extremum(.min, axes: axes, keepDims: keepDims, op: "min")
  }

  /// The minimum along one axis.
  public func min(axis: Int, keepDims: Bool = false) -> Tensor {
    min(axes: [axis], keepDims: keepDims)
  }

  private func extremum(
    _ kernel: ReductionKernel, axes: [Int], keepDims: Bool, op: String
  ) -> Tensor {
    let axes = resolvedAxes(axes, op: op)
    let kept = Shape.reduced(shape, axes: axes, keepDims: true)
    let y = reduced(kernel, to: kept)
    let out = Tensor(
      storage: y.storage, shape: Shape.reduced(shape, axes: axes, keepDims: keepDims))
    return out.recorded(op, "x̄ = ȳ at the arg\(op) (ties share it)", from: self) { dy, y, x in
      // The mask of extremal elements is a constant: the derivative is piecewise that of x.
      let hits = Tensor.zipped(.equal, x.detached(), y.detached().reshape(kept), op: op)
      let share = hits / hits.reduced(.sum, to: kept)
      return dy.reshape(kept).expand(to: x.shape) * share
    }
  }

  /// `log Σ exp(x)` over `axes`, computed stably as `m + log Σ exp(x − m)` with `m = max x`.
  ///
  /// - Backward: `x̄ = ȳ ⊙ exp(x − y)` (the softmax along the axes)
  public func logSumExp(axes: [Int] = [], keepDims: Bool = false) -> Tensor {
    let axes = resolvedAxes(axes, op: "logSumExp")
    let kept = Shape.reduced(shape, axes: axes, keepDims: true)
    let value: Tensor = withoutGrad {
      var m = reduced(.max, to: kept)
      m = Tensor.zipped(
        .maximum, m, m.scalar(-Double(Float.greatestFiniteMagnitude)), op: "logSumExp")
      let s = Tensor.zipped(.subtract, self, m, op: "logSumExp").mapped(.exp).reduced(
        .sum, to: kept)
      return Tensor.zipped(.add, s.mapped(.log), m, op: "logSumExp")
    }
    let out = Tensor(
      storage: value.storage, shape: Shape.reduced(shape, axes: axes, keepDims: keepDims))
    return out.recorded("logSumExp", "x̄ = ȳ⊙exp(x − y)", from: self) { dy, y, x in
      dy.reshape(kept) * (x - y.reshape(kept)).exp()
    }
  }

  /// The logSumExp along one axis.
  public func logSumExp(axis: Int, keepDims: Bool = false) -> Tensor {
    logSumExp(axes: [axis], keepDims: keepDims)
  }

  /// The index of the largest element along `axis` (the first one among ties), as a tensor of
  /// the same dtype holding integer values; not differentiable.
  public func argmax(axis: Int, keepDims: Bool = false) -> Tensor {
    guard let a = Shape.normalize(axis: axis, rank: rank) else {
      preconditionFailure("argmax: axis \(axis) out of range for shape \(shape)")
    }
    let (outer, n, inner) = Shape.split(shape, at: a)
    precondition(n > 0, "argmax: empty axis \(axis) in shape \(shape)")
    let out = Tensor(
      uninitializedShape: Shape.reduced(shape, axes: [a], keepDims: keepDims), dtype: dtype)
    func run<T: TensorScalar>(_: T.Type) {
      let x = storage.pointer(as: T.self)
      let y = out.storage.pointer(as: T.self)
      for o in 0..<outer {
        for i in 0..<inner {
          let base = x + o * n * inner + i
          var best = 0
          var bestValue = base[0]
          for j in 1..<n {
            let v = base[j * inner]
            if v > bestValue || (v.isNaN && !bestValue.isNaN) {
              best = j
              bestValue = v
            }
          }
          y[o * inner + i] = T(best)
        }
      }
    }
    switch dtype {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    }
    return out
  }

  /// The index of the largest element of the whole (flattened) tensor.
  public func argmax() -> Int { Int(reshape([count]).argmax(axis: 0).item()) }
}
