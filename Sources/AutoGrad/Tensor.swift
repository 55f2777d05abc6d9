/// An n-dimensional array of `Float` or `Double` whose operations are recorded on a tape, so that
/// `backward()` can compute gradients in reverse mode.
///
/// A tensor is a reference type, as in PyTorch: a parameter is shared by a model and its optimiser,
/// and its gradient accumulates in `grad`. Elements are stored contiguously in row-major order.
///
/// ```swift
/// let w = Tensor.randn([3, 2], requiresGrad: true)
/// let loss = (x.matmul(w) - y).pow(2).mean()
/// loss.backward()          // w.grad now holds ∂loss/∂w
/// ```
public final class Tensor {
  /// The size of each dimension; `[]` for a scalar (0-d) tensor.
  public let shape: [Int]
  /// The element type.
  public var dtype: DType { storage.dtype }
  /// Memory, possibly shared with views of this tensor. Never reassigned; a `var` only so that
  /// `isKnownUniquelyReferenced` can tell whether another tensor shares it (see `accumulate`).
  @exclusivity(unchecked) var storage: TensorStorage
  /// Whether gradients are computed for this tensor. Results of operations on tensors that
  /// require gradients require them too (while gradient recording is enabled).
  @exclusivity(unchecked) public var requiresGrad: Bool
  /// The accumulated gradient ∂L/∂self after `backward()`; `nil` until then, or after `zeroGrad()`.
  /// Only leaves (tensors not produced by a recorded operation) accumulate gradients.
  @exclusivity(unchecked) public var grad: Tensor?
  /// The tape entry that produced this tensor; `nil` for leaves.
  @exclusivity(unchecked) var node: TapeNode?
  /// An optional name, shown when the tape is printed (`w1`, `loss`, …).
  public var label: String?
  /// Whether `backward()` also stores this non-leaf tensor's gradient in `grad` (see `retainGrad()`).
  @exclusivity(unchecked) public private(set) var retainsGrad = false

  /// Wraps `storage` without copying. `shape` must describe exactly `storage.count` elements.
  init(storage: TensorStorage, shape: [Int], requiresGrad: Bool = false) {
    assert(Shape.count(shape) == storage.count, "Tensor: shape \(shape) vs \(storage.count)")
    self.storage = storage
    self.shape = shape
    self.requiresGrad = requiresGrad
  }

  /// A tensor with uninitialised elements, for kernels to fill.
  package convenience init(uninitializedShape shape: [Int], dtype: DType) {
    self.init(storage: TensorStorage.make(count: Shape.count(shape), dtype: dtype), shape: shape)
  }

  /// Creates a tensor from row-major `values`; the dtype follows `T` (`Float` → float32).
  ///
  /// - Precondition: `values.count` equals the product of `shape`.
  public convenience init<T: TensorScalar>(
    shape: [Int], values: [T], requiresGrad: Bool = false
  ) {
    precondition(
      Shape.count(shape) == values.count,
      "Tensor(shape:values:): shape \(shape) holds \(Shape.count(shape)) elements, got \(values.count)"
    )
    self.init(uninitializedShape: shape, dtype: T.dtype)
    _ = UnsafeMutableBufferPointer(start: storage.pointer(as: T.self), count: values.count)
      .update(fromContentsOf: values)
    self.requiresGrad = requiresGrad
  }

  /// Creates a tensor of `dtype` from row-major `values` given as doubles.
  public convenience init(
    shape: [Int], doubles values: [Double], dtype: DType = .float32, requiresGrad: Bool = false
  ) {
    precondition(
      Shape.count(shape) == values.count,
      "Tensor(shape:doubles:): shape \(shape) holds \(Shape.count(shape)) elements, got \(values.count)"
    )
    self.init(uninitializedShape: shape, dtype: dtype)
    switch dtype {
    case .float32:
      let p = storage.pointer(as: Float.self)
      for i in values.indices { p[i] = Float(values[i]) }
    case .float64:
      storage.pointer(as: Double.self).update(from: values, count: values.count)
    }
    self.requiresGrad = requiresGrad
  }

  /// A 0-d tensor holding `value`.
  public convenience init(_ value: Double, dtype: DType = .float32, requiresGrad: Bool = false) {
    self.init(shape: [], doubles: [value], dtype: dtype, requiresGrad: requiresGrad)
  }

  /// A 1-d tensor, like `torch.tensor([1, 2, 3])`.
  public convenience init(_ values: [Double], dtype: DType = .float32, requiresGrad: Bool = false) {
    self.init(shape: [values.count], doubles: values, dtype: dtype, requiresGrad: requiresGrad)
  }

  /// A 2-d tensor from rows of equal length, like `torch.tensor([[1, 2], [3, 4]])`.
  public convenience init(
    _ rows: [[Double]], dtype: DType = .float32, requiresGrad: Bool = false
  ) {
    let width = rows.first?.count ?? 0
    precondition(rows.allSatisfy { $0.count == width }, "Tensor: rows of different lengths")
    self.init(
      shape: [rows.count, width], doubles: rows.flatMap { $0 }, dtype: dtype,
      requiresGrad: requiresGrad)
  }

  /// A 3-d tensor from nested arrays of equal lengths.
  public convenience init(
    _ blocks: [[[Double]]], dtype: DType = .float32, requiresGrad: Bool = false
  ) {
    let rows = blocks.first?.count ?? 0
    let width = blocks.first?.first?.count ?? 0
    precondition(
      blocks.allSatisfy { $0.count == rows && $0.allSatisfy { $0.count == width } },
      "Tensor: nested arrays of different lengths")
    self.init(
      shape: [blocks.count, rows, width], doubles: blocks.flatMap { $0.flatMap { $0 } },
      dtype: dtype, requiresGrad: requiresGrad)
  }

  // MARK: - Properties

  /// Number of elements (the product of `shape`).
  public var count: Int { storage.count }
  /// Number of dimensions.
  public var rank: Int { shape.count }
  /// Whether this tensor was created by the user rather than by a recorded operation.
  public var isLeaf: Bool { node == nil }

  // MARK: - Element access

  /// The value of a one-element tensor, as a `Double` (like `tensor.item()`).
  public func item() -> Double {
    precondition(count == 1, "item(): tensor of shape \(shape) has \(count) elements, not 1")
    return self[flat: 0]
  }

  /// The element at a flat row-major position, as a `Double`.
  public subscript(flat index: Int) -> Double {
    get {
      precondition(index >= 0 && index < count, "Tensor: flat index \(index) out of range \(count)")
      switch dtype {
      case .float32: return Double(storage.pointer(as: Float.self)[index])
      case .float64: return storage.pointer(as: Double.self)[index]
      }
    }
    set {
      precondition(index >= 0 && index < count, "Tensor: flat index \(index) out of range \(count)")
      switch dtype {
      case .float32: storage.pointer(as: Float.self)[index] = Float(newValue)
      case .float64: storage.pointer(as: Double.self)[index] = newValue
      }
    }
  }

  /// The element at a multi-dimensional index, as a `Double`. Setting writes in place, outside
  /// the tape.
  public subscript(indices: Int...) -> Double {
    get { self[flat: Shape.flatIndex(indices, in: shape)] }
    set { self[flat: Shape.flatIndex(indices, in: shape)] = newValue }
  }

  /// All elements in row-major order, converted to `T`.
  ///
  /// Called from another module, a generic function runs unspecialised: a conversion `T(x)`
  /// per element through the protocol's witnesses, ≈ 200 ns each (10 K elements took 2.0–2.4 ms,
  /// now 10 µs; the examples' accuracy counts spent more time here than in their forward
  /// passes). The two element types are therefore dispatched to specialised copies first.
  public func scalars<T: TensorScalar>(as type: T.Type) -> [T] {
    if T.self == Float.self { return unsafeBitCast(elements(as: Float.self), to: [T].self) }
    if T.self == Double.self { return unsafeBitCast(elements(as: Double.self), to: [T].self) }
    return elements(as: T.self)
  }

  /// The elements converted to `T` (specialised for each `T` inside this module), written
  /// into the new array by one loop (`map` checked the capacity at every element).
  private func elements<T: TensorScalar>(as type: T.Type) -> [T] {
    func convert<S: TensorScalar>(_: S.Type) -> [T] {
      let source = storage.pointer(as: S.self)
      return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        for i in 0..<count { buffer[i] = T(source[i]) }
        initialized = count
      }
    }
    switch dtype {
    case .float32: return convert(Float.self)
    case .float64: return convert(Double.self)
    }
  }

  /// Calls `body` with the elements; `T` must match `dtype`.
  public func withUnsafeBufferPointer<T: TensorScalar, R>(
    as type: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R
  ) rethrows -> R {
    precondition(
      T.dtype == dtype, "withUnsafeBufferPointer: tensor is \(dtype), asked for \(T.dtype)")
    return try body(UnsafeBufferPointer(start: storage.pointer(as: T.self), count: count))
  }

  /// Calls `body` with mutable access to the elements (in place, outside the tape); `T` must
  /// match `dtype`. Views sharing this tensor's memory see the change.
  public func withUnsafeMutableBufferPointer<T: TensorScalar, R>(
    as type: T.Type, _ body: (UnsafeMutableBufferPointer<T>) throws -> R
  ) rethrows -> R {
    precondition(
      T.dtype == dtype, "withUnsafeMutableBufferPointer: tensor is \(dtype), asked for \(T.dtype)")
    return try body(UnsafeMutableBufferPointer(start: storage.pointer(as: T.self), count: count))
  }

  // MARK: - Graph

  /// A tensor sharing this one's memory but cut from the tape: no gradient flows through it.
  public func detached() -> Tensor {
    Tensor(storage: storage, shape: shape)
  }

  /// Clears the accumulated gradient (sets it to `nil`, like PyTorch's `zero_grad(set_to_none=True)`).
  public func zeroGrad() { grad = nil }

  /// Asks `backward()` to keep this intermediate tensor's gradient in `grad` as well (like
  /// PyTorch's `retain_grad()`), e.g. to inspect the δ of a hidden layer.
  public func retainGrad() { retainsGrad = true }

  /// Makes this tensor require gradients and returns it, for chaining: `Tensor.randn([3]).requiringGrad()`.
  @discardableResult public func requiringGrad(_ flag: Bool = true) -> Tensor {
    requiresGrad = flag
    return self
  }
}
