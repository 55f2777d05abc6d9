import Dispatch

/// Wall-clock timing for the benchmarks: several runs after a warm-up, the median reported.
enum Timing {
  /// Seconds since an arbitrary origin.
  static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

  /// The wall time of `body` in seconds.
  static func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = now()
    try body()
    return now() - start
  }

  /// The median of `runs` timings of `body`, after `warmup` untimed runs.
  static func median(runs: Int, warmup: Int = 1, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    var times: [Double] = []
    for _ in 0..<runs { times.append(try seconds(body)) }
    return median(times)
  }

  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }
}

/// Where the steps of a training loop spend their time: each `lap` adds the time since the
/// previous one to a phase. Disabled, a lap does nothing, so the timed loop is the plain one.
struct StepPhases {
  static let names = ["data", "forward", "backward", "update"]
  let enabled: Bool
  private(set) var seconds = [Double](repeating: 0, count: names.count)
  private(set) var steps = 0
  private var last = Timing.now()

  init(enabled: Bool) { self.enabled = enabled }

  /// Adds the time since the previous lap to phase `index` of `names`; the last phase ends a
  /// step.
  @inline(__always)
  mutating func lap(_ index: Int) {
    guard enabled else { return }
    let now = Timing.now()
    seconds[index] += now - last
    last = now
    if index == Self.names.count - 1 { steps += 1 }
  }

  /// "data 6.1, forward 49.0, …": microseconds per step.
  var summary: String {
    zip(Self.names, seconds).map { name, total in
      "\(name) " + String(format: "%.1f", total / Double(max(steps, 1)) * 1e6)
    }.joined(separator: ", ")
  }
}
