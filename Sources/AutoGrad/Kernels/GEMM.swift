import Foundation
import Synchronization

/// Dense matrix multiplication, `C = op(A)·op(B)` (or `C += op(A)·op(B)`), on row-major memory.
///
/// The algorithm is the Goto/BLIS one (loops jc, pc, ic, jr, ir): for each block of columns of
/// C and each depth block of `kc` products, pack `op(B)` into panels of `2w` columns and `op(A)`
/// into panels of mr rows, then let an mr × 2w register-blocked micro-kernel sweep the block
/// (`w` lanes per vector: 16 floats or 8 doubles with AVX-512, mr = 8; 8 or 4 and mr = 6 with
/// AVX2). Batches of at most 32 rows read B in place instead of packing it; for `A·Bᵀ` they
/// compute `Cᵀ = B·Aᵀ` so that B is again read in place. Products at most one panel wide read A
/// in place. Threads split C into disjoint column (or row) ranges. See `Docs/GEMM.md`.
///
/// **Determinism.** Every element is computed as one chain of multiply-adds,
/// `c ← multiplyAdd(c, op(A)[i][p], op(B)[p][j])` for p = 0, 1, …, k−1, starting from `C[i][j]`
/// when accumulating and from 0 otherwise (fused where the build's CPU level has FMA). Depth
/// blocking reloads the partial sum and continues the same chain. So for a given build the
/// result is bitwise the same for any thread count, split, block size or code path, and equals
/// the scalar loop of `multiplyAdd` in that order.
enum GEMM {
  /// `C[m×n] = op(A)·op(B)`, or `C += op(A)·op(B)` when `accumulate`; `op(X) = Xᵀ` when the flag
  /// is set.
  ///
  /// `C[i][j] = Σ_{p<k} op(A)[i][p] · op(B)[p][j]`, with `op(A)[i][p] = a[i·lda + p]`
  /// (`a[p·lda + i]` when `transposeA`) and `op(B)[p][j] = b[p·ldb + j]` (`b[j·ldb + p]` when
  /// `transposeB`), `C[i][j] = c[i·ldc + j]`. A is m×k (k×m when `transposeA`) with row stride
  /// `lda`; B is k×n (n×k when `transposeB`) with row stride `ldb`; all row-major. When `k == 0`,
  /// C becomes 0 (or stays unchanged when accumulating). C must not overlap A or B.
  ///
  /// With a `bias` (n values; only without `accumulate`), every row of C starts from it instead
  /// of 0: `C[i][j] = bias[j] + Σ_p …`, the same chain as C filled with the bias rows and then
  /// accumulated onto, without that pass over C (`linear`).
  ///
  /// Uses several threads when the product is large enough (`defaultThreadCount`); the result
  /// does not depend on it.
  static func multiply<T: TensorScalar>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int,
    c: UnsafeMutablePointer<T>, ldc: Int, accumulate: Bool, bias: UnsafePointer<T>? = nil
  ) {
    multiply(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda,
      b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate, bias: bias,
      threads: defaultThreadCount(m: m, n: n, k: k))
  }

  /// `multiply` on at most `threads` threads (at least 1), for tests and benchmarks; the
  /// result is bitwise identical for every thread count.
  static func multiply<T: TensorScalar>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int,
    c: UnsafeMutablePointer<T>, ldc: Int, accumulate: Bool, bias: UnsafePointer<T>? = nil,
    threads: Int
  ) {
    precondition(m >= 0 && n >= 0 && k >= 0, "GEMM: negative size m=\(m) n=\(n) k=\(k)")
    precondition(lda >= (transposeA ? m : k), "GEMM: lda=\(lda) too small")
    precondition(ldb >= (transposeB ? k : n), "GEMM: ldb=\(ldb) too small")
    precondition(ldc >= n, "GEMM: ldc=\(ldc) < n=\(n)")
    precondition(bias == nil || !accumulate, "GEMM: a bias start with accumulate")
    if m == 0 || n == 0 { return }
    if let bias, k == 0 || m == 1 || n == 1 {
      // Paths without a bias start: C filled with the bias rows, then accumulated onto.
      for i in 0..<m { (c + i * ldc).update(from: bias, count: n) }
      multiply(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b,
        ldb: ldb, c: c, ldc: ldc, accumulate: true, threads: threads)
      return
    }
    if k == 0 {
      if !accumulate {
        for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
      }
      return
    }
    if m == 1 || n == 1 {
      multiplyVector(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b,
        ldb: ldb, c: c, ldc: ldc, accumulate: accumulate, threads: threads)
      return
    }
    // Route each dtype to its own specialised instantiation (the casts are no-ops).
    if T.self == Float.self {
      Problem<Float>(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
        a: UnsafeRawPointer(a).assumingMemoryBound(to: Float.self), lda: lda,
        b: UnsafeRawPointer(b).assumingMemoryBound(to: Float.self), ldb: ldb,
        c: UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), ldc: ldc,
        accumulate: accumulate,
        bias: bias.map { UnsafeRawPointer($0).assumingMemoryBound(to: Float.self) }
      ).run(FloatVector.self, threads: threads)
    } else if T.self == Double.self {
      Problem<Double>(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
        a: UnsafeRawPointer(a).assumingMemoryBound(to: Double.self), lda: lda,
        b: UnsafeRawPointer(b).assumingMemoryBound(to: Double.self), ldb: ldb,
        c: UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self), ldc: ldc,
        accumulate: accumulate,
        bias: bias.map { UnsafeRawPointer($0).assumingMemoryBound(to: Double.self) }
      ).run(DoubleVector.self, threads: threads)
    } else {
      preconditionFailure("GEMM: no kernel for element type \(T.self)")
    }
  }

  /// Logical CPUs available to this process; the default upper bound on GEMM threads.
  static let maxThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)

  /// The upper bound on the threads `multiply` uses by default (initially `maxThreads`), to
  /// compare with single-thread baselines (`threadLimit.store(1, ordering: .relaxed)`). Atomic,
  /// so changing it while products run is not a data race; results never depend on it.
  static let threadLimit = Atomic<Int>(maxThreads)

  /// Multiply-adds (`m·n·k`) per thread: a product runs on ⌊m·n·k / this⌋ threads (at least 1,
  /// at most `threadLimit`). A job reaches a polling `WorkerPool` worker in well under a
  /// microsecond, and each thread packs its own operands, so a second thread pays from a few
  /// hundred thousand multiply-adds: at 300 K rather than 500 K, the 640 K-multiply-add products
  /// of a batch-16 step (16×200·200×200) use both cores, and C1 took 0.404 instead of 0.421 s.
  static let multiplyAddsPerThread = 300_000

  /// The same for matrix–vector products, which stream their matrix once: 256 K elements (1 MiB
  /// of floats) take tens of microseconds to read.
  static let vectorMultiplyAddsPerThread = 262_144

  /// The thread count `multiply` uses: one per `multiplyAddsPerThread` (or, for a matrix–vector
  /// product, `vectorMultiplyAddsPerThread`) of work, at least 1 and at most `threadLimit`.
  static func defaultThreadCount(m: Int, n: Int, k: Int) -> Int {
    let limit = max(1, threadLimit.load(ordering: .relaxed))
    let work = m.multipliedReportingOverflow(by: n)
    guard !work.overflow else { return limit }
    let madds = work.partialValue.multipliedReportingOverflow(by: k)
    guard !madds.overflow else { return limit }
    let perThread = m == 1 || n == 1 ? vectorMultiplyAddsPerThread : multiplyAddsPerThread
    return max(1, min(limit, madds.partialValue / perThread))
  }
}

// MARK: - Blocking and threading

extension GEMM {
  /// One multiplication, with pointers already cast to the dtype `S`.
  ///
  /// `@unchecked Sendable`: the worker threads only read A and B, and each writes a disjoint
  /// range of rows or columns of C (see `run`), so sharing the pointers is race-free.
  struct Problem<S: TensorScalar>: @unchecked Sendable {
    let transposeA: Bool, transposeB: Bool
    let m: Int, n: Int, k: Int
    let a: UnsafePointer<S>, lda: Int
    let b: UnsafePointer<S>, ldb: Int
    let c: UnsafeMutablePointer<S>, ldc: Int
    let accumulate: Bool
    /// The row every tile of C starts from in the first depth block, or nil (see `multiply`).
    let bias: UnsafePointer<S>?

    /// Splits C between up to `threads` threads and runs each part.
    ///
    /// The split is into whole tiles: columns in multiples of the tile width, or rows in
    /// multiples of `tileRows` when C is taller than wide. Every part runs the same per-element
    /// arithmetic, so the split cannot change any bit of the result.
    func run<V: SIMD & Sendable>(_: V.Type, threads: Int) where V.Scalar == S {
      // For a few rows of A·Bᵀ, compute Cᵀ = B·op(A)ᵀ instead: B is then read in place.
      let swapped = transposeB && m <= smallM
      let splitColumns = swapped || n >= m || m <= smallM
      let unit = splitColumns ? (swapped ? tileRows : tileColumns(V.self)) : tileRows
      let units = ((splitColumns ? n : m) + unit - 1) / unit
      let parts = max(1, min(threads, units))
      func part(_ index: Int) {
        let lo = index * units / parts * unit
        let hi = min(splitColumns ? n : m, (index + 1) * units / parts * unit)
        if swapped {
          workSwapped(V.self, columns: lo..<hi)
        } else if splitColumns {
          work(V.self, rows: 0..<m, columns: lo..<hi)
        } else {
          work(V.self, rows: lo..<hi, columns: 0..<n)
        }
      }
      WorkerPool.shared.run(parts: parts, part)
    }

    /// Computes the block `C[rows][columns]` on the calling thread (loops jc, pc, ic, jr, ir).
    func work<V: SIMD>(_: V.Type, rows: Range<Int>, columns: Range<Int>) where V.Scalar == S {
      if rows.isEmpty || columns.isEmpty { return }
      let nr = tileColumns(V.self)
      let size = MemoryLayout<S>.stride
      // Batches of a few rows read B where it lies (each element is used by only m/mr tiles,
      // so packing would cost about as much as the multiply); the ragged last panel is packed.
      // The depth stays blocked: the kc × 2w panel must stay in L1 for the m/mr tiles using it.
      let inPlaceB = !transposeB && rows.count <= smallM
      let kc = min(k, depthBlock)
      // A shallow product with a large C (the weight gradient dyᵀ·x of a wide layer over a
      // small batch) costs less to compute than to write, and C is in no cache: its tiles are
      // then visited row group by row group, so that C is written as 8 streams along its rows,
      // which the prefetcher follows, instead of mc streams advancing one tile at a time.
      let rowGroupsFirst =
        !inPlaceB && k <= shallowDepth
        && rows.count * columns.count * size > largeOutputBytes
      // A is read where it lies rather than packed when packing would cost more than it saves:
      // - C at most one panel wide: each element of A is used by one tile (mr rows in place,
      //   a short last group too: its kernel reads only its own rows);
      // - a few rows of A (`dy·W` over a batch), unless shallow: their block stays in L1
      //   while the tiles re-read it (a shallow one costs nothing to pack, and its packed
      //   one-vector panel runs faster in `pairedHalfKernel`: 16×10·10×200 1.6 against 1.9 µs);
      // - a shallow `op(A) = Aᵀ` (the weight gradient `dyᵀ·x` over a batch): step p of a tile's
      //   panel is mr consecutive elements of row p of A, a packed panel with step lda, where
      //   packing copies element by element. C1's 200×16·16×200 took 9.5 against 10.6 µs.
      let inPlaceA =
        !rowGroupsFirst
        && (transposeA
          ? k <= shallowDepth
          : columns.count <= nr || (rows.count <= smallM && k > shallowDepth))
      let mc = min(roundUp(rows.count, tileRows), rowBlockBytes / size)
      let nc = min(roundUp(columns.count, nr), columnBlockBytes / size)
      let packedBCount = inPlaceB ? kc * nr : kc * nc
      let workspace = Workspace.take(bytes: (mc * kc + packedBCount + tileRows * nr) * size + 128)
      defer { Workspace.give(workspace) }
      let packedA = workspace.pointer(to: S.self, offset: 0)
      let packedB = workspace.pointer(to: S.self, offset: roundUp(mc * kc * size, 64))
      let scratch = packedB + packedBCount

      for jc in stride(from: columns.lowerBound, to: columns.upperBound, by: nc) {
        let ncur = min(nc, columns.upperBound - jc)
        for pc in stride(from: 0, to: k, by: kc) {
          let kcur = min(kc, k - pc)
          let loadC = accumulate || pc > 0
          let biasRow = loadC ? nil : bias  // where tiles start from the bias
          if !inPlaceB {
            packB(
              V.self, b, ldb: ldb, transposed: transposeB, p0: pc, kc: kcur, j0: jc, nc: ncur,
              into: packedB)
          }
          for ic in stride(from: rows.lowerBound, to: rows.upperBound, by: mc) {
            let mcur = min(mc, rows.upperBound - ic)
            if !inPlaceA {
              packA(
                a, lda: lda, transposed: transposeA, i0: ic, mc: mcur, p0: pc, kc: kcur,
                into: packedA)
            }
            // The A panel of the tile at row `ir` of this block: `Â[p][i] = rᵢ[p·aStep]`.
            let (aBlock, panelStride, aStep) =
              !inPlaceA
              ? (UnsafePointer(packedA), kcur, tileRows)
              : transposeA ? (a + pc * lda + ic, 1, lda) : (a + ic * lda + pc, lda, 1)
            func panelA(_ ir: Int, height: Int) -> PanelRows<S> {
              inPlaceA && !transposeA
                ? PanelRows(aBlock + ir * lda, rowStride: lda, rows: height)
                : PanelRows(packed: aBlock + ir * panelStride)
            }
            if rowGroupsFirst {
              rowGroupTiles(
                V.self, rows: ic..<(ic + mcur), columns: jc..<(jc + ncur), kc: kcur,
                packedA: packedA, packedB: packedB, loadC: loadC, bias: biasRow,
                scratch: scratch)
              continue
            }
            for jr in stride(from: 0, to: ncur, by: nr) {
              let cols = min(nr, ncur - jr)
              var panelB = UnsafePointer(packedB + jr * kcur)
              var bStride = nr
              if inPlaceB {
                if cols == nr {
                  panelB = b + pc * ldb + jc + jr
                  bStride = ldb
                } else {
                  packB(
                    V.self, b, ldb: ldb, transposed: false, p0: pc, kc: kcur, j0: jc + jr,
                    nc: cols, into: packedB)
                  panelB = UnsafePointer(packedB)
                }
              }
              // A one-vector-wide last panel: two tiles at a time (`pairedHalfKernel`).
              var firstRow = 0
              if tileRows == 6 && cols == V.scalarCount {
                while firstRow + 2 * tileRows <= mcur {
                  pairedHalfKernel(
                    V.self, kc: kcur, top: panelA(firstRow, height: tileRows),
                    bottom: panelA(firstRow + tileRows, height: tileRows), aStep: aStep, b: panelB,
                    bStride: bStride, c: c + (ic + firstRow) * ldc + jc + jr, ldc: ldc,
                    loadC: loadC, bias: biasRow.map { $0 + jc + jr })
                  firstRow += 2 * tileRows
                }
              }
              for ir in stride(from: firstRow, to: mcur, by: tileRows) {
                let tile = c + (ic + ir) * ldc + jc + jr
                let height = min(tileRows, mcur - ir)
                tileKernel(
                  V.self, kc: kcur, a: panelA(ir, height: height), aStep: aStep, b: panelB,
                  bStride: bStride, c: tile, ldc: ldc, rows: height, cols: cols, loadC: loadC,
                  bias: biasRow.map { $0 + jc + jr }, scratch: scratch)
              }
            }
          }
        }
      }
    }

    /// The tiles of one block of C, both operands packed, visited row group by row group
    /// (see `rowGroupsFirst` in `work`). Not inlined, so that `work`'s usual loops compile as
    /// they do without it.
    @inline(never)
    func rowGroupTiles<V: SIMD>(
      _: V.Type, rows: Range<Int>, columns: Range<Int>, kc: Int,
      packedA: UnsafeMutablePointer<S>, packedB: UnsafeMutablePointer<S>, loadC: Bool,
      bias: UnsafePointer<S>?, scratch: UnsafeMutablePointer<S>
    ) where V.Scalar == S {
      let nr = tileColumns(V.self)
      for ir in stride(from: 0, to: rows.count, by: tileRows) {
        let height = min(tileRows, rows.count - ir)
        let panelA = PanelRows(packed: UnsafePointer(packedA + ir * kc))
        for jr in stride(from: 0, to: columns.count, by: nr) {
          let (tile, cols) = (
            c + (rows.lowerBound + ir) * ldc + columns.lowerBound + jr, min(nr, columns.count - jr)
          )
          tileKernel(
            V.self, kc: kc, a: panelA, aStep: tileRows, b: UnsafePointer(packedB + jr * kc),
            bStride: nr, c: tile, ldc: ldc, rows: height, cols: cols, loadC: loadC,
            bias: bias.map { $0 + columns.lowerBound + jr }, scratch: scratch)
        }
      }
    }

    /// Computes `C[0..<m][columns]` of a few-row `op(A)·Bᵀ` as its transpose
    /// `Cᵀ[j][i] = Σₚ B[j][p]·op(A)[i][p]`: mr rows of B at a time are the micro-kernel's
    /// broadcast operand, read in place, and the small `op(A)` is packed as its vector operand.
    ///
    /// `fma(x, y, c) = fma(y, x, c)`, so every element is still the chain of `work`.
    func workSwapped<V: SIMD>(_: V.Type, columns: Range<Int>) where V.Scalar == S {
      if columns.isEmpty { return }
      let nr = tileColumns(V.self)
      let size = MemoryLayout<S>.stride
      // No depth blocking while the packed op(A) fits in half of L2: the rows of B are then
      // read start to end, long streams the prefetcher follows.
      let kc = k * roundUp(m, nr) * size <= swappedDepthBytes ? k : min(k, depthBlock)
      let packedACount = kc * roundUp(m, nr)
      let workspace = Workspace.take(bytes: (packedACount + tileRows * nr) * size + 128)
      defer { Workspace.give(workspace) }
      let packedA = workspace.pointer(to: S.self, offset: 0)
      let scratch = workspace.pointer(to: S.self, offset: roundUp(packedACount * size, 64))

      for pc in stride(from: 0, to: k, by: kc) {
        let kcur = min(kc, k - pc)
        let loadC = accumulate || pc > 0
        let biasRow = loadC ? nil : bias  // per row of Cᵀ: bias[j] starts row j of a tile
        // op(A)ᵀ[p][i] = op(A)[i][p] is a "B" operand: transposed unless A already is.
        packB(
          V.self, a, ldb: lda, transposed: !transposeA, p0: pc, kc: kcur, j0: 0, nc: m,
          into: packedA)
        for jr in stride(from: columns.lowerBound, to: columns.upperBound, by: tileRows) {
          // mr rows of B in place (a short last group: its own rows only).
          let height = min(tileRows, columns.upperBound - jr)
          let rowsOfB = PanelRows(b + jr * ldb + pc, rowStride: ldb, rows: height)
          for ir in stride(from: 0, to: m, by: nr) {
            scratchKernel(
              V.self, kc: kcur, a: rowsOfB, aStep: 1,
              b: packedA + ir * kcur, bStride: nr, c: c + ir * ldc + jr, ldc: ldc,
              rows: height, cols: min(nr, m - ir), transposedC: true, loadC: loadC,
              bias: biasRow.map { $0 + jr }, scratch: scratch)
          }
        }
      }
    }
  }

  /// `kc`, the depth of a block: one packed B panel (`kc × 2w`, 32 KiB with AVX-512) stays in
  /// the 48 KiB L1 next to an 8 KiB A panel while the ir loop sweeps it.
  static let depthBlock = 256
  /// `mc · size`: `mc` = 144 floats or 72 doubles, so a packed `mc × kc` A block (144 KiB)
  /// stays in the 1 MiB L2.
  static let rowBlockBytes = 576
  /// `nc · size`: `nc` = 1024 floats or 512 doubles, a packed `kc × nc` B block of 1 MiB.
  static let columnBlockBytes = 4096

  /// The depth up to which, and the bytes of C (one thread's part) above which, `work` visits
  /// tiles row group by row group (see there). C then no longer fits in the L2.
  static let shallowDepth = 64
  static let largeOutputBytes = 1 << 20

  /// Bytes of packed `op(A)` up to which `workSwapped` does not block the depth (half of L2).
  static let swappedDepthBytes = 524_288

  /// Rows up to which B is read in place (or `Cᵀ` computed) rather than B packed: batches of
  /// 16 and 32.
  static let smallM = 32

  @inline(__always)
  static func roundUp(_ x: Int, _ multiple: Int) -> Int { (x + multiple - 1) / multiple * multiple }
}
