/// Shape arithmetic: element counts, strides, broadcasting (NumPy/PyTorch rules) and axes.
///
/// The checks are pure functions returning optionals, so tests can call them; ops turn a `nil`
/// into a precondition failure naming the op and both shapes.
public enum Shape {
  /// The number of elements of `shape` (1 for a scalar).
  @inline(__always) public static func count(_ shape: [Int]) -> Int {
    var n = 1
    for d in shape { n *= d }
    return n
  }

  /// Row-major strides of a contiguous tensor of `shape`.
  public static func strides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var s = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[i] = s
      s *= shape[i]
    }
    return strides
  }

  /// The flat row-major position of a multi-dimensional index.
  public static func flatIndex(_ index: [Int], in shape: [Int]) -> Int {
    precondition(index.count == shape.count, "index \(index) does not match shape \(shape)")
    var flat = 0
    for (i, d) in zip(index, shape) {
      precondition(i >= 0 && i < d, "index \(index) out of range for shape \(shape)")
      flat = flat * d + i
    }
    return flat
  }

  /// The broadcast shape of `a` and `b`: dimensions are aligned from the right and each pair must
  /// be equal or contain a 1. Returns `nil` when they are incompatible.
  public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
    if a == b { return a }
    let rank = max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
      let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
      let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
      if da == db || db == 1 {
        result[i] = da
      } else if da == 1 {
        result[i] = db
      } else {
        return nil
      }
    }
    return result
  }

  /// Strides for reading a tensor of `shape` as if it had the (broadcast) shape `target`:
  /// broadcast dimensions get stride 0. `shape` must broadcast to `target`.
  static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let own = strides(shape)
    let offset = target.count - shape.count
    var result = [Int](repeating: 0, count: target.count)
    for i in 0..<shape.count where shape[i] != 1 || target[i + offset] == 1 {
      result[i + offset] = shape[i] == 1 ? 0 : own[i]
    }
    return result
  }

  /// Resolves a possibly negative axis (−1 is the last) against `rank`; `nil` when out of range.
  public static func normalize(axis: Int, rank: Int) -> Int? {
    let a = axis < 0 ? axis + rank : axis
    return a >= 0 && a < max(rank, 1) ? a : nil
  }

  /// `shape` with the `axes` set to 1 (`keepDims`) or removed.
  static func reduced(_ shape: [Int], axes: [Int], keepDims: Bool) -> [Int] {
    var result: [Int] = []
    for (i, d) in shape.enumerated() {
      if axes.contains(i) {
        if keepDims { result.append(1) }
      } else {
        result.append(d)
      }
    }
    return result
  }

  /// Splits `shape` around `axis` into (product before, size at, product after).
  static func split(_ shape: [Int], at axis: Int) -> (outer: Int, size: Int, inner: Int) {
    (count(Array(shape[..<axis])), shape[axis], count(Array(shape[(axis + 1)...])))
  }
}
