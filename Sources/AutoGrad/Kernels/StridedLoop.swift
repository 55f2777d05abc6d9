/// Iteration over an n-dimensional index space in which each of three operands (an output and
/// two inputs) is read with its own strides; a stride of 0 repeats an element (broadcasting) or,
/// for an output, accumulates into it (reduction).
///
/// Adjacent dimensions that are contiguous for every operand are merged first, so the common
/// cases — equal shapes, a scalar operand, a row vector added to a matrix — become one long
/// innermost run, and the kernels' inner loops see unit or zero strides they can vectorise.
struct StridedLoop {
  /// Sizes of the merged dimensions; the last is the innermost run.
  private(set) var sizes: [Int]
  /// Strides of the output and the two inputs in each merged dimension.
  private(set) var strides: [(Int, Int, Int)]

  /// The length of one innermost run.
  var innerCount: Int { sizes.last ?? 1 }
  /// The strides of the output and the two inputs along the innermost run.
  var innerStrides: (Int, Int, Int) { strides.last ?? (0, 0, 0) }

  init(shape: [Int], strides s0: [Int], _ s1: [Int], _ s2: [Int]) {
    sizes = []
    strides = []
    for i in shape.indices where shape[i] != 1 {
      let s = (s0[i], s1[i], s2[i])
      if let last = sizes.last, let ls = strides.last,
        ls.0 == s.0 * shape[i], ls.1 == s.1 * shape[i], ls.2 == s.2 * shape[i]
      {
        sizes[sizes.count - 1] = last * shape[i]
        strides[strides.count - 1] = s
      } else {
        sizes.append(shape[i])
        strides.append(s)
      }
    }
    if sizes.isEmpty {
      sizes = [1]
      strides = [(0, 0, 0)]
    }
  }

  /// Calls `body` with the starting offsets of the three operands for every innermost run, in
  /// row-major order (so results are deterministic).
  @inline(__always) func forEachRun(_ body: (Int, Int, Int) -> Void) {
    let outerRank = sizes.count - 1
    if outerRank == 0 {
      body(0, 0, 0)
      return
    }
    var index = [Int](repeating: 0, count: outerRank)
    var o = (0, 0, 0)
    while true {
      body(o.0, o.1, o.2)
      var d = outerRank - 1
      while true {
        index[d] += 1
        o.0 += strides[d].0
        o.1 += strides[d].1
        o.2 += strides[d].2
        if index[d] < sizes[d] { break }
        o.0 -= strides[d].0 * sizes[d]
        o.1 -= strides[d].1 * sizes[d]
        o.2 -= strides[d].2 * sizes[d]
        index[d] = 0
        if d == 0 { return }
        d -= 1
      }
    }
  }
}
