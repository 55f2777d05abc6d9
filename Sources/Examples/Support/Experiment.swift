/// One experiment of EXPERIMENTS.md, run as the subcommand `Examples <name>`.
///
/// The runner parses the command line, calls `init(context:)`, prints the parameters, calls
/// `run()`, and then writes `results.json` with whatever the run recorded in
/// `context.results`. Keep `init` cheap (read options, validate them, throw `OptionsError` for
/// bad combinations) and do the work, including loading data, in `run()`.
protocol Experiment {
  /// The subcommand and slug, e.g. `"perceptron-ovr"`.
  static var name: String { get }
  /// One line for `Examples list`.
  static var summary: String { get }
  /// The experiment's own flags, e.g. `[Self.epochs.spec, Self.learningRates.spec]`.
  static var extraOptions: [OptionSpec] { get }
  /// The dataset recorded in `results.json` when `--dataset` is not given.
  static var defaultDataset: String { get }

  /// Reads and checks the options; should not load data or train.
  init(context: RunContext) throws
  /// Runs the experiment: prints its results, saves figures, records metrics.
  func run() throws
}

extension Experiment {
  static var extraOptions: [OptionSpec] { [] }
  static var defaultDataset: String { "mnist" }
}

/// A file a run can save: an SVG chart or a PNG image grid.
protocol Figure {
  /// The file extension, without the dot: `"svg"`, `"png"`.
  static var fileExtension: String { get }
  /// The file's bytes.
  func encoded() -> [UInt8]
}

/// Everything a running experiment needs: options, console, output folder and results.
struct RunContext {
  /// The parsed command line.
  let options: Options
  /// Where to print.
  let console: Console
  /// Where to write files.
  let output: OutputDirectory
  /// What goes into `results.json`.
  let results: Results

  /// `--quick`.
  var quick: Bool { options.quick }
  /// `--seed`.
  var seed: UInt64 { options.seed }

  /// The value of one of the experiment's own flags: `context[Self.epochs]`.
  subscript<Value>(option: Option<Value>) -> Value {
    options[option]
  }

  /// Records a metric for `results.json` (see `Results.record`).
  func record(_ name: String, _ value: some JSONRepresentable) {
    results.record(name, value)
  }

  /// Writes a chart or grid into the output folder as `name` (extension added if missing).
  ///
  /// - Returns: the path written, e.g. `runs/logreg-l2/loss.svg`.
  @discardableResult
  func save<F: Figure>(_ figure: F, as name: String) throws(OutputError) -> String {
    let suffix = "." + F.fileExtension
    let fileName = name.hasSuffix(suffix) ? name : name + suffix
    let path = try output.write(figure.encoded(), to: fileName)
    results.noteFile(fileName)
    return path
  }
}
