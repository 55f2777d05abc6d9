/// Matrix–vector products: GEMM calls with one row (m = 1) or one column (n = 1) of C, such as
/// logistic regression's `X·w` and `(ȳ)ᵀ·X`. The tiled kernel would pad the single row or column
/// to a whole tile (up to 32× the work); these loops stream the matrix once instead, which is all
/// a matrix–vector product can do (it is limited by memory bandwidth, not arithmetic).
///
/// Results are deterministic (one fixed order of operations per element, one thread). Where the
/// matrix is read along p (`A·b` with A row-major), each element is a 16-lane dot product summed
/// in a fixed order, so it can differ from the tiled path's single chain in the last bits; the
/// other orientation keeps that chain exactly.
extension GEMM {
  /// Handles `multiply` when m = 1 or n = 1. Both are written as `y = M·v` for a matrix M with
  /// row stride `rs` and column stride `cs` (one of them 1) and a vector v with stride `vs`:
  ///
  /// - n = 1: `C[i] = Σₚ op(A)[i][p]·op(B)[p]`, so M = op(A), v = op(B), y = the column of C;
  /// - m = 1: `C[j] = Σₚ op(B)[p][j]·op(A)[p]`, so M = op(B)ᵀ, v = op(A), y = the row of C.
  static func multiplyVector<T: TensorScalar>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int,
    c: UnsafeMutablePointer<T>, ldc: Int, accumulate: Bool
  ) {
    if m == 1 {
      matrixVector(
        rows: n, k: k, matrix: b, rowStride: transposeB ? ldb : 1,
        columnStride: transposeB ? 1 : ldb, vector: a, vectorStride: transposeA ? lda : 1,
        y: c, yStride: 1, accumulate: accumulate)
    } else {
      matrixVector(
        rows: m, k: k, matrix: a, rowStride: transposeA ? 1 : lda,
        columnStride: transposeA ? lda : 1, vector: b, vectorStride: transposeB ? 1 : ldb,
        y: c, yStride: ldc, accumulate: accumulate)
    }
  }

  /// `y[i·ys] (+)= Σₚ M[i·rs + p·cs]·v[p·vs]` for i < rows.
  private static func matrixVector<T: TensorScalar>(
    rows: Int, k: Int, matrix: UnsafePointer<T>, rowStride rs: Int, columnStride cs: Int,
    vector v: UnsafePointer<T>, vectorStride vs: Int, y: UnsafeMutablePointer<T>, yStride ys: Int,
    accumulate: Bool
  ) {
    if cs == 1 {
      // Rows are contiguous: dot products, 16 lanes at a time, four rows sharing each load of v.
      let contiguous = vs == 1 ? UnsafeMutablePointer(mutating: v) : .allocate(capacity: k)
      defer { if vs != 1 { contiguous.deallocate() } }
      if vs != 1 { for p in 0..<k { contiguous[p] = v[p * vs] } }
      var i = 0
      while i < rows {
        let count = Swift.min(4, rows - i)
        let r0 = matrix + i * rs
        // Rows past the end alias the last real one; their sums are computed and dropped.
        let r1 = r0 + Swift.min(1, count - 1) * rs
        let r2 = r0 + Swift.min(2, count - 1) * rs
        let r3 = r0 + Swift.min(3, count - 1) * rs
        var (a0, a1, a2, a3) = (SIMD16<T>(), SIMD16<T>(), SIMD16<T>(), SIMD16<T>())
        var p = 0
        while p + 16 <= k {
          let x = load(contiguous + p, as: SIMD16<T>.self)
          a0 = fma(a0, load(r0 + p, as: SIMD16<T>.self), x)
          a1 = fma(a1, load(r1 + p, as: SIMD16<T>.self), x)
          a2 = fma(a2, load(r2 + p, as: SIMD16<T>.self), x)
          a3 = fma(a3, load(r3 + p, as: SIMD16<T>.self), x)
          p += 16
        }
        func finish(_ r: Int, _ row: UnsafePointer<T>, _ lanes: SIMD16<T>) {
          guard r < count else { return }
          var s = lanes.sum()
          for q in p..<k { s = multiplyAdd(s, row[q], contiguous[q]) }
          y[(i + r) * ys] = accumulate ? y[(i + r) * ys] + s : s
        }
        finish(0, r0, a0)
        finish(1, r1, a1)
        finish(2, r2, a2)
        finish(3, r3, a3)
        i += count
      }
    } else {
      // Columns are contiguous: sweep the matrix once, column by column, updating every
      // element's chain (an axpy per column, which vectorises).
      let sum = ys == 1 ? y : UnsafeMutablePointer<T>.allocate(capacity: rows)
      defer { if ys != 1 { sum.deallocate() } }
      for i in 0..<rows { sum[i] = accumulate ? y[i * ys] : 0 }
      for p in 0..<k {
        let column = matrix + p * cs
        let x = v[p * vs]
        var i = 0
        if rs == 1 {
          let lanes = SIMD16<T>(repeating: x)
          while i + 16 <= rows {
            store(
              fma(load(sum + i, as: SIMD16<T>.self), load(column + i, as: SIMD16<T>.self), lanes),
              to: sum + i)
            i += 16
          }
        }
        while i < rows {
          sum[i] = multiplyAdd(sum[i], column[i * rs], x)
          i += 1
        }
      }
      if ys != 1 { for i in 0..<rows { y[i * ys] = sum[i] } }
    }
  }
}
