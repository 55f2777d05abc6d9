import XCTest

@testable import AutoGrad

/// Checks `GEMM.multiply` against references: a Double-accumulated triple loop (to a rounding
/// bound) and the scalar chain of `GEMM.multiplyAdd` it promises to reproduce bit for bit.
final class GEMMTests: XCTestCase {
  /// One multiplication's inputs, row-major with padded leading dimensions.
  struct Case<T: TensorScalar> {
    let transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int
    let lda: Int, ldb: Int, ldc: Int
    let a: [T], b: [T]
    var c0: [T]

    /// Seeded inputs in [-1, 1); each leading dimension is padded by `pad` elements and the
    /// padding of C holds a sentinel (`7`) that must survive.
    init(_ ta: Bool, _ tb: Bool, m: Int, n: Int, k: Int, pad: Int = 0, seed: UInt64 = 1) {
      transposeA = ta
      transposeB = tb
      self.m = m
      self.n = n
      self.k = k
      lda = (ta ? m : k) + pad
      ldb = (tb ? k : n) + pad
      ldc = n + pad
      var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
      func next() -> T {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return T(Double(state >> 40) / Double(1 << 24) * 2 - 1)
      }
      a = (0..<(max(1, ta ? k : m) * lda)).map { _ in next() }
      b = (0..<(max(1, tb ? n : k) * ldb)).map { _ in next() }
      var c = (0..<(max(1, m) * ldc)).map { _ in next() }
      for i in 0..<m { for j in n..<ldc { c[i * ldc + j] = 7 } }
      c0 = c
    }

    func opA(_ i: Int, _ p: Int) -> T { transposeA ? a[p * lda + i] : a[i * lda + p] }
    func opB(_ p: Int, _ j: Int) -> T { transposeB ? b[j * ldb + p] : b[p * ldb + j] }

    /// `GEMM.multiply` on a copy of `c0`.
    func run(accumulate: Bool, threads: Int? = nil) -> [T] {
      var c = c0
      a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
          c.withUnsafeMutableBufferPointer { pc in
            let (a, b, c) = (pa.baseAddress!, pb.baseAddress!, pc.baseAddress!)
            if let threads {
              GEMM.multiply(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda,
                b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate, threads: threads)
            } else {
              GEMM.multiply(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda,
                b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
            }
          }
        }
      }
      return c
    }

    /// `GEMM.multiply` with a bias start, on a copy of `c0`.
    func run(bias: [T], threads: Int) -> [T] {
      var c = c0
      a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
          c.withUnsafeMutableBufferPointer { pc in
            bias.withUnsafeBufferPointer { pbias in
              GEMM.multiply(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb, c: pc.baseAddress!,
                ldc: ldc, accumulate: false, bias: pbias.baseAddress!, threads: threads)
            }
          }
        }
      }
      return c
    }

    /// The same case with every row of C₀ set to `bias` (padding kept).
    func startingFrom(_ bias: [T]) -> Case {
      var copy = self
      for i in 0..<m { for j in 0..<n { copy.c0[i * ldc + j] = bias[j] } }
      return copy
    }

    /// Asserts `C = [C₀ +] Σₚ op(A)[i][p]·op(B)[p][j]` within the rounding bound of a length-k
    /// sum, `(k+2)·ε·(|C₀| + Σₚ |op(A)[i][p]·op(B)[p][j]|)`, and that C's padding is untouched.
    func checkAgainstDoubleReference(accumulate: Bool, threads: Int? = nil) {
      let c = run(accumulate: accumulate, threads: threads)
      let label =
        "\(T.self) tA=\(transposeA) tB=\(transposeB) m=\(m) n=\(n) k=\(k) acc=\(accumulate)"
      for i in 0..<m {
        for j in 0..<ldc {
          let got = c[i * ldc + j]
          guard j < n else {
            XCTAssertEqual(got, 7, "padding overwritten, \(label)")
            continue
          }
          var sum = accumulate ? Double(c0[i * ldc + j]) : 0
          var scale = abs(sum)
          for p in 0..<k {
            let product = Double(opA(i, p)) * Double(opB(p, j))
            sum += product
            scale += abs(product)
          }
          let bound = Double(k + 2) * Double(T.ulpOfOne) * scale
          if abs(Double(got) - sum) > bound {
            XCTFail("C[\(i)][\(j)] = \(got), expected \(sum) ± \(bound), \(label)")
            return
          }
        }
      }
    }

    /// The scalar chain `c ← GEMM.multiplyAdd(c, op(A)[i][p], op(B)[p][j])`, p = 0…k−1, from C₀
    /// or 0: the exact arithmetic the kernel promises per element.
    func multiplyAddChain(accumulate: Bool) -> [T] {
      var c = c0
      for i in 0..<m {
        for j in 0..<n {
          var sum: T = accumulate ? c0[i * ldc + j] : 0
          for p in 0..<k { sum = GEMM.multiplyAdd(sum, opA(i, p), opB(p, j)) }
          c[i * ldc + j] = sum
        }
      }
      return c
    }
  }

  /// Odd sizes around the tile (8 × 32 floats with AVX-512, 6 × 16 with AVX2) and block edges,
  /// matrix–vector shapes.
  static let shapes: [(m: Int, n: Int, k: Int)] = [
    (1, 1, 1), (7, 7, 7), (17, 17, 17), (33, 33, 33), (3, 5, 1), (8, 32, 16), (9, 33, 3),
    (40, 48, 2), (100, 20, 9), (5, 100, 12), (257, 3, 5), (2, 257, 9), (3, 7, 257),
    // Matrix–vector products (the m = 1 and n = 1 path).
    (1, 37, 19), (37, 1, 19), (1, 1, 300), (101, 1, 50), (1, 101, 50), (6, 1, 7),
  ]

  func checkAllCombinations<T: TensorScalar>(_: T.Type) {
    for (index, s) in Self.shapes.enumerated() {
      for ta in [false, true] {
        for tb in [false, true] {
          let pad = index % 3  // lda, ldb, ldc > their minimum in two cases out of three
          let test = Case<T>(ta, tb, m: s.m, n: s.n, k: s.k, pad: pad, seed: UInt64(index))
          test.checkAgainstDoubleReference(accumulate: false)
          test.checkAgainstDoubleReference(accumulate: true)
        }
      }
    }
  }

  func testFloatMatchesDoubleReferenceForAllTransposes() { checkAllCombinations(Float.self) }

  func testDoubleMatchesDoubleReferenceForAllTransposes() { checkAllCombinations(Double.self) }

  func testLargeTrainingShapeMatchesReference() {
    // m=16, k=784, n=200: the batch-16 forward (B read in place, depth blocked) and the two
    // backward products, dW = xᵀ·dy (accumulated) and dx = dy·Wᵀ (computed as its transpose).
    Case<Float>(false, false, m: 16, n: 200, k: 784).checkAgainstDoubleReference(accumulate: false)
    Case<Float>(true, false, m: 120, n: 50, k: 16).checkAgainstDoubleReference(accumulate: true)
    Case<Float>(false, true, m: 16, n: 60, k: 200).checkAgainstDoubleReference(accumulate: false)
  }

  func testResultEqualsScalarMultiplyAddChainBitwise() {
    // Depth 300 spans two depth blocks; m=20 reads B in place, m=40 packs it, m=9 with Bᵀ
    // computes Cᵀ; C at most one tile wide (n ≤ 2w: 32 floats with AVX-512, 16 with AVX2) with
    // a plain A reads A in place (m=37: a ragged last group of rows for 8- and 6-row tiles).
    for (ta, tb, m, n, k) in [
      (false, false, 20, 37, 300), (true, false, 40, 40, 300), (false, true, 40, 19, 300),
      (true, true, 9, 45, 300), (false, false, 37, 20, 300), (false, true, 45, 10, 300),
      (false, false, 37, 12, 300),
    ] {
      for accumulate in [false, true] {
        let f = Case<Float>(ta, tb, m: m, n: n, k: k, pad: 1)
        XCTAssertEqual(f.run(accumulate: accumulate), f.multiplyAddChain(accumulate: accumulate))
        let d = Case<Double>(ta, tb, m: m, n: n, k: k, pad: 2)
        XCTAssertEqual(d.run(accumulate: accumulate), d.multiplyAddChain(accumulate: accumulate))
      }
    }
  }

  func testEveryShortTileHeightMatchesChainBitwise() {
    // A last group of r = 1 … 7 rows (short tiles get their own kernel per height), whole and
    // half panels (n = 2w + w), A packed or in place (rows of a deep A, columns of a shallow
    // Aᵀ), B in place (m ≤ 32) or packed (m > 32).
    let w = GEMM.FloatVector.scalarCount
    XCTAssert(37 <= GEMM.shallowDepth && GEMM.shallowDepth < 70)
    for r in 1...7 {
      for k in [37, 70] {
        for (ta, tb, m) in [
          (false, false, 16 + r), (true, false, 16 + r), (false, false, 40 + r), (false, true, 3),
        ] {
          // With Bᵀ and 3 rows, Cᵀ is computed: its rows are B's, n = 12 + r of them.
          let n = tb ? 12 + r : 3 * w
          for accumulate in [false, true] {
            let f = Case<Float>(ta, tb, m: m, n: n, k: k, pad: 1)
            XCTAssertEqual(
              f.run(accumulate: accumulate), f.multiplyAddChain(accumulate: accumulate),
              "tA=\(ta) tB=\(tb) m=\(m) n=\(n) k=\(k) acc=\(accumulate)")
            let d = Case<Double>(ta, tb, m: m, n: n, k: k, pad: 2)
            XCTAssertEqual(
              d.run(accumulate: accumulate), d.multiplyAddChain(accumulate: accumulate))
          }
        }
      }
    }
  }

  func testBiasStartEqualsBiasRowsAccumulatedOnto() {
    // C = bias rows + op(A)·op(B) without a pass over C must be C filled with the bias and
    // accumulated onto, bit for bit, on every path: whole, short, partial and paired half
    // tiles, A and B packed or in place, the swapped path (A·Bᵀ with m ≤ 32), a
    // second depth block (k > 256, which continues from C), tiles in row-group order, and the
    // paths without a bias start (m = 1, n = 1, k = 0).
    let w = GEMM.FloatVector.scalarCount
    let shapes: [(Bool, Bool, Int, Int, Int)] = [
      (false, true, 16, 200, 784), (false, true, 16, 10, 200), (false, true, 3, 13, 37),
      (false, true, 40, 3 * w, 300), (false, false, 19, 3 * w, 70), (false, false, 45, 37, 20),
      (true, false, 23, 2 * w + 5, 30), (true, true, 50, 33, 17), (false, false, 264, 1000, 3),
      (false, true, 1, 70, 40), (false, false, 70, 1, 30), (false, true, 5, 7, 0),
    ]
    for (ta, tb, m, n, k) in shapes {
      for threads in [1, 2] {
        let f = Case<Float>(ta, tb, m: m, n: n, k: k, pad: 1)
        let bias = Case<Float>(false, false, m: 1, n: n, k: 1, seed: 9).c0.prefix(n).map { $0 }
        XCTAssertEqual(
          f.run(bias: bias, threads: threads),
          f.startingFrom(bias).run(accumulate: true, threads: threads),
          "tA=\(ta) tB=\(tb) m=\(m) n=\(n) k=\(k) threads=\(threads)")
        let d = Case<Double>(ta, tb, m: m, n: n, k: k, pad: 2)
        let dBias = bias.map(Double.init)
        XCTAssertEqual(
          d.run(bias: dBias, threads: threads),
          d.startingFrom(dBias).run(accumulate: true, threads: threads))
      }
    }
  }

  func testShallowProductWithLargeOutputMatchesChainInEitherTileOrder() {
    // k ≤ shallowDepth and a C over largeOutputBytes: on one thread the tiles are visited row
    // group by row group; on two, each half of C is under the threshold and takes the usual
    // order. Both must be the scalar chain, bit for bit (ragged rows and columns included).
    let (m, n, k) = (264, 1000, 3)
    XCTAssertGreaterThan(m * n * MemoryLayout<Float>.stride, GEMM.largeOutputBytes)
    XCTAssertLessThan(m * n / 2 * MemoryLayout<Float>.stride, GEMM.largeOutputBytes)
    XCTAssertLessThanOrEqual(k, GEMM.shallowDepth)
    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
      let f = Case<Float>(ta, tb, m: m, n: n, k: k, pad: 1)
      let chain = f.multiplyAddChain(accumulate: true)
      XCTAssertEqual(f.run(accumulate: true, threads: 1), chain, "ta=\(ta) tb=\(tb)")
      XCTAssertEqual(f.run(accumulate: true, threads: 2), chain, "ta=\(ta) tb=\(tb)")
    }
  }

  func testResultIsBitwiseIdenticalAcrossThreadCountsAndRuns() {
    for (ta, tb, m, n, k) in [
      (false, false, 16, 150, 100), (false, false, 96, 80, 70), (true, false, 150, 40, 33),
      (false, true, 45, 130, 64), (true, true, 200, 10, 20), (false, true, 20, 70, 50),
      (false, false, 1, 150, 100), (false, true, 77, 1, 64), (true, false, 70, 1, 30),
      (true, true, 1, 70, 40), (false, false, 203, 10, 64),
    ] {
      let f = Case<Float>(ta, tb, m: m, n: n, k: k, pad: 1)
      let reference = f.run(accumulate: true, threads: 1)
      for threads in [1, 2, 3, 4] {
        XCTAssertEqual(f.run(accumulate: true, threads: threads), reference, "threads=\(threads)")
      }
      XCTAssertEqual(f.run(accumulate: true), reference, "default thread count")
      let d = Case<Double>(ta, tb, m: m, n: n, k: k)
      XCTAssertEqual(d.run(accumulate: false, threads: 2), d.run(accumulate: false, threads: 1))
    }
  }

  func testZeroDepthZeroesOrKeepsC() {
    let test = Case<Float>(false, false, m: 3, n: 4, k: 0, pad: 1)
    let zeroed = test.run(accumulate: false)
    for i in 0..<3 {
      XCTAssertEqual(Array(zeroed[(i * 5)..<(i * 5 + 4)]), [0, 0, 0, 0])
      XCTAssertEqual(zeroed[i * 5 + 4], 7, "padding must survive")
    }
    XCTAssertEqual(test.run(accumulate: true), test.c0)
  }

  func testEmptyOutputLeavesCUntouched() {
    let rows = Case<Double>(true, false, m: 0, n: 4, k: 3)
    XCTAssertEqual(rows.run(accumulate: false), rows.c0)
    let columns = Case<Double>(false, true, m: 4, n: 0, k: 3, pad: 1)
    XCTAssertEqual(columns.run(accumulate: false), columns.c0)
  }

  func testOverwriteIgnoresNaNInC() {
    // β = 0 semantics: without accumulate, C's old contents (even NaN) must not leak in.
    var test = Case<Float>(false, false, m: 9, n: 40, k: 5)
    test.c0 = test.c0.map { _ in .nan }
    XCTAssertFalse(test.run(accumulate: false).contains { $0.isNaN })
  }

  func testDefaultThreadCountGrowsWithWork() {
    XCTAssertEqual(GEMM.defaultThreadCount(m: 16, n: 200, k: 10), 1)
    XCTAssertEqual(GEMM.defaultThreadCount(m: 1 << 40, n: 1 << 40, k: 2), GEMM.maxThreads)
    XCTAssertEqual(GEMM.defaultThreadCount(m: 2048, n: 2048, k: 2048), GEMM.maxThreads)
  }

  func testThreadLimitCapsDefaultThreadCount() {
    let saved = GEMM.threadLimit.load(ordering: .relaxed)
    defer { GEMM.threadLimit.store(saved, ordering: .relaxed) }
    GEMM.threadLimit.store(1, ordering: .relaxed)
    XCTAssertEqual(GEMM.defaultThreadCount(m: 2048, n: 2048, k: 2048), 1)
    GEMM.threadLimit.store(0, ordering: .relaxed)
    XCTAssertEqual(GEMM.defaultThreadCount(m: 2048, n: 2048, k: 2048), 1, "clamped to 1")
  }
}
