/// Selecting and combining parts of tensors: slices along an axis and their adjoint (embedding
/// into zeros), gather by index and its adjoint (scatter-add), concatenation and stacking.
extension Tensor {
  private func resolvedAxis(_ axis: Int, op: String) -> Int {
    guard let a = Shape.normalize(axis: axis, rank: rank) else {
      preconditionFailure("\(op): axis \(axis) out of range for shape \(shape)")
    }
    return a
  }

  /// Elements `start ..< start + length` along `axis` (like `torch.narrow`), as a copy.
  ///
  /// - Backward: `x̄ = ȳ` embedded at `start` in zeros of x's shape
  public func narrow(axis: Int, start: Int, length: Int) -> Tensor {
    let a = resolvedAxis(axis, op: "narrow")
    precondition(
      start >= 0 && length >= 0 && start + length <= shape[a],
      "narrow: range \(start)..<\(start + length) out of bounds for axis \(axis) of \(shape)")
    if start == 0 && length == shape[a] { return self }
    let (outer, n, inner) = Shape.split(shape, at: a)
    var outShape = shape
    outShape[a] = length
    let y = Tensor(uninitializedShape: outShape, dtype: dtype)
    let bytes = dtype.byteSize
    for o in 0..<outer {
      (y.storage.base + o * length * inner * bytes).copyMemory(
        from: storage.base + (o * n + start) * inner * bytes, byteCount: length * inner * bytes)
    }
    let size = shape[a]
    return y.recorded("narrow", "x̄ = ȳ placed in zeros", from: self) { dy, _, _ in
      dy.embedded(axis: a, at: start, size: size)
    }
  }

  /// Rows `range` of the first axis: `x[range]` in PyTorch.
  public subscript(rows range: Range<Int>) -> Tensor {
    narrow(axis: 0, start: range.lowerBound, length: range.count)
  }

  /// This tensor placed at `start` along `axis` inside zeros of size `size` there: the adjoint
  /// of `narrow`.
  ///
  /// - Backward: `x̄ = narrow(ȳ, start, x.shape[axis])`
  public func embedded(axis: Int, at start: Int, size: Int) -> Tensor {
    let a = resolvedAxis(axis, op: "embedded")
    let length = shape[a]
    precondition(
      start >= 0 && start + length <= size,
      "embedded: \(length) elements at \(start) do not fit in \(size) along axis \(axis)")
    var outShape = shape
    outShape[a] = size
    let y = Tensor.zeros(outShape, dtype: dtype)
    let (outer, _, inner) = Shape.split(shape, at: a)
    let bytes = dtype.byteSize
    for o in 0..<outer {
      (y.storage.base + (o * size + start) * inner * bytes).copyMemory(
        from: storage.base + o * length * inner * bytes, byteCount: length * inner * bytes)
    }
    return y.recorded("embed", "x̄ = ȳ narrowed", from: self) { dy, _, _ in
      dy.narrow(axis: a, start: start, length: length)
    }
  }

  /// Elements picked along `axis` by `indices` (like `torch.gather`):
  /// `y[…, j, …] = x[…, indices[…, j, …], …]`. `indices` holds integer values and has the shape of
  /// `x` except along `axis`. Typical use: the logit of each sample's class,
  /// `logits.gather(axis: 1, indices: labels.unsqueezed(at: 1))`.
  ///
  /// - Backward: `x̄ = scatterAdd(zeros, indices, ȳ)`: each ȳ added where its element came from
  public func gather(axis: Int, indices: Tensor) -> Tensor {
    let a = resolvedAxis(axis, op: "gather")
    checkIndexShape(indices, axis: a, op: "gather")
    let (outer, n, inner) = Shape.split(shape, at: a)
    let m = indices.shape[a]
    let picks = Self.positions(indices, below: n, op: "gather")
    let y = Tensor(uninitializedShape: indices.shape, dtype: dtype)
    func run<T: TensorScalar>(_: T.Type) {
      let (x, out) = (storage.pointer(as: T.self), y.storage.pointer(as: T.self))
      Self.forEachIndexed(outer: outer, m: m, inner: inner, size: n, positions: picks) {
        at, from in out[at] = x[from]
      }
    }
    switch dtype {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    }
    let size = shape[a]
    return y.recorded("gather", "x̄ = ȳ scattered back to the gathered places", from: self) {
      dy, _, _ in dy.scatterAdd(axis: a, indices: indices, size: size)
    }
  }

  /// Zeros of this tensor's shape with `size` along `axis`, into which each element is added at
  /// the position `indices` names: the adjoint of `gather`.
  ///
  /// - Backward: `x̄ = gather(ȳ, indices)`
  public func scatterAdd(axis: Int, indices: Tensor, size: Int) -> Tensor {
    let a = resolvedAxis(axis, op: "scatterAdd")
    precondition(indices.shape == shape, "scatterAdd: indices \(indices.shape) vs source \(shape)")
    var outShape = shape
    outShape[a] = size
    let y = Tensor.zeros(outShape, dtype: dtype)
    let (outer, m, inner) = Shape.split(shape, at: a)
    let places = Self.positions(indices, below: size, op: "scatterAdd")
    func run<T: TensorScalar>(_: T.Type) {
      let (x, out) = (storage.pointer(as: T.self), y.storage.pointer(as: T.self))
      Self.forEachIndexed(outer: outer, m: m, inner: inner, size: size, positions: places) {
        at, to in out[to] += x[at]
      }
    }
    switch dtype {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    }
    return y.recorded("scatterAdd", "x̄ = ȳ gathered", from: self) { dy, _, _ in
      dy.gather(axis: a, indices: indices)
    }
  }

  private func checkIndexShape(_ indices: Tensor, axis: Int, op: String) {
    precondition(
      indices.rank == rank
        && zip(indices.shape, shape).enumerated().allSatisfy {
          $0.offset == axis || $0.element.0 == $0.element.1
        },
      "\(op): indices of shape \(indices.shape) do not match \(shape) outside axis \(axis)")
  }

  /// Calls `body(at, there)` for each element of an index tensor split as `[outer, m, inner]` at
  /// the indexed axis, in row-major order: `at` is its flat position, `there` the flat position
  /// of `[o, positions[at], i]` in a tensor split as `[outer, size, inner]` (gather reads there,
  /// scatterAdd adds there).
  @inline(__always)
  private static func forEachIndexed(
    outer: Int, m: Int, inner: Int, size: Int, positions: [Int], _ body: (Int, Int) -> Void
  ) {
    for o in 0..<outer {
      for j in 0..<m {
        for i in 0..<inner {
          let at = (o * m + j) * inner + i
          body(at, (o * size + positions[at]) * inner + i)
        }
      }
    }
  }

  /// The values of `indices` as positions, each checked to be an integer in `0..<n`.
  ///
  /// The check is made on the float and the conversion passed in for each concrete type: the
  /// generic `Int(exactly:)` or `Int(_:)` on a `T` runs the standard library's software
  /// conversion, most of the time of a gather of 100 K picks.
  private static func positions(_ indices: Tensor, below n: Int, op: String) -> [Int] {
    func convert<T: TensorScalar>(_: T.Type, _ toInt: (T) -> Int) -> [Int] {
      let (limit, values) = (T(n), indices.storage.pointer(as: T.self))
      return [Int](unsafeUninitializedCapacity: indices.count) { positions, initialized in
        for k in 0..<indices.count {
          let value = values[k]
          precondition(
            value >= 0 && value < limit && value == value.rounded(.towardZero),
            "\(op): index \(value) out of range 0..<\(n)")
          positions[k] = toInt(value)
        }
        initialized = indices.count
      }
    }
    switch indices.dtype {
    case .float32: return convert(Float.self) { Int($0) }
    case .float64: return convert(Double.self) { Int($0) }
    }
  }

  /// The tensors joined along `axis` (like `torch.cat`); all other dimensions must agree.
  ///
  /// - Backward: each input receives its own slice of ȳ
  public static func concat(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
    precondition(!tensors.isEmpty, "concat: no tensors")
    let first = tensors[0]
    let a = first.resolvedAxis(axis, op: "concat")
    for t in tensors {
      precondition(
        t.dtype == first.dtype && t.rank == first.rank
          && t.shape.indices.allSatisfy { $0 == a || t.shape[$0] == first.shape[$0] },
        "concat: shapes \(tensors.map(\.shape)) differ outside axis \(axis)")
    }
    let sizes = tensors.map { $0.shape[a] }
    var outShape = first.shape
    outShape[a] = sizes.reduce(0, +)
    let y = Tensor(uninitializedShape: outShape, dtype: first.dtype)
    let (outer, total, inner) = Shape.split(outShape, at: a)
    let bytes = first.dtype.byteSize
    var start = 0
    for (t, size) in zip(tensors, sizes) {
      for o in 0..<outer {
        (y.storage.base + (o * total + start) * inner * bytes).copyMemory(
          from: t.storage.base + o * size * inner * bytes, byteCount: size * inner * bytes)
      }
      start += size
    }
    let starts = sizes.indices.map { sizes[..<$0].reduce(0, +) }
    return y.recorded("concat", "x̄ᵢ = slice i of ȳ", from: SmallList(contentsOf: tensors)) {
      dy, _ in
      SmallList(contentsOf: zip(starts, sizes).map { dy.narrow(axis: a, start: $0, length: $1) })
    }
  }

  /// The tensors, all of one shape, stacked along a new axis (like `torch.stack`).
  public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
    concat(tensors.map { $0.unsqueezed(at: axis) }, axis: axis)
  }
}
