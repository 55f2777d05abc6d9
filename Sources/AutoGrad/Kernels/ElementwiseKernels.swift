/// Element-wise kernels on raw buffers: one map per unary function, one broadcasting zip per
/// binary function. They know nothing of the tape; the ops in `Ops/` call them.
enum UnaryKernel {
  case negate, exp, log, sqrt, abs, relu, sigmoid, tanh, sign, square, reciprocal
  /// 1 where x ≥ threshold, else 0.
  case step(threshold: Double)
  /// 1 where x > 0, else 0.
  case positive
  case clamp(min: Double, max: Double)
  /// xᵖ for a constant p.
  case power(Double)
  /// a·x + b for constants a, b.
  case affine(scale: Double, shift: Double)

  /// Applies the function to `count` contiguous elements of `x`, writing `y` (may alias `x`);
  /// large buffers are split between threads.
  func run<T: TensorScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count n: Int) {
    WorkerPool.forEachChunk(count: n) { range in
      runSerially(x + range.lowerBound, y + range.lowerBound, count: range.count)
    }
  }

  private func runSerially<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count n: Int
  ) {
    // Float32 exponentials and logarithms run 16 lanes at a time (`VectorMath`).
    if T.self == Float.self, let vectorised = vectorMath {
      let (xf, yf) = (
        UnsafeRawPointer(x).assumingMemoryBound(to: Float.self),
        UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self)
      )
      return vectorised(xf, yf, n)
    }
    @inline(__always) func map(_ f: (T) -> T) {
      for i in 0..<n { y[i] = f(x[i]) }
    }
    switch self {
    case .negate: map { -$0 }
    case .exp: map { T.exp($0) }
    case .log: map { T.log($0) }
    case .sqrt: map(Self.squareRoot)
    case .abs: map { Swift.abs($0) }
    case .relu: map { $0 > 0 ? $0 : 0 }
    case .sigmoid: map(Self.logistic)
    case .tanh: map { T.tanh($0) }
    case .sign: map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
    case .square: map { $0 * $0 }
    case .reciprocal: map { 1 / $0 }
    case .step(let threshold):
      let t = T(threshold)
      map { $0 >= t ? 1 : 0 }
    case .positive: map { $0 > 0 ? 1 : 0 }
    case .clamp(let lo, let hi):
      let l = T(lo)
      let h = T(hi)
      map { Swift.min(Swift.max($0, l), h) }
    case .power(let p):
      if p == 2 {
        map { $0 * $0 }
      } else if p == 1 {
        map { $0 }
      } else if p == 0.5 {
        map(Self.squareRoot)
      } else {
        let e = T(p)
        map { T.pow($0, e) }
      }
    case .affine(let a, let b):
      let s = T(a)
      let t = T(b)
      map { s * $0 + t }
    }
  }
}

extension UnaryKernel {
  /// `σ(v) = 1 / (1 + e⁻ᵛ)`, stable on both sides: for v < 0, `eᵛ / (1 + eᵛ)` avoids the
  /// overflow of `e⁻ᵛ`. `VectorMath.sigmoid` computes the same on 16 lanes.
  @inline(__always)
  static func logistic<T: TensorScalar>(_ v: T) -> T {
    if v >= 0 { return 1 / (1 + T.exp(-v)) }
    let e = T.exp(v)
    return e / (1 + e)
  }

  /// `√v`, with IEEE's special cases (√±0 = ±0, √v = NaN for v < 0 and for NaN, √+∞ = +∞),
  /// written as selects around `max(v, 0).squareRoot()` so that loops of it vectorise: on
  /// Linux a bare `squareRoot()` keeps a call to the C library's `sqrt` for negative inputs
  /// (to set errno), and a loop with a call in it stays scalar.
  @inline(__always)
  static func squareRoot<T: TensorScalar>(_ v: T) -> T {
    let root = Swift.max(v, 0).squareRoot()
    return v > 0 ? root : (v == 0 ? v : .nan)
  }

  /// The `VectorMath` loop computing this function on float32, if there is one.
  var vectorMath: ((UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void)? {
    switch self {
    case .exp: return { VectorMath.exp($0, $1, count: $2) }
    case .log: return { VectorMath.log($0, $1, count: $2) }
    case .sigmoid: return { VectorMath.sigmoid($0, $1, count: $2) }
    case .tanh: return { VectorMath.tanh($0, $1, count: $2) }
    default: return nil
    }
  }
}

/// Binary element-wise functions with broadcasting. Comparisons give 1 (true) or 0 (false).
enum BinaryKernel {
  case add, subtract, multiply, divide, power, maximum, minimum
  case equal, notEqual, less, lessEqual, greater, greaterEqual
  /// `a` where `b > 0`, else 0: ReLU's backward, ȳ passed where the output y is positive.
  case passedWherePositive

  /// `out[i] = f(a[i], b[i])` over `shape`, reading `a` and `b` with broadcast strides.
  func run<T: TensorScalar>(
    shape: [Int], out: UnsafeMutablePointer<T>,
    _ a: UnsafePointer<T>, strides sa: [Int], _ b: UnsafePointer<T>, strides sb: [Int]
  ) {
    if shape.count <= 1 {
      run(count: shape.first ?? 1, out: out, a, stride: sa.first ?? 0, b, stride: sb.first ?? 0)
      return
    }
    let loop = StridedLoop(shape: shape, strides: Shape.strides(shape), sa, sb)
    let (_, ia, ib) = loop.innerStrides
    loop.forEachRun { o, oa, ob in
      run(count: loop.innerCount, out: out + o, a + oa, stride: ia, b + ob, stride: ib)
    }
  }

  /// `out[i] = f(a[i·ia], b[i·ib])` for i < count; large runs are split between threads.
  func run<T: TensorScalar>(
    count: Int, out: UnsafeMutablePointer<T>,
    _ a: UnsafePointer<T>, stride ia: Int, _ b: UnsafePointer<T>, stride ib: Int
  ) {
    WorkerPool.forEachChunk(count: count) { range in
      let lo = range.lowerBound
      runSerially(
        count: range.count, out: out + lo, a + lo * ia, stride: ia, b + lo * ib, stride: ib)
    }
  }

  private func runSerially<T: TensorScalar>(
    count n: Int, out y: UnsafeMutablePointer<T>,
    _ x1: UnsafePointer<T>, stride ia: Int, _ x2: UnsafePointer<T>, stride ib: Int
  ) {
    // Unit and zero strides get their own loops so they vectorise.
    @inline(__always) func zip(_ f: (T, T) -> T) {
      if ia == 1 && ib == 1 {
        for i in 0..<n { y[i] = f(x1[i], x2[i]) }
      } else if ia == 1 && ib == 0 {
        let v = x2[0]
        for i in 0..<n { y[i] = f(x1[i], v) }
      } else if ia == 0 && ib == 1 {
        let v = x1[0]
        for i in 0..<n { y[i] = f(v, x2[i]) }
      } else {
        for i in 0..<n { y[i] = f(x1[i * ia], x2[i * ib]) }
      }
    }
    switch self {
    case .add: zip(+)
    case .subtract: zip(-)
    case .multiply: zip(*)
    case .divide: zip(/)
    case .power: zip { T.pow($0, $1) }
    case .maximum: zip { Swift.max($0, $1) }
    case .minimum: zip { Swift.min($0, $1) }
    case .equal: zip { $0 == $1 ? 1 : 0 }
    case .notEqual: zip { $0 != $1 ? 1 : 0 }
    case .less: zip { $0 < $1 ? 1 : 0 }
    case .lessEqual: zip { $0 <= $1 ? 1 : 0 }
    case .greater: zip { $0 > $1 ? 1 : 0 }
    case .greaterEqual: zip { $0 >= $1 ? 1 : 0 }
    case .passedWherePositive: zip { $1 > 0 ? $0 : 0 }
    }
  }
}

/// Reductions to a smaller (keep-dims) shape: the output is read with zero strides along the
/// reduced dimensions, so each input element is combined into its output slot in row-major order.
enum ReductionKernel {
  case sum, max, min

  func run<T: TensorScalar>(
    shape: [Int], input x: UnsafePointer<T>, out: UnsafeMutablePointer<T>, outShape: [Int]
  ) {
    let outCount = Shape.count(outShape)
    let initial: T
    switch self {
    case .sum: initial = 0
    case .max: initial = -.infinity
    case .min: initial = .infinity
    }
    out.initialize(repeating: initial, count: outCount)
    let block = Self.reducedBlock(shape, outShape)
    @inline(__always) func combine(_ f: (T, T) -> T) {
      if let block {
        Self.combine(block, x, out, f)
        return
      }
      let so = Shape.broadcastStrides(outShape, to: shape)
      let loop = StridedLoop(shape: shape, strides: so, Shape.strides(shape), so)
      let n = loop.innerCount
      let (io, ix, _) = loop.innerStrides
      loop.forEachRun { o, ox, _ in
        let y = out + o
        let v = x + ox
        if io == 0 {
          var acc = y[0]
          if ix == 1 {
            for i in 0..<n { acc = f(acc, v[i]) }
          } else {
            for i in 0..<n { acc = f(acc, v[i * ix]) }
          }
          y[0] = acc
        } else if io == 1 && ix == 1 {
          for i in 0..<n { y[i] = f(y[i], v[i]) }
        } else {
          for i in 0..<n { y[i * io] = f(y[i * io], v[i * ix]) }
        }
      }
    }
    switch self {
    case .sum: combine(+)
    case .max: combine { $0 >= $1 || $0.isNaN ? $0 : $1 }
    case .min: combine { $0 <= $1 || $0.isNaN ? $0 : $1 }
    }
  }
}

extension ReductionKernel {
  /// `shape` as `[outer, size, inner]` when the dimensions reduced to `outShape` are one
  /// consecutive block of size `size` (the bias gradient `Σ_batch ȳ`, a row sum), else `nil`.
  static func reducedBlock(_ shape: [Int], _ outShape: [Int]) -> (
    outer: Int, size: Int, inner: Int
  )? {
    guard let first = shape.indices.first(where: { shape[$0] != outShape[$0] }),
      let last = shape.indices.last(where: { shape[$0] != outShape[$0] })
    else { return (Shape.count(shape), 1, 1) }
    var (outer, size, inner) = (1, 1, 1)
    for i in 0..<first { outer *= shape[i] }
    for i in first...last {
      guard outShape[i] == 1 else { return nil }  // a kept dimension between reduced ones
      size *= shape[i]
    }
    for i in (last + 1)..<shape.count { inner *= shape[i] }
    return (outer, size, inner)
  }

  /// `out[o][i] = f(…f(f(out[o][i], x[o][0][i]), x[o][1][i])…)` over an `[outer, size, inner]`
  /// block, in the order of the strided loop in `run` (row-major), without its set-up: 1.4 µs
  /// of the 1.6 µs a 16 × 200 bias gradient took.
  @inline(__always)
  static func combine<T: TensorScalar>(
    _ block: (outer: Int, size: Int, inner: Int), _ x: UnsafePointer<T>,
    _ out: UnsafeMutablePointer<T>, _ f: (T, T) -> T
  ) {
    let (outer, size, inner) = block
    for o in 0..<outer {
      let y = out + o * inner
      let v = x + o * size * inner
      if inner == 1 {
        var acc = y[0]
        for r in 0..<size { acc = f(acc, v[r]) }
        y[0] = acc
      } else {
        for r in 0..<size {
          let row = v + r * inner
          for i in 0..<inner { y[i] = f(y[i], row[i]) }
        }
      }
    }
  }
}

/// Copies of strided layouts into contiguous memory: broadcasting (`expand`) and permutations.
enum CopyKernel {
  /// `out[i] = x[i]` over `shape`, reading `x` with `strides` (0 repeats an element).
  static func run<T: TensorScalar>(
    shape: [Int], out: UnsafeMutablePointer<T>, _ x: UnsafePointer<T>, strides sx: [Int]
  ) {
    let loop = StridedLoop(shape: shape, strides: Shape.strides(shape), sx, sx)
    let n = loop.innerCount
    let ix = loop.innerStrides.1
    loop.forEachRun { o, ox, _ in
      let y = out + o
      let v = x + ox
      if ix == 1 {
        y.update(from: v, count: n)
      } else if ix == 0 {
        y.update(repeating: v[0], count: n)
      } else {
        for i in 0..<n { y[i] = v[i * ix] }
      }
    }
  }
}
