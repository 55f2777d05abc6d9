import Foundation

/// Exit statuses: 0 success, 1 an experiment failed, 64 a command-line mistake (`EX_USAGE`).
enum ExitStatus {
  static let success: Int32 = 0
  static let failure: Int32 = 1
  static let usage: Int32 = 64
}

/// The subcommands behind `main.swift`: `list`, `help`, `<experiment>` and `all`.
enum Runner {
  /// `Examples list`: every experiment with its summary.
  static func list(_ arguments: ArraySlice<String>) -> Int32 {
    if let extra = arguments.first {
      return usageError(.unexpectedArgument(extra), Usage.general)
    }
    let width = Registry.experiments.map { $0.name.count }.max() ?? 0
    for type in Registry.experiments {
      print(Format.pad(type.name, to: width) + "  " + type.summary)
    }
    return ExitStatus.success
  }

  /// `Examples help [<experiment>]`: usage on standard output.
  static func help(_ arguments: ArraySlice<String>) -> Int32 {
    guard let topic = arguments.first else {
      print(Usage.general)
      return ExitStatus.success
    }
    guard arguments.count == 1 else {
      return usageError(.unexpectedArgument(arguments[arguments.startIndex + 1]), Usage.general)
    }
    if topic == "all" {
      print(Usage.all)
    } else if let type = Registry.experiment(named: topic) {
      print(Usage.experiment(type))
    } else {
      return usageError(.unknownExperiment(topic), Usage.general)
    }
    return ExitStatus.success
  }

  /// `Examples <slug> [options]`: one run, into `--out` (default `runs/<slug>`).
  static func runOne(_ slug: String, _ arguments: ArraySlice<String>) -> Int32 {
    guard let type = Registry.experiment(named: slug) else {
      return usageError(.unknownExperiment(slug), Usage.general)
    }
    if arguments.contains(where: { $0 == "--help" || $0 == "-h" }) {
      print(Usage.experiment(type))
      return ExitStatus.success
    }
    let options: Options
    do {
      options = try Options.parse(
        Array(arguments), specs: type.extraOptions, defaultOutput: "runs/" + slug)
    } catch {
      return usageError(error, Usage.experiment(type))
    }
    let console = Console()
    do {
      _ = try execute(type, options: options, console: console)
      return ExitStatus.success
    } catch let error as OptionsError {
      return usageError(error, Usage.experiment(type))
    } catch {
      reportError("\(slug) failed: \(describe(error))", console: console)
      return ExitStatus.failure
    }
  }

  /// `Examples all [common options]`: every experiment in order, each into `<out>/<slug>`;
  /// stops at the first failure with a non-zero status, naming the experiment.
  static func runAll(_ arguments: ArraySlice<String>) -> Int32 {
    if arguments.contains(where: { $0 == "--help" || $0 == "-h" }) {
      print(Usage.all)
      return ExitStatus.success
    }
    let common: Options
    do {
      common = try Options.parse(Array(arguments), specs: [], defaultOutput: "runs")
    } catch {
      return usageError(error, Usage.all)
    }
    let console = Console()
    let types = Registry.experiments
    var summary = Table(header: ["experiment", "seconds"])
    for (index, type) in types.enumerated() {
      let output = OutputDirectory.join(common.outputDirectory, type.name)
      let options = Options(common: common, specs: type.extraOptions, outputDirectory: output)
      console.print("[\(index + 1)/\(types.count)] \(type.name)")
      do {
        let seconds = try execute(type, options: options, console: console)
        summary.addRow([type.name, Format.fixed(seconds, 1)])
        console.print()
      } catch {
        let status = error is OptionsError ? ExitStatus.usage : ExitStatus.failure
        reportError(
          "all: stopped at '\(type.name)' (\(index + 1) of \(types.count)): \(describe(error))",
          console: console)
        return status
      }
    }
    console.print("all \(types.count) experiments finished")
    console.print(summary)
    return ExitStatus.success
  }

  /// Runs one experiment and writes its `results.json`; returns the wall time in seconds.
  private static func execute(
    _ type: any Experiment.Type, options: Options, console: Console
  ) throws -> Double {
    let output = try OutputDirectory(path: options.outputDirectory)
    let results = Results(dataset: options.dataset ?? type.defaultDataset, options: options)
    let context = RunContext(options: options, console: console, output: output, results: results)
    let clock = ContinuousClock()
    let start = clock.now
    let experiment = try type.init(context: context)
    printParameters(type, options: options, results: results, console: console)
    try experiment.run()
    console.clearProgress()
    let elapsed = clock.now - start
    let seconds =
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    let document = results.document(
      experiment: type.name, seed: options.seed, quick: options.quick, wallSeconds: seconds)
    try output.write(text: document.prettyPrinted, to: "results.json")
    let files = (["results.json"] + results.files).joined(separator: ", ")
    console.print("wrote \(files) to \(output.path) in \(Format.seconds(seconds))")
    return seconds
  }

  private static func printParameters(
    _ type: any Experiment.Type, options: Options, results: Results, console: Console
  ) {
    var pairs: [(name: String, value: String)] = [
      ("seed", String(options.seed)),
      ("quick", String(options.quick)),
      ("dataset", results.dataset),
      ("data", options.dataDirectory ?? "(default)"),
      ("out", options.outputDirectory),
    ]
    for (name, value) in results.parameters {
      pairs.append((name, compactText(value)))
    }
    console.parameters("\(type.name): \(type.summary)", pairs)
  }

  /// A parameter value on one line: `0.1,0.01`, `20`, `sgd`.
  private static func compactText(_ value: JSONValue) -> String {
    switch value {
    case .string(let text): return text
    case .array(let elements): return elements.map(compactText).joined(separator: ",")
    default: return value.prettyPrinted.split(separator: "\n").joined(separator: " ")
    }
  }

  /// Prints `error: <message>` and `usage` to standard error; returns 64.
  static func usageError(_ error: OptionsError, _ usage: String) -> Int32 {
    fflush(nil)
    let text = "error: \(error.description)\n\n\(usage)\n"
    FileHandle.standardError.write(Data(text.utf8))
    return ExitStatus.usage
  }

  private static func reportError(_ message: String, console: Console) {
    console.clearProgress()
    fflush(nil)
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
  }

  private static func describe(_ error: any Error) -> String {
    if let localized = error as? any LocalizedError, let text = localized.errorDescription {
      return text
    }
    return String(describing: error)  // uses `description` for CustomStringConvertible errors
  }
}
