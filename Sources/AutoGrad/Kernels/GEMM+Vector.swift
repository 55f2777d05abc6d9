/// Matrix–vector products: GEMM calls with one row (m = 1) or one column (n = 1) of C, such as
/// logistic regression's `X·w` and `Xᵀ·ȳ`. The tiled kernel would pad the single row or column
/// to a whole tile (up to 32× the work); these loops stream the matrix once instead. A
/// matrix–vector product does two flops per element it reads, so it is limited by how fast the
/// matrix arrives, not by arithmetic: large ones split the outputs between threads (each output
/// is computed by one thread in one fixed order, so the result does not depend on the thread
/// count), and column updates apply four columns per load and store of the running sums.
///
/// Results are deterministic. Where the matrix is read along p (`A·b` with A row-major), each
/// element is a 16-lane dot product summed in a fixed order, so it can differ from the tiled
/// path's single chain in the last bits; the other orientation keeps that chain exactly.
extension GEMM {
  /// Handles `multiply` when m = 1 or n = 1. Both are written as `y = M·v` for a matrix M with
  /// row stride `rs` and column stride `cs` (one of them 1) and a vector v with stride `vs`:
  ///
  /// - n = 1: `C[i] = Σₚ op(A)[i][p]·op(B)[p]`, so M = op(A), v = op(B), y = the column of C;
  /// - m = 1: `C[j] = Σₚ op(B)[p][j]·op(A)[p]`, so M = op(B)ᵀ, v = op(A), y = the row of C.
  static func multiplyVector<T: TensorScalar>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int,
    c: UnsafeMutablePointer<T>, ldc: Int, accumulate: Bool, threads: Int
  ) {
    let product =
      m == 1
      ? MatrixVector(
        rows: n, k: k, matrix: b, rowStride: transposeB ? ldb : 1,
        columnStride: transposeB ? 1 : ldb, vector: a, vectorStride: transposeA ? lda : 1,
        y: c, yStride: 1, accumulate: accumulate)
      : MatrixVector(
        rows: m, k: k, matrix: a, rowStride: transposeA ? 1 : lda,
        columnStride: transposeA ? lda : 1, vector: b, vectorStride: transposeB ? 1 : ldb,
        y: c, yStride: ldc, accumulate: accumulate)
    product.run(threads: threads)
  }

  /// `y[i·ys] (+)= Σₚ M[i·rs + p·cs]·v[p·vs]` for i < rows.
  ///
  /// `@unchecked Sendable`: threads read M and v and write disjoint elements of y.
  struct MatrixVector<T: TensorScalar>: @unchecked Sendable {
    let rows: Int, k: Int
    let matrix: UnsafePointer<T>, rowStride: Int, columnStride: Int
    let vector: UnsafePointer<T>, vectorStride: Int
    let y: UnsafeMutablePointer<T>, yStride: Int
    let accumulate: Bool

    /// Splits the outputs into ranges of whole 16-element groups and computes each. Dot products
    /// get four ranges per thread, so that the threads that run take over from one that waits
    /// for a core; column updates get one per thread, since each range reads its slice of every
    /// column and narrower slices read memory less sequentially (≈ 7 % slower on C4).
    func run(threads: Int) {
      // Dot products want v contiguous: copy a strided v once, for all threads.
      if columnStride == 1 && vectorStride != 1 {
        let contiguous = UnsafeMutablePointer<T>.allocate(capacity: k)
        defer { contiguous.deallocate() }
        for p in 0..<k { contiguous[p] = vector[p * vectorStride] }
        MatrixVector(
          rows: rows, k: k, matrix: matrix, rowStride: rowStride, columnStride: 1,
          vector: contiguous, vectorStride: 1, y: y, yStride: yStride, accumulate: accumulate
        ).run(threads: threads)
        return
      }
      let groups = (rows + 15) / 16
      let parts = threads == 1 ? 1 : min((columnStride == 1 ? 4 : 1) * threads, groups)
      func part(_ index: Int) {
        let range = (index * groups / parts * 16)..<min(rows, (index + 1) * groups / parts * 16)
        if columnStride == 1 { dotProducts(range) } else { columnUpdates(range) }
      }
      WorkerPool.shared.run(parts: parts, part)
    }

    /// Rows are contiguous: dot products, 16 lanes at a time, four rows sharing each load of v.
    private func dotProducts(_ range: Range<Int>) {
      if range.isEmpty { return }
      let v = vector
      var i = range.lowerBound
      while i < range.upperBound {
        let count = Swift.min(4, range.upperBound - i)
        let r0 = matrix + i * rowStride
        // Rows past the end alias the last real one; their sums are computed and dropped.
        let r1 = r0 + Swift.min(1, count - 1) * rowStride
        let r2 = r0 + Swift.min(2, count - 1) * rowStride
        let r3 = r0 + Swift.min(3, count - 1) * rowStride
        var (a0, a1, a2, a3) = (SIMD16<T>(), SIMD16<T>(), SIMD16<T>(), SIMD16<T>())
        var p = 0
        while p + 16 <= k {
          let x = load(v + p, as: SIMD16<T>.self)
          a0 = fma(a0, load(r0 + p, as: SIMD16<T>.self), x)
          a1 = fma(a1, load(r1 + p, as: SIMD16<T>.self), x)
          a2 = fma(a2, load(r2 + p, as: SIMD16<T>.self), x)
          a3 = fma(a3, load(r3 + p, as: SIMD16<T>.self), x)
          p += 16
        }
        func finish(_ r: Int, _ row: UnsafePointer<T>, _ lanes: SIMD16<T>) {
          guard r < count else { return }
          var s = lanes.sum()
          for q in p..<k { s = multiplyAdd(s, row[q], v[q]) }
          let out = y + (i + r) * yStride
          out.pointee = accumulate ? out.pointee + s : s
        }
        finish(0, r0, a0)
        finish(1, r1, a1)
        finish(2, r2, a2)
        finish(3, r3, a3)
        i += 4
      }
    }

    /// Columns are contiguous: sweep the matrix column by column (an axpy per column, which
    /// vectorises), updating each output's chain in order.
    private func columnUpdates(_ range: Range<Int>) {
      if range.isEmpty { return }
      let count = range.count
      let sum = yStride == 1 ? y + range.lowerBound : .allocate(capacity: count)
      defer { if yStride != 1 { sum.deallocate() } }
      for i in 0..<count {
        sum[i] = accumulate ? y[(range.lowerBound + i) * yStride] : 0
      }
      let base = matrix + range.lowerBound * rowStride
      let vectorRows = rowStride == 1 ? count / 16 * 16 : 0
      var p = 0
      // Four columns per pass over the sums: one load and one store per four multiply-adds.
      while p + 4 <= k {
        let (c0, c1, c2, c3) = (
          base + p * columnStride, base + (p + 1) * columnStride,
          base + (p + 2) * columnStride, base + (p + 3) * columnStride
        )
        let (x0, x1, x2, x3) = (
          vector[p * vectorStride], vector[(p + 1) * vectorStride],
          vector[(p + 2) * vectorStride], vector[(p + 3) * vectorStride]
        )
        let (l0, l1, l2, l3) = (
          SIMD16<T>(repeating: x0), SIMD16<T>(repeating: x1), SIMD16<T>(repeating: x2),
          SIMD16<T>(repeating: x3)
        )
        var i = 0
        while i < vectorRows {
          var s = load(sum + i, as: SIMD16<T>.self)
          s = fma(s, load(c0 + i, as: SIMD16<T>.self), l0)
          s = fma(s, load(c1 + i, as: SIMD16<T>.self), l1)
          s = fma(s, load(c2 + i, as: SIMD16<T>.self), l2)
          s = fma(s, load(c3 + i, as: SIMD16<T>.self), l3)
          store(s, to: sum + i)
          i += 16
        }
        while i < count {
          var s = sum[i]
          s = multiplyAdd(s, c0[i * rowStride], x0)
          s = multiplyAdd(s, c1[i * rowStride], x1)
          s = multiplyAdd(s, c2[i * rowStride], x2)
          s = multiplyAdd(s, c3[i * rowStride], x3)
          sum[i] = s
          i += 1
        }
        p += 4
      }
      while p < k {
        let column = base + p * columnStride
        let x = vector[p * vectorStride]
        var i = 0
        let lanes = SIMD16<T>(repeating: x)
        while i < vectorRows {
          store(
            fma(load(sum + i, as: SIMD16<T>.self), load(column + i, as: SIMD16<T>.self), lanes),
            to: sum + i)
          i += 16
        }
        while i < count {
          sum[i] = multiplyAdd(sum[i], column[i * rowStride], x)
          i += 1
        }
        p += 1
      }
      if yStride != 1 {
        for i in 0..<count { y[(range.lowerBound + i) * yStride] = sum[i] }
      }
    }
  }
}
