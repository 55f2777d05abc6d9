import AutoGrad
import Foundation
import NN

/// swift run -c release Benchmarks [--only gemm,overhead,ops,load,c1,c2,c3,c4] [--runs N]
///                                  [--data DIR] [--json FILE] [--phases]
///
/// Prints GEMM throughput, per-op overhead, element-wise op throughput, MNIST load time and the
/// training workloads C1–C4
/// (see Docs/Performance.md); `--phases` adds where C1–C3's steps spend their time (data,
/// forward, backward, update). Release builds only: debug timings mean nothing.
let allParts = ["gemm", "overhead", "ops", "load", "c1", "c2", "c3", "c4"]
let usage = """
  usage: Benchmarks [--only \(allParts.joined(separator: ","))] [--runs N] [--data DIR] \
  [--json FILE] [--phases]
  """

func parse(_ arguments: [String]) throws -> (
  only: Set<String>, runs: Int, data: String?, json: String?, phases: Bool
) {
  var only = Set(allParts)
  var runs = 3
  var data: String?
  var json: String?
  var phases = false
  var i = 0
  func value() throws -> String {
    i += 1
    guard i < arguments.count else {
      throw BenchmarkError.usage("\(arguments[i - 1]) needs a value\n\(usage)")
    }
    return arguments[i]
  }
  while i < arguments.count {
    switch arguments[i] {
    case "--only":
      only = Set(try value().split(separator: ",").map(String.init))
      if let bad = only.first(where: { !allParts.contains($0) }) {
        throw BenchmarkError.usage("unknown part '\(bad)'\n\(usage)")
      }
    case "--runs":
      guard let n = Int(try value()), n > 0 else {
        throw BenchmarkError.usage("--runs takes a positive integer\n\(usage)")
      }
      runs = n
    case "--data": data = try value()
    case "--json": json = try value()
    case "--phases": phases = true
    case "-h", "--help":
      print(usage)
      exit(0)
    default: throw BenchmarkError.usage("unknown option '\(arguments[i])'\n\(usage)")
    }
    i += 1
  }
  return (only, runs, data, json, phases)
}

do {
  let options = try parse(Array(CommandLine.arguments.dropFirst()))
  let report = Report()
  print(
    "swift-autograd benchmarks (release build, \(ProcessInfo.processInfo.activeProcessorCount) cores)"
  )
  if options.only.contains("gemm") { GEMMBenchmark.run(runs: options.runs, report: report) }
  if options.only.contains("overhead") { OverheadBenchmark.run(runs: options.runs, report: report) }
  if options.only.contains("ops") { OpBenchmark.run(runs: options.runs, report: report) }
  let needsData = !options.only.isDisjoint(with: ["load", "c1", "c2", "c3", "c4"])
  if needsData {
    let directory = DataDirectory.resolve(option: options.data)
    let data = try TrainingBenchmarks.load(directory: directory, runs: options.runs, report: report)
    TrainingBenchmarks.run(
      data: data, runs: options.runs, only: options.only, phases: options.phases, report: report)
  }
  if let path = options.json {
    try report.json().write(toFile: path, atomically: true, encoding: .utf8)
  }
} catch let error as BenchmarkError {
  FileHandle.standardError.write(Data("Benchmarks: \(error)\n".utf8))
  exit(64)
} catch {
  FileHandle.standardError.write(Data("Benchmarks: \(error)\n".utf8))
  exit(1)
}
