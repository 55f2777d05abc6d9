import AutoGrad

/// The throughput of single element-wise and indexing ops on float32 (no tape: forward only),
/// for the kernels that are not part of the training workloads: µs per call on 1,000 and
/// 1,000,000 elements (gather: picking one of each 10).
enum OpBenchmark {
  static func run(runs: Int, report: Report) {
    report.section("Element-wise and indexing ops (float32, µs per call, median of \(runs))")
    report.header(["op", "1 K", "1 M"])
    var generator = SeededGenerator(seed: 1)
    let inputs = [1_000, 1_000_000].map { Tensor.randn([$0], using: &generator) }
    let masks = inputs.map { $0 .> 0 }
    let negated = inputs.map { -$0 }
    let positive = inputs.map { $0.abs() }
    // Rows of 10 "logits" and a class for each row: the pick of NLLLoss.
    let rows = inputs.map { $0.reshape([-1, 10]) }
    let classes = rows.map { r in
      Tensor(shape: [r.shape[0], 1], doubles: (0..<r.shape[0]).map { Double($0 % 10) })
    }
    let cases: [(String, (Int) -> Void)] = [
      ("sqrt", { _ = positive[$0].sqrt() }),
      ("tanh", { _ = inputs[$0].tanh() }),
      ("exp", { _ = inputs[$0].exp() }),
      ("sigmoid", { _ = inputs[$0].sigmoid() }),
      ("where", { _ = Tensor.where(masks[$0], inputs[$0], negated[$0]) }),
      ("gather (rows of 10)", { _ = rows[$0].gather(axis: 1, indices: classes[$0]) }),
      ("scalars(as: Double)", { _ = inputs[$0].scalars(as: Double.self) }),
    ]
    for (name, body) in cases {
      let micros = inputs.indices.map { size in
        let calls = size == 0 ? 2_000 : 20
        return Timing.median(runs: runs) { for _ in 0..<calls { body(size) } } / Double(calls) * 1e6
      }
      report.row(name, micros.map { String(format: "%.2f", $0) })
      report.record("op \(name) 1K", micros[0], unit: "µs")
      report.record("op \(name) 1M", micros[1], unit: "µs")
    }
  }
}
