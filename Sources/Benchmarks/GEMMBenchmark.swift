import AutoGrad

/// GEMM throughput through `Tensor.matmul`, for square sizes and the training shapes, with the
/// backward variants Aᵀ·B and A·Bᵀ.
enum GEMMBenchmark {
  struct Case {
    let name: String
    let m: Int
    let k: Int
    let n: Int
  }

  static let square = [256, 512, 1024, 2048].map { Case(name: "\($0)²", m: $0, k: $0, n: $0) }
  static let training = [
    Case(name: "16×784·784×200", m: 16, k: 784, n: 200),
    Case(name: "1024×784·784×200", m: 1024, k: 784, n: 200),
    Case(name: "32×784·784×3136", m: 32, k: 784, n: 3136),
    Case(name: "32×3136·3136×1568", m: 32, k: 3136, n: 1568),
    // C3's weight gradient dyᵀ·x of its 1568 × 3136 layer: depth 32 (the batch), 19.7 MB of C.
    Case(name: "1568×32·32×3136", m: 1568, k: 32, n: 3136),
  ]

  /// GFLOP/s of C = op(A)·op(B) for one case and transpose pattern (median of several runs,
  /// each long enough to time reliably).
  static func gflops(_ c: Case, transposeA: Bool, transposeB: Bool, runs: Int) -> Double {
    var generator = SeededGenerator(seed: 1)
    let a = Tensor.randn(transposeA ? [c.k, c.m] : [c.m, c.k], using: &generator)
    let b = Tensor.randn(transposeB ? [c.n, c.k] : [c.k, c.n], using: &generator)
    let flop = 2.0 * Double(c.m) * Double(c.n) * Double(c.k)
    let repeats = max(1, Int(2e9 / flop))
    let t = Timing.median(runs: runs) {
      for _ in 0..<repeats {
        _ = Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
      }
    }
    return flop * Double(repeats) / t / 1e9
  }

  static func run(runs: Int, report: Report) {
    report.section("GEMM (float32, GFLOP/s, median of \(runs))")
    report.header(["shape", "A·B", "Aᵀ·B", "A·Bᵀ"])
    for c in square + training {
      let values = [(false, false), (true, false), (false, true)].map {
        gflops(c, transposeA: $0.0, transposeB: $0.1, runs: runs)
      }
      report.row(c.name, values.map { String(format: "%.1f", $0) })
      report.record("gemm \(c.name)", values[0], unit: "GFLOP/s")
    }
  }
}
