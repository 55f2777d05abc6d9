/// The bridge from tensors to the raw-buffer kernels: allocate the result, check dtypes and
/// shapes, and call the kernel specialised for the element type. Nothing here touches the tape.
extension Tensor {

  /// `kernel` applied to every element, in a new tensor.
  func mapped(_ kernel: UnaryKernel) -> Tensor {
    let y = Tensor(uninitializedShape: shape, dtype: dtype)
    switch dtype {
    case .float32:
      kernel.run(storage.pointer(as: Float.self), y.storage.pointer(as: Float.self), count: count)
    case .float64:
      kernel.run(storage.pointer(as: Double.self), y.storage.pointer(as: Double.self), count: count)
    }
    return y
  }

  /// `kernel` applied to broadcast pairs of elements of `a` and `b`, in a new tensor.
  static func zipped(_ kernel: BinaryKernel, _ a: Tensor, _ b: Tensor, op: String) -> Tensor {
    precondition(a.dtype == b.dtype, "\(op): dtypes differ: \(a.dtype) vs \(b.dtype)")
    // Equal shapes and scalar operands (the common cases) run as one flat loop, with unit or
    // zero strides and no stride arrays; other shapes go through the broadcasting loop.
    let shape: [Int]
    let flat: (a: Int, b: Int)?
    let sameShape = a.shape == b.shape
    if sameShape || b.count == 1 && a.rank >= b.rank {
      (shape, flat) = (a.shape, (1, sameShape ? 1 : 0))
    } else if a.count == 1 && b.rank >= a.rank {
      (shape, flat) = (b.shape, (0, 1))
    } else {
      guard let broadcast = Shape.broadcast(a.shape, b.shape) else {
        preconditionFailure("\(op): shapes \(a.shape) and \(b.shape) cannot be broadcast")
      }
      (shape, flat) = (broadcast, nil)
    }
    let y = Tensor(uninitializedShape: shape, dtype: a.dtype)
    run(kernel, a, b, into: y, flat: flat)
    return y
  }

  /// `y = a + b` written over `a`, outside the tape: the additions of `a + b` for equal shapes and
  /// dtypes (each element is read before its result is written).
  static func add(_ b: Tensor, into a: Tensor) {
    precondition(
      a.shape == b.shape && a.dtype == b.dtype,
      "add(_:into:): \(b.shape) (\(b.dtype)) onto \(a.shape) (\(a.dtype))")
    run(.add, a, b, into: a, flat: (1, 1))
  }

  /// `kernel` over `y`'s shape, as one flat loop with the strides `flat`, else broadcasting.
  private static func run(
    _ kernel: BinaryKernel, _ a: Tensor, _ b: Tensor, into y: Tensor, flat: (a: Int, b: Int)?
  ) {
    func run<T: TensorScalar>(_: T.Type) {
      let (out, pa, pb) = (
        y.storage.pointer(as: T.self), a.storage.pointer(as: T.self), b.storage.pointer(as: T.self)
      )
      if let flat {
        kernel.run(count: y.count, out: out, pa, stride: flat.a, pb, stride: flat.b)
      } else {
        kernel.run(
          shape: y.shape, out: out, pa, strides: Shape.broadcastStrides(a.shape, to: y.shape), pb,
          strides: Shape.broadcastStrides(b.shape, to: y.shape))
      }
    }
    switch y.dtype {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    }
  }

  /// `kernel` reducing this tensor to `outShape` (same rank, 1 along reduced axes).
  func reduced(_ kernel: ReductionKernel, to outShape: [Int]) -> Tensor {
    let y = Tensor(uninitializedShape: outShape, dtype: dtype)
    func run<T: TensorScalar>(_: T.Type) {
      kernel.run(
        shape: shape, input: storage.pointer(as: T.self), out: y.storage.pointer(as: T.self),
        outShape: outShape)
    }
    switch dtype {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    }
    return y
  }

  /// A contiguous copy of this tensor's elements read with `strides` as a tensor of `shape`.
  func strided(shape: [Int], strides: [Int]) -> Tensor {
    let y = Tensor(uninitializedShape: shape, dtype: dtype)
    func run<T: TensorScalar>(_: T.Type) {
      CopyKernel.run(
        shape: shape, out: y.storage.pointer(as: T.self), storage.pointer(as: T.self),
        strides: strides)
    }
    switch dtype {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    }
    return y
  }

  /// A constant (not differentiable) scalar of this tensor's dtype.
  @inline(__always) func scalar(_ value: Double) -> Tensor {
    Tensor(shape: [], doubles: [value], dtype: dtype)
  }
}
