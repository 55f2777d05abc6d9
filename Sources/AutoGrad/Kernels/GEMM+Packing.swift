// Packing: copies blocks of op(A) and op(B) into the contiguous, tile-ordered panels the
// micro-kernel streams through. Transposes are absorbed here: op(X) is never materialised.

import Synchronization

extension GEMM {
  /// Packs `op(A)[rows][cols]` (`rows = i0..<i0+mc`, `cols = p0..<p0+kc`) into row panels of
  /// height mr = `tileRows`: `dst[(i/mr)·kc·mr + p·mr + i%mr] = op(A)[i0+i][p0+p]`, rows past
  /// `mc` padded with 0.
  ///
  /// `op(A)[i][p]` is `a[i·lda + p]`, or `a[p·lda + i]` when `transposed`.
  static func packA<T: BinaryFloatingPoint & SIMDScalar>(
    _ a: UnsafePointer<T>, lda: Int, transposed: Bool, i0: Int, mc: Int, p0: Int, kc: Int,
    into dst: UnsafeMutablePointer<T>
  ) {
    let mr = tileRows
    var panel = dst
    var ir = 0
    while ir < mc {
      let rows = min(mr, mc - ir)
      if transposed {
        // op(A) rows are columns of A: each step p copies `rows` contiguous elements.
        var src = a + p0 * lda + i0 + ir
        var out = panel
        for _ in 0..<kc {
          if rows == 8 {  // a whole panel of an 8-row build
            store(load(src, as: SIMD8<T>.self), to: out)
          } else if rows == 6 && mr == 6 {  // a whole panel of a 6-row build
            store(load(src, as: SIMD4<T>.self), to: out)
            store(load(src + 4, as: SIMD2<T>.self), to: out + 4)
          } else {
            for i in 0..<rows { out[i] = src[i] }
            for i in rows..<mr { out[i] = 0 }
          }
          src += lda
          out += mr
        }
      } else if rows == mr {
        // op(A) rows are rows of A: mr row streams, one store of mr lanes per p (element-wise
        // strided stores were vectorised into scatters, which are slow).
        let r = PanelRows(a + (i0 + ir) * lda + p0, rowStride: lda, rows: mr)
        for p in 0..<kc {
          let column = SIMD8(r.r0[p], r.r1[p], r.r2[p], r.r3[p], r.r4[p], r.r5[p], r.r6[p], r.r7[p])
          storeTileColumn(column, to: panel + p * mr)
        }
      } else {
        // A ragged last panel: the missing rows are zeros.
        let base = a + (i0 + ir) * lda + p0
        for p in 0..<kc {
          var column = SIMD8<T>()
          for i in 0..<rows { column[i] = base[i * lda + p] }
          storeTileColumn(column, to: panel + p * mr)
        }
      }
      panel += kc * mr
      ir += mr
    }
  }

  /// Stores the first `tileRows` (8 or 6) lanes of `column`, one step p of an A panel, at `p`.
  @inline(__always)
  static func storeTileColumn<T: SIMDScalar>(_ column: SIMD8<T>, to p: UnsafeMutablePointer<T>) {
    if tileRows == 8 {
      store(column, to: p)
    } else {
      store(column.lowHalf, to: p)
      store(SIMD2(column[4], column[5]), to: p + 4)
    }
  }

  /// Packs `op(B)[p0..<p0+kc][j0..<j0+nc]` into column panels two vectors of `V` wide
  /// (`nr = 2w`): `dst[(j/nr)·kc·nr + p·nr + j%nr] = op(B)[p0+p][j0+j]`, columns past `nc`
  /// padded with 0.
  ///
  /// `op(B)[p][j]` is `b[p·ldb + j]`, or `b[j·ldb + p]` when `transposed`. Either way B is read
  /// along its rows, so the hardware prefetcher sees long sequential streams.
  static func packB<V: SIMD>(
    _: V.Type, _ b: UnsafePointer<V.Scalar>, ldb: Int, transposed: Bool, p0: Int, kc: Int,
    j0: Int, nc: Int, into dst: UnsafeMutablePointer<V.Scalar>
  ) where V.Scalar: BinaryFloatingPoint & SIMDScalar {
    let w = V.scalarCount
    let nr = 2 * w
    let panelSize = kc * nr
    if transposed {
      // Each op(B) column is a row of B, contiguous in p. Eight of them at a time are read as
      // eight streams and written as one 8-lane store per p (element-wise strided stores
      // were vectorised into scatters, which are slow).
      let group = nr % 8 == 0 ? 8 : 1  // panels narrower than 8 (SIMD2 doubles): one by one
      for j in stride(from: 0, to: roundUp(nc, nr), by: group) {
        let out = dst + (j / nr) * panelSize + j % nr
        if group == 8 && j + 8 <= nc {
          let r = PanelRows(b + (j0 + j) * ldb + p0, rowStride: ldb)
          for p in 0..<kc {
            let column = SIMD8(
              r.r0[p], r.r1[p], r.r2[p], r.r3[p], r.r4[p], r.r5[p], r.r6[p], r.r7[p])
            store(column, to: out + p * nr)
          }
        } else if group == 8 && j >= nc {
          for p in 0..<kc { store(SIMD8<V.Scalar>(), to: out + p * nr) }  // padding
        } else {
          for p in 0..<kc {
            for q in 0..<group {
              out[p * nr + q] = j + q < nc ? b[(j0 + j + q) * ldb + p0 + p] : 0
            }
          }
        }
      }
      return
    }
    // Row p of the block is contiguous in B: deal it out to the panels, two vectors each.
    let fullPanels = nc / nr
    let tail = nc - fullPanels * nr
    for p in 0..<kc {
      let src = b + (p0 + p) * ldb + j0
      var out = dst + p * nr
      for q in 0..<fullPanels {
        let s = src + q * nr
        store(load(s, as: V.self), to: out)
        store(load(s + w, as: V.self), to: out + w)
        out += panelSize
      }
      if tail > 0 {
        // A ragged last panel: a whole vector where there is one, then element by element.
        let s = src + fullPanels * nr
        let head = tail >= w ? w : 0
        if head > 0 { store(load(s, as: V.self), to: out) }
        for j in head..<tail { out[j] = s[j] }
        for j in tail..<nr { out[j] = 0 }
      }
    }
  }
}

// MARK: - Packing memory

extension GEMM {
  /// Packing memory owned by one thread at a time: a thread takes one from the pool for a call
  /// and gives it back, so steady-state calls allocate nothing.
  ///
  /// `@unchecked Sendable`: the stored properties are immutable, and the memory they point to is
  /// only touched by the one thread that took the buffer out of `pool` and has not yet given it
  /// back; the pool's mutex orders one holder's writes before the next holder's reads.
  final class Workspace: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let byteCount: Int

    init(byteCount: Int) {
      self.byteCount = byteCount
      base = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
    }

    deinit { base.deallocate() }

    /// The memory at `offset` (a multiple of 64) bytes, typed as `S`.
    func pointer<S>(to _: S.Type, offset: Int) -> UnsafeMutablePointer<S> {
      (base + offset).bindMemory(
        to: S.self, capacity: (byteCount - offset) / MemoryLayout<S>.stride)
    }

    /// Idle buffers, at most `maxThreads` of them.
    private static let pool = Mutex<[Workspace]>([])

    /// A buffer of at least `bytes` bytes, reused from the pool when one is big enough.
    static func take(bytes: Int) -> Workspace {
      let reused = pool.withLock { free -> Workspace? in
        guard let index = free.lastIndex(where: { $0.byteCount >= bytes }) else { return nil }
        return free.remove(at: index)
      }
      return reused ?? Workspace(byteCount: roundUp(bytes, 1 << 16))
    }

    /// Returns a buffer to the pool; if the pool is full the smallest buffer is dropped.
    static func give(_ workspace: Workspace) {
      pool.withLock { free in
        free.append(workspace)
        if free.count > maxThreads,
          let smallest = free.indices.min(by: {
            free[$0].byteCount < free[$1].byteCount
          })
        {
          free.remove(at: smallest)
        }
      }
    }
  }
}
