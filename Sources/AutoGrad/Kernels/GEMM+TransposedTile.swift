// The swapped path of GEMM (`workSwapped`) computes tiles of Cᵀ: element [r][q] of such a tile,
// kept in the scratch tile at `scratch[r·nr + q]` (nr = 2w), lives at `c[q·ldc + r]` in C. The
// two copies here move a tile between those layouts.
//
// Element by element that is up to 2 · 6 · 16 strided scalar accesses per 6 × 16 tile: about
// 3.5 % of a batch-16 training step (C1). Whole float tiles of the AVX2 build (6 × 16) go
// through 8 × 8 blocks transposed in registers instead (three rounds of even/odd unzips, 48
// shuffles per block), each row of C taking one 4-lane and one 2-lane access. Other tiles and
// builds keep the element-wise copy.

extension GEMM {
  /// Whether a tile of `rows` rows, `nr` wide, of element type `S` is copied through 8 × 8
  /// register blocks: whole float tiles of the AVX2 build (6 × 16).
  @inline(__always)
  static func transposesInRegisters<S>(_: S.Type, rows: Int, nr: Int) -> Bool {
    S.self == Float.self && tileRows == 6 && rows == 6 && nr == 16
  }

  /// `scratch[r·nr + q] = c[q·ldc + r]` for `r < rows`, `q < cols`; 0 elsewhere in the
  /// `tileRows` × `nr` scratch tile.
  static func loadTransposedTile<S: BinaryFloatingPoint>(
    from c: UnsafePointer<S>, ldc: Int, rows: Int, cols: Int,
    into scratch: UnsafeMutablePointer<S>, nr: Int
  ) {
    if transposesInRegisters(S.self, rows: rows, nr: nr) {
      let c = UnsafeRawPointer(c).assumingMemoryBound(to: Float.self)
      let s = UnsafeMutableRawPointer(scratch).assumingMemoryBound(to: Float.self)
      for q0 in stride(from: 0, to: nr, by: 8) {
        var block = Block8 { q in
          guard q0 + q < cols else { return SIMD8() }
          let row = c + (q0 + q) * ldc
          return SIMD8(
            lowHalf: load(row, as: SIMD4<Float>.self),
            highHalf: SIMD4(lowHalf: load(row + 4, as: SIMD2<Float>.self), highHalf: SIMD2()))
        }
        block.transpose()
        block.forEachVector { r, v in if r < 6 { store(v, to: s + r * nr + q0) } }
      }
      return
    }
    scratch.update(repeating: 0, count: tileRows * nr)
    for r in 0..<rows {
      for q in 0..<cols { scratch[r * nr + q] = c[q * ldc + r] }
    }
  }

  /// `c[q·ldc + r] = scratch[r·nr + q]` for `r < rows`, `q < cols`.
  static func storeTransposedTile<S: BinaryFloatingPoint>(
    _ scratch: UnsafePointer<S>, nr: Int, rows: Int, cols: Int,
    to c: UnsafeMutablePointer<S>, ldc: Int
  ) {
    if transposesInRegisters(S.self, rows: rows, nr: nr) {
      let c = UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self)
      let s = UnsafeRawPointer(scratch).assumingMemoryBound(to: Float.self)
      for q0 in stride(from: 0, to: cols, by: 8) {
        var block = Block8 { r in r < 6 ? load(s + r * nr + q0, as: SIMD8<Float>.self) : SIMD8() }
        block.transpose()
        block.forEachVector { q, v in
          guard q0 + q < cols else { return }
          let row = c + (q0 + q) * ldc
          store(v.lowHalf, to: row)
          store(SIMD2(v[4], v[5]), to: row + 4)
        }
      }
      return
    }
    for r in 0..<rows {
      for q in 0..<cols { c[q * ldc + r] = scratch[r * nr + q] }
    }
  }

  /// Eight float vectors, an 8 × 8 block held in registers.
  struct Block8 {
    var v0, v1, v2, v3, v4, v5, v6, v7: SIMD8<Float>

    /// The block whose vector `i` is `vector(i)`.
    @inline(__always)
    init(_ vector: (Int) -> SIMD8<Float>) {
      (v0, v1, v2, v3) = (vector(0), vector(1), vector(2), vector(3))
      (v4, v5, v6, v7) = (vector(4), vector(5), vector(6), vector(7))
    }

    /// Transposes the block: lane j of vector i becomes lane i of vector j.
    ///
    /// Read as one array of 64 elements, element `8i + j` is at index `i·8 + j`, six bits
    /// `i₂i₁i₀j₂j₁j₀`. One round of unzipping (the even elements of the whole array, then the
    /// odd ones) rotates those bits right by one; three rounds give `j₂j₁j₀i₂i₁i₀`, the index of
    /// element `8j + i`. Each output vector of a round is the even or odd half of two
    /// neighbouring input vectors, one or two shuffles.
    @inline(__always)
    mutating func transpose() {
      @inline(__always) func unzip(
        _ a: SIMD8<Float>, _ b: SIMD8<Float>
      ) -> (SIMD8<Float>, SIMD8<Float>) {
        let ab = SIMD16(lowHalf: a, highHalf: b)
        return (ab.evenHalf, ab.oddHalf)
      }
      for _ in 0..<3 {
        let (e0, o0) = unzip(v0, v1)
        let (e1, o1) = unzip(v2, v3)
        let (e2, o2) = unzip(v4, v5)
        let (e3, o3) = unzip(v6, v7)
        (v0, v1, v2, v3, v4, v5, v6, v7) = (e0, e1, e2, e3, o0, o1, o2, o3)
      }
    }

    /// Calls `body(i, vᵢ)` for i = 0 … 7.
    @inline(__always)
    func forEachVector(_ body: (Int, SIMD8<Float>) -> Void) {
      body(0, v0)
      body(1, v1)
      body(2, v2)
      body(3, v3)
      body(4, v4)
      body(5, v5)
      body(6, v6)
      body(7, v7)
    }
  }
}
