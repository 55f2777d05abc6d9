// The register-blocked inner kernel of GEMM: an 8 × 2w tile of C held in 16 SIMD accumulators.
//
// w is the lane count of the build's vector type (`GEMM.FloatVector`, `GEMM.DoubleVector`). With
// AVX-512 that is 16 floats or 8 doubles, so one tile is 8 × 32 floats or 8 × 16 doubles:
// 16 accumulators, two B vectors and one broadcast A value, 19 of the 32 zmm registers.

extension GEMM {
  // The vector type and multiply-add of the kernels, fixed at compile time by the CPU level the
  // build targets (Package.swift sets `-march` and the matching `AUTOGRAD_*` condition):
  //
  // | build                         | Float  | Double | multiply-add                |
  // |-------------------------------|--------|--------|-----------------------------|
  // | x86-64-v4 (`AUTOGRAD_AVX512`) | SIMD16 | SIMD8  | fused (zmm `vfmadd231ps`)   |
  // | x86-64-v3 (`AUTOGRAD_AVX2`)   | SIMD16 | SIMD8  | fused (two ymm per vector)  |
  // | arm64                         | SIMD4  | SIMD2  | fused (NEON `fmla`)         |
  // | x86-64 baseline, others       | SIMD4  | SIMD2  | multiply, then add (SSE2)   |
  //
  // A baseline x86-64 build has no FMA instruction: `addingProduct` there is a call to the C
  // library's `fmaf` per lane (measured 0.7–1.3 GFLOP/s), hence the unfused form.
  #if arch(x86_64) && AUTOGRAD_AVX512
    typealias FloatVector = SIMD16<Float>
    typealias DoubleVector = SIMD8<Double>
    @inline(__always) static var isFused: Bool { true }
    @inline(__always) static var tileVectors: Int { 2 }
    static let vectorLevel = "x86-64-v4 (AVX-512)"
  #elseif arch(x86_64) && AUTOGRAD_AVX2
    // Two ymm registers per vector: the accumulators spill, yet this measured 2× faster than an
    // 8 × 16 tile of SIMD8 (≈ 80 vs 40 GFLOP/s at 512², one core), which spills too.
    typealias FloatVector = SIMD8<Float>
    typealias DoubleVector = SIMD4<Double>
    @inline(__always) static var isFused: Bool { true }
    @inline(__always) static var tileVectors: Int { 1 }
    static let vectorLevel = "x86-64-v3 (AVX2, FMA)"
  #elseif arch(arm64)
    typealias FloatVector = SIMD4<Float>
    typealias DoubleVector = SIMD2<Double>
    @inline(__always) static var isFused: Bool { true }
    @inline(__always) static var tileVectors: Int { 2 }
    static let vectorLevel = "arm64 (NEON)"
  #else
    typealias FloatVector = SIMD4<Float>
    typealias DoubleVector = SIMD2<Double>
    @inline(__always) static var isFused: Bool { false }
    @inline(__always) static var tileVectors: Int { 2 }
    static let vectorLevel = "portable (no FMA)"
  #endif

  /// Rows of the register tile (the micro-kernel height).
  @inline(__always) static var tileRows: Int { 8 }

  /// Columns of the register tile: two vectors of `V`.
  @inline(__always)
  static func tileColumns<V: SIMD>(_: V.Type) -> Int { tileVectors * V.scalarCount }

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

    /// Eight rows of a matrix in place, `rᵢ = a + i·rowStride` (with `aStep = 1`).
    ///
    /// Not inlined on purpose: seeing evenly spaced bases, the optimizer derives each row's
    /// address from the previous one, a serial chain of seven adds per step that halved the
    /// speed of the kernel; opaque bases stay in eight independent registers.
    @inline(never)
    init(_ a: UnsafePointer<S>, rowStride: Int) {
      (r0, r1, r2, r3) = (a, a + rowStride, a + 2 * rowStride, a + 3 * rowStride)
      (r4, r5, r6, r7) = (
        a + 4 * rowStride, a + 5 * rowStride, a + 6 * rowStride, a + 7 * rowStride
      )
    }
  }

  /// Computes a tile of `rows` × `cols` (at most 8 × 2w) as `microKernel` does: with the
  /// micro-kernel when it is whole, else with `scratchKernel` on its valid part.
  @inline(__always)
  static func tileKernel<V: SIMD>(
    _: V.Type, kc: Int, a: PanelRows<V.Scalar>, aStep: Int,
    b: UnsafePointer<V.Scalar>, bStride: Int, c: UnsafeMutablePointer<V.Scalar>, ldc: Int,
    rows: Int, cols: Int, loadC: Bool, scratch: UnsafeMutablePointer<V.Scalar>
  ) where V.Scalar: BinaryFloatingPoint {
    if rows == tileRows && cols == tileColumns(V.self) && tileVectors == 1 {
      microKernelHalf(
        V.self, kc: kc, a: a, aStep: aStep, b: b, bStride: bStride, c: c, ldc: ldc, loadC: loadC)
    } else if rows == tileRows && cols == tileColumns(V.self) {
      microKernel(
        V.self, kc: kc, a: a, aStep: aStep, b: b, bStride: bStride, c: c, ldc: ldc, loadC: loadC)
    } else {
      scratchKernel(
        V.self, kc: kc, a: a, aStep: aStep, b: b, bStride: bStride, c: c, ldc: ldc, rows: rows,
        cols: cols, transposedC: false, loadC: loadC, scratch: scratch)
    }
  }

  /// Computes one full 8 × 2w tile: `C[i][j] = C₀[i][j] + Σ_{p<kc} Â[p][i] · B̂[p][j]`, with the
  /// sum taken as `fma` steps in increasing p, and `C₀ = C` when `loadC`, else `0`.
  ///
  /// - Parameters:
  ///   - a: an A panel, `Â[p][i] = rᵢ[p·aStep]`: packed or 8 rows in place (`PanelRows`).
  ///   - b: a B panel, `B̂[p][j] = b[p·bStride + j]`: packed (`bStride = 2w`) or B in place.
  ///   - c: the tile's top-left element of C; rows are `ldc` apart.
  @inline(__always)
  static func microKernel<V: SIMD>(
    _: V.Type, kc: Int, a: PanelRows<V.Scalar>, aStep: Int,
    b: UnsafePointer<V.Scalar>, bStride: Int, c: UnsafeMutablePointer<V.Scalar>, ldc: Int,
    loadC: Bool
  ) where V.Scalar: BinaryFloatingPoint {
    let w = V.scalarCount
    let (a0, a1, a2, a3, a4, a5, a6, a7) = (a.r0, a.r1, a.r2, a.r3, a.r4, a.r5, a.r6, a.r7)
    var c00 = V()
    var c01 = V()
    var c10 = V()
    var c11 = V()
    var c20 = V()
    var c21 = V()
    var c30 = V()
    var c31 = V()
    var c40 = V()
    var c41 = V()
    var c50 = V()
    var c51 = V()
    var c60 = V()
    var c61 = V()
    var c70 = V()
    var c71 = V()
    if loadC {
      c00 = load(c, as: V.self)
      c01 = load(c + w, as: V.self)
      var r = c + ldc
      c10 = load(r, as: V.self)
      c11 = load(r + w, as: V.self)
      r += ldc
      c20 = load(r, as: V.self)
      c21 = load(r + w, as: V.self)
      r += ldc
      c30 = load(r, as: V.self)
      c31 = load(r + w, as: V.self)
      r += ldc
      c40 = load(r, as: V.self)
      c41 = load(r + w, as: V.self)
      r += ldc
      c50 = load(r, as: V.self)
      c51 = load(r + w, as: V.self)
      r += ldc
      c60 = load(r, as: V.self)
      c61 = load(r + w, as: V.self)
      r += ldc
      c70 = load(r, as: V.self)
      c71 = load(r + w, as: V.self)
    }
    var q = 0
    var pb = b
    for _ in 0..<kc {
      let b0 = load(pb, as: V.self)
      let b1 = load(pb + w, as: V.self)
      var ai = V(repeating: a0[q])
      c00 = fma(c00, ai, b0)
      c01 = fma(c01, ai, b1)
      ai = V(repeating: a1[q])
      c10 = fma(c10, ai, b0)
      c11 = fma(c11, ai, b1)
      ai = V(repeating: a2[q])
      c20 = fma(c20, ai, b0)
      c21 = fma(c21, ai, b1)
      ai = V(repeating: a3[q])
      c30 = fma(c30, ai, b0)
      c31 = fma(c31, ai, b1)
      ai = V(repeating: a4[q])
      c40 = fma(c40, ai, b0)
      c41 = fma(c41, ai, b1)
      ai = V(repeating: a5[q])
      c50 = fma(c50, ai, b0)
      c51 = fma(c51, ai, b1)
      ai = V(repeating: a6[q])
      c60 = fma(c60, ai, b0)
      c61 = fma(c61, ai, b1)
      ai = V(repeating: a7[q])
      c70 = fma(c70, ai, b0)
      c71 = fma(c71, ai, b1)
      q &+= aStep
      pb += bStride
    }
    store(c00, to: c)
    store(c01, to: c + w)
    var r = c + ldc
    store(c10, to: r)
    store(c11, to: r + w)
    r += ldc
    store(c20, to: r)
    store(c21, to: r + w)
    r += ldc
    store(c30, to: r)
    store(c31, to: r + w)
    r += ldc
    store(c40, to: r)
    store(c41, to: r + w)
    r += ldc
    store(c50, to: r)
    store(c51, to: r + w)
    r += ldc
    store(c60, to: r)
    store(c61, to: r + w)
    r += ldc
    store(c70, to: r)
    store(c71, to: r + w)
  }

  /// The left half of `microKernel`: an 8 × w tile (columns `0..<w` of the same panels), for
  /// edges at most one vector wide. Eight accumulators still cover the FMA latency (4 cycles on
  /// 2 pipes), and each element gets the same chain as in the full kernel.
  @inline(__always)
  static func microKernelHalf<V: SIMD>(
    _: V.Type, kc: Int, a: PanelRows<V.Scalar>, aStep: Int,
    b: UnsafePointer<V.Scalar>, bStride: Int, c: UnsafeMutablePointer<V.Scalar>, ldc: Int,
    loadC: Bool
  ) where V.Scalar: BinaryFloatingPoint {
    let (a0, a1, a2, a3, a4, a5, a6, a7) = (a.r0, a.r1, a.r2, a.r3, a.r4, a.r5, a.r6, a.r7)
    var c0 = V()
    var c1 = V()
    var c2 = V()
    var c3 = V()
    var c4 = V()
    var c5 = V()
    var c6 = V()
    var c7 = V()
    if loadC {
      c0 = load(c, as: V.self)
      c1 = load(c + ldc, as: V.self)
      c2 = load(c + 2 * ldc, as: V.self)
      c3 = load(c + 3 * ldc, as: V.self)
      c4 = load(c + 4 * ldc, as: V.self)
      c5 = load(c + 5 * ldc, as: V.self)
      c6 = load(c + 6 * ldc, as: V.self)
      c7 = load(c + 7 * ldc, as: V.self)
    }
    var q = 0
    var pb = b
    for _ in 0..<kc {
      let b0 = load(pb, as: V.self)
      c0 = fma(c0, V(repeating: a0[q]), b0)
      c1 = fma(c1, V(repeating: a1[q]), b0)
      c2 = fma(c2, V(repeating: a2[q]), b0)
      c3 = fma(c3, V(repeating: a3[q]), b0)
      c4 = fma(c4, V(repeating: a4[q]), b0)
      c5 = fma(c5, V(repeating: a5[q]), b0)
      c6 = fma(c6, V(repeating: a6[q]), b0)
      c7 = fma(c7, V(repeating: a7[q]), b0)
      q &+= aStep
      pb += bStride
    }
    store(c0, to: c)
    store(c1, to: c + ldc)
    store(c2, to: c + 2 * ldc)
    store(c3, to: c + 3 * ldc)
    store(c4, to: c + 4 * ldc)
    store(c5, to: c + 5 * ldc)
    store(c6, to: c + 6 * ldc)
    store(c7, to: c + 7 * ldc)
  }

  /// Computes a tile through `scratch` (8 × 2w elements): a partial tile at the bottom or right
  /// edge of C (`rows ≤ 8`, `cols ≤ 2w`), or, when `transposedC`, a tile of Cᵀ whose element
  /// `[r][q]` lives at `c[q·ldc + r]`.
  ///
  /// The full kernel runs unchanged on the scratch tile, so each element gets exactly the same
  /// chain of operations as inside C. Panels must be padded (zeros) to the full tile.
  static func scratchKernel<V: SIMD>(
    _: V.Type, kc: Int, a: PanelRows<V.Scalar>, aStep: Int,
    b: UnsafePointer<V.Scalar>, bStride: Int, c: UnsafeMutablePointer<V.Scalar>, ldc: Int,
    rows: Int, cols: Int, transposedC: Bool, loadC: Bool, scratch: UnsafeMutablePointer<V.Scalar>
  ) where V.Scalar: BinaryFloatingPoint {
    let nr = tileColumns(V.self)
    scratch.update(repeating: 0, count: tileRows * nr)
    if loadC {
      for r in 0..<rows {
        if transposedC {
          for q in 0..<cols { scratch[r * nr + q] = c[q * ldc + r] }
        } else {
          (scratch + r * nr).update(from: c + r * ldc, count: cols)
        }
      }
    }
    if cols <= V.scalarCount {
      microKernelHalf(
        V.self, kc: kc, a: a, aStep: aStep, b: b, bStride: bStride,
        c: scratch, ldc: nr, loadC: loadC)
    } else {
      microKernel(
        V.self, kc: kc, a: a, aStep: aStep, b: b, bStride: bStride,
        c: scratch, ldc: nr, loadC: loadC)
    }
    for r in 0..<rows {
      if transposedC {
        for q in 0..<cols { c[q * ldc + r] = scratch[r * nr + q] }
      } else {
        (c + r * ldc).update(from: scratch + r * nr, count: cols)
      }
    }
  }
}
