/// What a run reports: the dataset it used, derived parameters, metrics and the files it wrote.
///
/// The runner turns it into `results.json` after `run()` returns (EXPERIMENTS.md, conventions):
///
/// ```json
/// {
///   "experiment": "perceptron-ovr",
///   "dataset": "mnist",
///   "seed": 0,
///   "quick": false,
///   "parameters": { "epochs": 20, "trainSize": 20000 },
///   "wallSeconds": 12.5,
///   "metrics": { "perDigitErrorPercent": [2.15, 0.55], "combinedErrorPercent": 15.8 }
/// }
/// ```
final class Results {
  /// The dataset the figures come from; experiments using a stand-in overwrite it.
  var dataset: String
  /// The experiment's options, then whatever `recordParameter` added, in that order.
  private(set) var parameters = JSONObject()
  /// Headline and other figures, in recording order.
  private(set) var metrics = JSONObject()
  /// Names of the files written so far (plots, grids), in order.
  private(set) var files: [String] = []

  /// Results for a run on `dataset`, with the parameters taken from `options`.
  init(dataset: String, options: Options) {
    self.dataset = dataset
    for (name, value) in options.experimentValues {
      parameters[name] = value.json
    }
  }

  /// Records a metric; recording the same name again replaces it (keeping its position).
  ///
  /// Values can be numbers, booleans, strings, arrays of them, nested arrays (`[[Int]]` for a
  /// grid, rows first), `[String: …]` dictionaries (keys sorted) or `JSONValue` objects.
  func record(_ name: String, _ value: some JSONRepresentable) {
    metrics[name] = value.json
  }

  /// Records a parameter that is not a flag, e.g. a training-set size derived from `--quick`.
  func recordParameter(_ name: String, _ value: some JSONRepresentable) {
    parameters[name] = value.json
  }

  /// Notes that `name` was written into the output directory.
  func noteFile(_ name: String) {
    if !files.contains(name) { files.append(name) }
  }

  /// The `results.json` document.
  func document(experiment: String, seed: UInt64, quick: Bool, wallSeconds: Double) -> JSONValue {
    let object: JSONObject = [
      "experiment": .string(experiment),
      "dataset": .string(dataset),
      "seed": seed.json,
      "quick": .bool(quick),
      "parameters": .object(parameters),
      "wallSeconds": .number((wallSeconds * 1000).rounded() / 1000),
      "metrics": .object(metrics),
    ]
    return .object(object)
  }
}
