import Foundation

/// Exercises the shared machinery without training anything: options, parameter listing,
/// progress line, table, line charts (linear and log, with a marker), a grouped bar chart, a PNG
/// grid with captions, and `results.json`. To be removed once real experiments exist.
struct Demo: Experiment {
  static let name = "demo"
  static let summary = "Sample charts, an image grid and results.json (exercises the machinery)"
  static let defaultDataset = "none"

  static let points = Option<Int>(
    "points", default: 200, quick: 40, range: 2...100_000, help: "samples per curve")
  static let frequencies = Option<[Double]>(
    "frequencies", default: [1, 2], range: 0.01...100, help: "frequencies of the sine curves")
  static let noise = Option<Double>(
    "noise", default: 0.05, range: 0...1, help: "noise added to the loss curves")
  static let label = Option<String>("label", default: "demo", help: "caption of the first cell")
  static let fail = Option<Bool>("fail", help: "throw an error at the end (tests 'all')")

  static var extraOptions: [OptionSpec] {
    [points.spec, frequencies.spec, noise.spec, label.spec, fail.spec]
  }

  /// A failure the demo raises on request.
  struct RequestedFailure: Error, CustomStringConvertible {
    var description: String { "failed because --fail was given" }
  }

  let context: RunContext
  let pointCount: Int
  let frequencyList: [Double]
  let noiseLevel: Double

  init(context: RunContext) throws {
    self.context = context
    pointCount = context[Self.points]
    frequencyList = context[Self.frequencies]
    noiseLevel = context[Self.noise]
    context.results.recordParameter("epochs", 30)
  }

  func run() throws {
    var random = SplitMix64(seed: context.seed)
    let console = context.console

    // Curves: sine and cosine per frequency.
    var curves = SVGChart(title: "Sine and cosine", xLabel: "t (s)", yLabel: "amplitude")
    let ts = (0..<pointCount).map { 2 * Double.pi * Double($0) / Double(pointCount - 1) }
    for (index, frequency) in frequencyList.enumerated() {
      let f = Format.shortest(frequency)
      curves.add("sin(\(f)t)", x: ts, y: ts.map { sin(frequency * $0) }, colorIndex: 2 * index)
      curves.add(
        "cos(\(f)t)", x: ts, y: ts.map { cos(frequency * $0) }, colorIndex: 2 * index + 1,
        dashed: true)
    }
    curves.markers.append(.init(x: Double.pi, label: "t = π"))
    try context.save(curves, as: "curves")

    // Simulated training: loss per epoch with a progress line, early stop at the best epoch.
    let epochs = 30
    var train: [Double] = []
    var validation: [Double] = []
    for epoch in 1...epochs {
      for step in 0..<50 {
        console.progress("epoch \(epoch)/\(epochs)", completed: step, total: 50, "loss 0.1234")
      }
      let base = 2.3 * exp(-Double(epoch) / 6) + 0.05
      train.append(base * (1 + noiseLevel * random.nextSigned()))
      validation.append(
        (base + 0.002 * Double(epoch * epoch) / 10) * (1 + noiseLevel * random.nextSigned()))
    }
    console.clearProgress()
    let best = validation.indices.min { validation[$0] < validation[$1] } ?? 0
    var loss = SVGChart(title: "Loss (log scale)", xLabel: "epoch", yLabel: "cross-entropy")
    loss.add("train", y: train)
    loss.add("validation", y: validation)
    loss.logY = true
    loss.markers.append(.init(x: Double(best + 1), label: "early stop"))
    try context.save(loss, as: "loss")

    // The report-000 figures as a grouped bar chart and a table.
    let perceptron = [2.15, 0.55, 2.70, 3.65, 2.55, 3.30, 2.70, 3.90, 11.35, 6.15]
    let logistic = [1.35, 0.90, 2.75, 3.70, 2.15, 3.00, 2.60, 3.45, 7.00, 4.95]
    var bars = SVGBarChart(
      title: "Per-digit misclassification rate", xLabel: "digit", yLabel: "error (%)",
      categories: (0...9).map(String.init))
    bars.add("perceptron", values: perceptron)
    bars.add("logistic regression", values: logistic)
    bars.valueDecimals = 1
    try context.save(bars, as: "per-digit-error")
    console.heading("Misclassification rate (%) per digit (report 000 figures):")
    var table = Table(header: ["model"] + (0...9).map { "\($0)" })
    table.addRow("perceptron", values: perceptron, digits: 2)
    table.addRow("logistic", values: logistic, digits: 2)
    console.print(table)
    console.print("%\t" + Format.list(logistic, 2, zeroPadTo: 5, separator: "\t"))

    // A 4×5 grid of generated 28×28 images: gradients, rings, and a signed "weight" image.
    var grid = ImageGrid(imageWidth: 28, imageHeight: 28, columns: 5, scaling: .minMax)
    for cell in 0..<20 {
      let angle = Double(cell) * Double.pi / 10
      let image = (0..<(28 * 28)).map { index -> Double in
        let (x, y) = (Double(index % 28) - 13.5, Double(index / 28) - 13.5)
        return cell % 2 == 0
          ? x * cos(angle) + y * sin(angle)
          : cos((x * x + y * y).squareRoot() / (1 + Double(cell) / 4))
      }
      let caption = cell == 0 ? context[Self.label] : Format.fixed(50 + 2.5 * Double(cell), 1) + "%"
      grid.append(image, caption: caption)
    }
    try context.save(grid, as: "gradients")

    context.record("bestEpoch", best + 1)
    context.record("finalTrainLoss", train[epochs - 1])
    context.record("trainLoss", train)
    context.record("perDigitErrorPercent", perceptron)
    context.record("grid", [[972, 972, 974], [970, 972, 884]])
    context.record("summary", ["mean": perceptron.reduce(0, +) / 10, "max": 11.35])
    context.record("reloadIdentical", true)
    console.print("best epoch \(best + 1), final train loss \(Format.fixed(train[epochs - 1], 4))")
    if context[Self.fail] { throw RequestedFailure() }
  }
}

/// A tiny seeded generator (SplitMix64) so the demo needs nothing from AutoGrad.
private struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }

  /// A uniform value in `-1..<1`.
  mutating func nextSigned() -> Double {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Double(z >> 11) / Double(1 << 52) - 1
  }
}
