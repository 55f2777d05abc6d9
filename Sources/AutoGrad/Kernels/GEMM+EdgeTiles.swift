// The edge tiles of GEMM, next to the whole tiles of `GEMM+MicroKernel.swift`: a one-vector-wide
// last panel (n = 200 = 12 × 16 + 8) computed two tiles at a time so that the FMA units stay
// busy, and tiles computed through a scratch tile (a partial tile at the right edge of C, or a
// tile of Cᵀ in the swapped path). Both give every element exactly the chain of `microKernel`.

extension GEMM {
  /// The left halves of two vertically adjacent tiles at once: rows `0..<tileRows` of a
  /// one-vector-wide block of C from the A panel `top`, rows `tileRows..<2·tileRows` from
  /// `bottom` (packed or in place, read as in `microKernel`), each element the same chain as
  /// in `microKernel`.
  ///
  /// A one-vector tile on its own has only `tileRows` independent chains: with mr = 6 the FMA
  /// latency (4 cycles, 2 units on Zen 3) then leaves a third of the units idle, so a ragged
  /// half panel (n = 200 = 12 × 16 + 8) cost as much as a whole one. Two tiles give 12 chains,
  /// 12 accumulators + 2 of the 16 ymm registers; used in 6-row builds only (8-row builds have
  /// 8 chains, and 16 accumulators would not fit the 16 xmm registers of a baseline build).
  static func pairedHalfKernel<V: SIMD>(
    _: V.Type, kc: Int, top: PanelRows<V.Scalar>, bottom: PanelRows<V.Scalar>, aStep: Int,
    b: UnsafePointer<V.Scalar>, bStride: Int, c: UnsafeMutablePointer<V.Scalar>, ldc: Int,
    loadC: Bool, bias: UnsafePointer<V.Scalar>?
  ) where V.Scalar: BinaryFloatingPoint {
    assert(tileRows == 6, "pairedHalfKernel is written for 6-row tiles")
    var (c0, c1, c2, c3, c4, c5) = (V(), V(), V(), V(), V(), V())
    var (c6, c7, c8, c9, c10, c11) = (V(), V(), V(), V(), V(), V())
    @inline(__always) func row(_ i: Int) -> UnsafeMutablePointer<V.Scalar> { c + i * ldc }
    if loadC {
      (c0, c1, c2, c3, c4, c5) = (
        load(row(0), as: V.self), load(row(1), as: V.self), load(row(2), as: V.self),
        load(row(3), as: V.self), load(row(4), as: V.self), load(row(5), as: V.self)
      )
      (c6, c7, c8, c9, c10, c11) = (
        load(row(6), as: V.self), load(row(7), as: V.self), load(row(8), as: V.self),
        load(row(9), as: V.self), load(row(10), as: V.self), load(row(11), as: V.self)
      )
    } else if let bias {
      let start = load(bias, as: V.self)
      (c0, c1, c2, c3, c4, c5) = (start, start, start, start, start, start)
      (c6, c7, c8, c9, c10, c11) = (start, start, start, start, start, start)
    }
    let (t0, t1, t2, t3, t4, t5) = (top.r0, top.r1, top.r2, top.r3, top.r4, top.r5)
    let (u0, u1, u2, u3, u4, u5) = (
      bottom.r0, bottom.r1, bottom.r2, bottom.r3, bottom.r4, bottom.r5
    )
    var (q, pb) = (0, b)
    for _ in 0..<kc {
      let b0 = load(pb, as: V.self)
      c0 = fma(c0, V(repeating: t0[q]), b0)
      c1 = fma(c1, V(repeating: t1[q]), b0)
      c2 = fma(c2, V(repeating: t2[q]), b0)
      c3 = fma(c3, V(repeating: t3[q]), b0)
      c4 = fma(c4, V(repeating: t4[q]), b0)
      c5 = fma(c5, V(repeating: t5[q]), b0)
      c6 = fma(c6, V(repeating: u0[q]), b0)
      c7 = fma(c7, V(repeating: u1[q]), b0)
      c8 = fma(c8, V(repeating: u2[q]), b0)
      c9 = fma(c9, V(repeating: u3[q]), b0)
      c10 = fma(c10, V(repeating: u4[q]), b0)
      c11 = fma(c11, V(repeating: u5[q]), b0)
      q &+= aStep
      pb += bStride
    }
    store(c0, to: row(0))
    store(c1, to: row(1))
    store(c2, to: row(2))
    store(c3, to: row(3))
    store(c4, to: row(4))
    store(c5, to: row(5))
    store(c6, to: row(6))
    store(c7, to: row(7))
    store(c8, to: row(8))
    store(c9, to: row(9))
    store(c10, to: row(10))
    store(c11, to: row(11))
  }

  /// Computes a tile through `scratch` (`tileRows` × 2w elements): a partial tile at the right
  /// edge of C (`rows ≤ tileRows`, `cols < 2w`), or, when `transposedC`, a tile of Cᵀ whose
  /// element `[r][q]` lives at `c[q·ldc + r]`.
  ///
  /// The kernel runs unchanged on the scratch tile, so each element gets exactly the same chain
  /// of operations as inside C. Panels must be padded (zeros) to the full width. A `bias` start
  /// (without `loadC`) fills the scratch tile with it first: along each row (`bias[q]`), or,
  /// for a tile of Cᵀ, down each row (`bias[r]`, Cᵀ's rows being C's columns).
  static func scratchKernel<V: SIMD>(
    _: V.Type, kc: Int, a: PanelRows<V.Scalar>, aStep: Int,
    b: UnsafePointer<V.Scalar>, bStride: Int, c: UnsafeMutablePointer<V.Scalar>, ldc: Int,
    rows: Int, cols: Int, transposedC: Bool, loadC: Bool, bias: UnsafePointer<V.Scalar>? = nil,
    scratch: UnsafeMutablePointer<V.Scalar>
  ) where V.Scalar: BinaryFloatingPoint {
    let nr = tileColumns(V.self)
    let biasStart = loadC ? nil : bias
    let startsFromScratch = loadC || biasStart != nil
    if let bias = biasStart, transposedC {
      for r in 0..<tileRows {
        let start = V(repeating: r < rows ? bias[r] : 0)
        for q in stride(from: 0, to: nr, by: V.scalarCount) {
          store(start, to: scratch + r * nr + q)
        }
      }
    } else if loadC && transposedC {
      loadTransposedTile(from: c, ldc: ldc, rows: rows, cols: cols, into: scratch, nr: nr)
    } else if startsFromScratch {
      // Row r starts from C's row r, or from the bias row.
      scratch.update(repeating: 0, count: tileRows * nr)
      for r in 0..<rows {
        (scratch + r * nr).update(from: biasStart ?? UnsafePointer(c + r * ldc), count: cols)
      }
    }
    if cols <= V.scalarCount {
      shortKernel(
        V.self, kc: kc, a: a, aStep: aStep, b: b, bStride: bStride, c: scratch, ldc: nr,
        rows: rows, vectors: Count<1>(), loadC: startsFromScratch)
    } else {
      shortKernel(
        V.self, kc: kc, a: a, aStep: aStep, b: b, bStride: bStride, c: scratch, ldc: nr,
        rows: rows, vectors: Count<2>(), loadC: startsFromScratch)
    }
    if transposedC {
      storeTransposedTile(scratch, nr: nr, rows: rows, cols: cols, to: c, ldc: ldc)
    } else {
      for r in 0..<rows { (c + r * ldc).update(from: scratch + r * nr, count: cols) }
    }
  }
}
