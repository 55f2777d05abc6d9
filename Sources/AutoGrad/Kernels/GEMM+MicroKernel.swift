// The register-blocked inner kernel of GEMM: an mr × 2w tile of C held in 2·mr SIMD accumulators.
//
// w is the lane count of the build's vector type (`GEMM.FloatVector`, `GEMM.DoubleVector`) and
// mr = `GEMM.tileRows`. With AVX-512 that is 16 floats or 8 doubles and mr = 8, so one tile is
// 8 × 32 floats or 8 × 16 doubles: 16 accumulators, two B vectors and one broadcast A value,
// 19 of the 32 zmm registers. With AVX2, 8 floats or 4 doubles and mr = 6: 6 × 16 floats,
// 12 accumulators + 3 = 15 of the 16 ymm registers.

extension GEMM {
  // The vector type and multiply-add of the kernels, fixed at compile time by the CPU level the
  // build targets (Package.swift sets `-march` and the matching `AUTOGRAD_*` condition):
  //
  // | build                         | Float  | Double | tile rows | multiply-add              |
  // |-------------------------------|--------|--------|-----------|---------------------------|
  // | x86-64-v4 (`AUTOGRAD_AVX512`) | SIMD16 | SIMD8  | 8         | fused (zmm `vfmadd231ps`) |
  // | x86-64-v3 (`AUTOGRAD_AVX2`)   | SIMD8  | SIMD4  | 6         | fused (ymm `vfmadd231ps`) |
  // | arm64                         | SIMD4  | SIMD2  | 8         | fused (NEON `fmla`)       |
  // | x86-64 baseline, others       | SIMD4  | SIMD2  | 8         | multiply, then add (SSE2) |
  //
  // A baseline x86-64 build has no FMA instruction: `addingProduct` there is a call to the C
  // library's `fmaf` per lane (measured 0.7–1.3 GFLOP/s), hence the unfused form.
  #if arch(x86_64) && AUTOGRAD_AVX512
    typealias FloatVector = SIMD16<Float>
    typealias DoubleVector = SIMD8<Double>
    @inline(__always) static var isFused: Bool { true }
    typealias TileRowCount = Count<8>
    static let vectorLevel = "x86-64-v4 (AVX-512)"
  #elseif arch(x86_64) && AUTOGRAD_AVX2
    // 16 ymm registers hold a 6 × 16 tile (12 accumulators, two B vectors, one broadcast). The
    // 8 × 32 tile of the AVX-512 build in SIMD16 pairs spills and ran at 28 GFLOP/s on one Zen 3
    // core; an 8 × 8 tile, 70–77; this one 84–88 (peak 102; Docs/GEMM.md).
    typealias FloatVector = SIMD8<Float>
    typealias DoubleVector = SIMD4<Double>
    @inline(__always) static var isFused: Bool { true }
    typealias TileRowCount = Count<6>
    static let vectorLevel = "x86-64-v3 (AVX2, FMA)"
  #elseif arch(arm64)
    typealias FloatVector = SIMD4<Float>
    typealias DoubleVector = SIMD2<Double>
    @inline(__always) static var isFused: Bool { true }
    typealias TileRowCount = Count<8>
    static let vectorLevel = "arm64 (NEON)"
  #else
    typealias FloatVector = SIMD4<Float>
    typealias DoubleVector = SIMD2<Double>
    @inline(__always) static var isFused: Bool { false }
    typealias TileRowCount = Count<8>
    static let vectorLevel = "portable (no FMA)"
  #endif

  /// Rows of the register tile (mr), a constant of the build.
  @inline(__always) static var tileRows: Int { TileRowCount.value }

  /// An integer known at compile time: kernels take their tile's rows and width as `Count`s,
  /// so that each size gets its own specialised copy with its loops' branches folded away.
  struct Count<let n: Int> {
    @inline(__always) static var value: Int { n }
  }

  /// Columns of the register tile: two vectors of `V`.
  @inline(__always)
  static func tileColumns<V: SIMD>(_: V.Type) -> Int { 2 * V.scalarCount }

  /// `c + a·b` on whole vectors, fused (rounded once) when the build's CPU level has an FMA
  /// instruction, else a multiply then an add (see `FloatVector`).
  ///
  /// Every product in the kernel goes through here, so each element of C is the same chain
  /// `c ← c + op(A)[i][p]·op(B)[p][j]` for p = 0, 1, …, k−1, whatever path, tile position or
  /// thread computed it; `multiplyAdd` is its scalar twin.
  @inline(__always)
  static func fma<V: SIMD>(_ c: V, _ a: V, _ b: V) -> V where V.Scalar: FloatingPoint {
    isFused ? c.addingProduct(a, b) : c + a * b
  }

  /// The scalar form of `fma`: exactly the operation the kernel applies to each element.
  @inline(__always)
  static func multiplyAdd<T: FloatingPoint>(_ c: T, _ a: T, _ b: T) -> T {
    isFused ? c.addingProduct(a, b) : c + a * b
  }

  @inline(__always)
  static func load<V: SIMD>(_ p: UnsafePointer<V.Scalar>, as _: V.Type) -> V {
    UnsafeRawPointer(p).loadUnaligned(as: V.self)
  }

  @inline(__always)
  static func store<V: SIMD>(_ v: V, to p: UnsafeMutablePointer<V.Scalar>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
  }

  /// The eight row bases of an A panel: element `[p][i]` of the panel is `rᵢ[p·aStep]`.
  struct PanelRows<S> {
    let r0: UnsafePointer<S>, r1: UnsafePointer<S>, r2: UnsafePointer<S>, r3: UnsafePointer<S>
    let r4: UnsafePointer<S>, r5: UnsafePointer<S>, r6: UnsafePointer<S>, r7: UnsafePointer<S>

    /// A packed panel: the rows are interleaved, `rᵢ = a + i` (with `aStep = 8`).
    @inline(__always)
    init(packed a: UnsafePointer<S>) {
      (r0, r1, r2, r3) = (a, a + 1, a + 2, a + 3)
      (r4, r5, r6, r7) = (a + 4, a + 5, a + 6, a + 7)
    }

    /// `rows` (at most 8) rows of a matrix in place, `rᵢ = a + i·rowStride` (with `aStep = 1`);
    /// the bases past them repeat the last row, so none points outside the matrix (a 6-row
    /// kernel never reads r6 and r7).
    ///
    /// Not inlined on purpose: seeing evenly spaced bases, the optimizer derives each row's
    /// address from the previous one, a serial chain of seven adds per step that halved the
    /// speed of the kernel; opaque bases stay in eight independent registers.
    @inline(never)
    init(_ a: UnsafePointer<S>, rowStride: Int, rows: Int = 8) {
      func row(_ i: Int) -> UnsafePointer<S> { a + Swift.min(i, rows - 1) * rowStride }
      (r0, r1, r2, r3) = (a, row(1), row(2), row(3))
      (r4, r5, r6, r7) = (row(4), row(5), row(6), row(7))
    }
  }

  /// Computes a tile of `rows` × `cols` (at most `tileRows` × 2w) as `microKernel` does: with the
  /// micro-kernel when it is whole, else with `scratchKernel` on its valid part.
  @inline(__always)
  static func tileKernel<V: SIMD>(
    _: V.Type, kc: Int, a: PanelRows<V.Scalar>, aStep: Int,
    b: UnsafePointer<V.Scalar>, bStride: Int, c: UnsafeMutablePointer<V.Scalar>, ldc: Int,
    rows: Int, cols: Int, loadC: Bool, bias: UnsafePointer<V.Scalar>? = nil,
    scratch: UnsafeMutablePointer<V.Scalar>
  ) where V.Scalar: BinaryFloatingPoint {
    if rows == tileRows && cols == tileColumns(V.self) {
      microKernel(
        V.self, kc: kc, a: a, aStep: aStep, b: b, bStride: bStride, c: c, ldc: ldc,
        rows: TileRowCount(), vectors: Count<2>(), loadC: loadC, bias: bias)
    } else if cols == tileColumns(V.self) {
      shortKernel(
        V.self, kc: kc, a: a, aStep: aStep, b: b, bStride: bStride, c: c, ldc: ldc, rows: rows,
        vectors: Count<2>(), loadC: loadC, bias: bias)
    } else if cols == V.scalarCount {
      shortKernel(
        V.self, kc: kc, a: a, aStep: aStep, b: b, bStride: bStride, c: c, ldc: ldc, rows: rows,
        vectors: Count<1>(), loadC: loadC, bias: bias)
    } else {
      scratchKernel(
        V.self, kc: kc, a: a, aStep: aStep, b: b, bStride: bStride, c: c, ldc: ldc, rows: rows,
        cols: cols, transposedC: false, loadC: loadC, bias: bias, scratch: scratch)
    }
  }

  /// Computes the first R rows of a `tileRows` × 2w tile, or of its left half (columns `0..<w`)
  /// when W = 1: `C[i][j] = C₀[i][j] + Σ_{p<kc} Â[p][i] · B̂[p][j]`, with the sum taken as `fma`
  /// steps in increasing p, and `C₀ = C` when `loadC`, else the `bias` row (`C₀[i][j] =
  /// bias[j]`) when there is one, else `0`. Rows and columns outside that part are not touched,
  /// in A, B or C.
  ///
  /// R and W are generic values, so every pair gets its own specialised copy in which each
  /// row's work (under `R > i`) and the right half's (under `!half`) is compiled in or out: a
  /// 4-row tile has 8 accumulators and no wasted multiply-adds rather than the full tile's 12.
  ///
  /// - Parameters:
  ///   - a: an A panel, `Â[p][i] = rᵢ[p·aStep]`: packed or rows in place (`PanelRows`).
  ///   - b: a B panel, `B̂[p][j] = b[p·bStride + j]`: packed (`bStride = 2w`) or B in place.
  ///   - c: the tile's top-left element of C; rows are `ldc` apart.
  @inline(__always)
  static func microKernel<V: SIMD, let R: Int, let W: Int>(
    _: V.Type, kc: Int, a: PanelRows<V.Scalar>, aStep: Int,
    b: UnsafePointer<V.Scalar>, bStride: Int, c: UnsafeMutablePointer<V.Scalar>, ldc: Int,
    rows: Count<R>, vectors: Count<W>, loadC: Bool, bias: UnsafePointer<V.Scalar>?
  ) where V.Scalar: BinaryFloatingPoint {
    let half = W == 1
    // Rows 6 and 7 exist only in 8-row builds: `rows ≤ tileRows`, a constant of the build, so
    // in a 6-row one they are compiled out and their accumulators take no registers.
    let w = V.scalarCount
    let (a0, a1, a2, a3, a4, a5, a6, a7) = (a.r0, a.r1, a.r2, a.r3, a.r4, a.r5, a.r6, a.r7)
    var (c00, c01, c10, c11, c20, c21, c30, c31) = (V(), V(), V(), V(), V(), V(), V(), V())
    var (c40, c41, c50, c51, c60, c61, c70, c71) = (V(), V(), V(), V(), V(), V(), V(), V())
    let (r0, r1, r2, r3) = (c, c + ldc, c + 2 * ldc, c + 3 * ldc)
    let (r4, r5, r6, r7) = (c + 4 * ldc, c + 5 * ldc, c + 6 * ldc, c + 7 * ldc)
    let biasStart = loadC ? nil : bias
    if loadC || biasStart != nil {
      // Row i starts from C's row i, or from the bias row.
      @inline(__always) func start(_ r: UnsafeMutablePointer<V.Scalar>) -> (V, V) {
        let from = biasStart ?? UnsafePointer(r)
        return (load(from, as: V.self), half ? V() : load(from + w, as: V.self))
      }
      (c00, c01) = start(r0)
      if R > 1 { (c10, c11) = start(r1) }
      if R > 2 { (c20, c21) = start(r2) }
      if R > 3 { (c30, c31) = start(r3) }
      if R > 4 { (c40, c41) = start(r4) }
      if R > 5 { (c50, c51) = start(r5) }
      if R > 6 { (c60, c61) = start(r6) }
      if R > 7 { (c70, c71) = start(r7) }
    }
    var q = 0
    var pb = b
    for _ in 0..<kc {
      let b0 = load(pb, as: V.self)
      let b1 = half ? V() : load(pb + w, as: V.self)
      var ai = V(repeating: a0[q])
      c00 = fma(c00, ai, b0)
      if !half { c01 = fma(c01, ai, b1) }
      if R > 1 {
        ai = V(repeating: a1[q])
        c10 = fma(c10, ai, b0)
        if !half { c11 = fma(c11, ai, b1) }
      }
      if R > 2 {
        ai = V(repeating: a2[q])
        c20 = fma(c20, ai, b0)
        if !half { c21 = fma(c21, ai, b1) }
      }
      if R > 3 {
        ai = V(repeating: a3[q])
        c30 = fma(c30, ai, b0)
        if !half { c31 = fma(c31, ai, b1) }
      }
      if R > 4 {
        ai = V(repeating: a4[q])
        c40 = fma(c40, ai, b0)
        if !half { c41 = fma(c41, ai, b1) }
      }
      if R > 5 {
        ai = V(repeating: a5[q])
        c50 = fma(c50, ai, b0)
        if !half { c51 = fma(c51, ai, b1) }
      }
      if R > 6 {
        ai = V(repeating: a6[q])
        c60 = fma(c60, ai, b0)
        if !half { c61 = fma(c61, ai, b1) }
      }
      if R > 7 {
        ai = V(repeating: a7[q])
        c70 = fma(c70, ai, b0)
        if !half { c71 = fma(c71, ai, b1) }
      }
      q &+= aStep
      pb += bStride
    }
    @inline(__always) func storeRow(_ left: V, _ right: V, to row: UnsafeMutablePointer<V.Scalar>) {
      store(left, to: row)
      if !half { store(right, to: row + w) }
    }
    storeRow(c00, c01, to: r0)
    if R > 1 { storeRow(c10, c11, to: r1) }
    if R > 2 { storeRow(c20, c21, to: r2) }
    if R > 3 { storeRow(c30, c31, to: r3) }
    if R > 4 { storeRow(c40, c41, to: r4) }
    if R > 5 { storeRow(c50, c51, to: r5) }
    if R > 6 { storeRow(c60, c61, to: r6) }
    if R > 7 { storeRow(c70, c71, to: r7) }
  }

  /// `microKernel` on the first `rows` rows of a tile (`1 ≤ rows ≤ tileRows`), `vectors` of
  /// `V` wide: one specialised copy per row count, so that a short tile at the bottom edge of C
  /// (a batch of 16 or 32 in 6-row tiles leaves 4 or 2 rows) costs its own rows' multiply-adds
  /// rather than a whole tile's.
  @inline(never)
  static func shortKernel<V: SIMD, let W: Int>(
    _: V.Type, kc: Int, a: PanelRows<V.Scalar>, aStep: Int,
    b: UnsafePointer<V.Scalar>, bStride: Int, c: UnsafeMutablePointer<V.Scalar>, ldc: Int,
    rows: Int, vectors: Count<W>, loadC: Bool, bias: UnsafePointer<V.Scalar>? = nil
  ) where V.Scalar: BinaryFloatingPoint {
    func run<let R: Int>(_ rows: Count<R>) {
      microKernel(
        V.self, kc: kc, a: a, aStep: aStep, b: b, bStride: bStride, c: c, ldc: ldc, rows: rows,
        vectors: vectors, loadC: loadC, bias: bias)
    }
    switch rows {
    case 1: run(Count<1>())
    case 2: run(Count<2>())
    case 3: run(Count<3>())
    case 4: run(Count<4>())
    case 5: run(Count<5>())
    case 6 where tileRows > 6: run(Count<6>())
    case 7 where tileRows > 7: run(Count<7>())
    default: run(TileRowCount())
    }
  }
}
