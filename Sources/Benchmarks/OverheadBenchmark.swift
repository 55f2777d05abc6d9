import AutoGrad

/// The fixed cost of one operation: a multiply of two one-element tensors, forward only and
/// forward + backward (the same measurement PERFORMANCE.md quotes for PyTorch).
enum OverheadBenchmark {
  static func run(runs: Int, report: Report) {
    report.section("Per-op overhead (1-element multiply, µs per op, median of \(runs))")
    report.header(["case", "µs"])
    let x = Tensor([1.5], requiresGrad: true)
    let c = Tensor([2.0])
    let n = 200_000
    let forward =
      Timing.median(runs: runs) {
        for _ in 0..<n { _ = x * c }
      } / Double(n) * 1e6
    let backward =
      Timing.median(runs: runs) {
        for _ in 0..<n {
          (x * c).backward()
          x.zeroGrad()
        }
      } / Double(n) * 1e6
    report.row("forward", [String(format: "%.3f", forward)])
    report.row("forward + backward", [String(format: "%.3f", backward)])
    report.record("op forward", forward, unit: "µs")
    report.record("op forward+backward", backward, unit: "µs")
  }
}
