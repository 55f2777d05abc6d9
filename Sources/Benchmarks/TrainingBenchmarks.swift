import AutoGrad
import NN
import Optim

/// The training workloads C1–C4 of PERFORMANCE.md, written the way a user writes them.
enum TrainingBenchmarks {
  struct MNISTData {
    let trainX: Tensor
    let trainY: Tensor
    let testX: Tensor
    let testY: Tensor
    let train: ImageDataset
  }

  /// Loading all 70,000 MNIST images from disk to float32 tensors.
  static func load(directory: DataDirectory, runs: Int, report: Report) throws -> MNISTData {
    report.section("Loading MNIST (70,000 images, IDX → float32 tensors), median of \(runs)")
    var data: MNISTData?
    let t = try Timing.median(runs: runs, warmup: 1) {
      // The previous load's tensors go first, as in the Python version of this benchmark.
      data = nil
      let train = try MNIST.load(.train, from: directory)
      let test = try MNIST.load(.test, from: directory)
      data = MNISTData(
        trainX: train.features(), trainY: train.labelsTensor(), testX: test.features(),
        testY: test.labelsTensor(), train: train)
    }
    report.header(["case", "seconds"])
    report.row("load", [String(format: "%.3f", t)])
    report.record("load mnist", t, unit: "s")
    guard let data else { throw BenchmarkError.noData }
    return data
  }

  static func mlp(_ sizes: [Int], generator: inout SeededGenerator) -> Sequential {
    var layers: [any Module] = []
    for i in 0..<(sizes.count - 1) {
      layers.append(Linear(sizes[i], sizes[i + 1], using: &generator))
      if i < sizes.count - 2 { layers.append(ReLU()) }
    }
    return Sequential(layers)
  }

  static func accuracy(_ model: Sequential, _ x: Tensor, _ y: Tensor) -> Double {
    withoutGrad { (model(x).argmax(axis: 1) .== y).mean().item() }
  }

  /// One shuffled epoch (or its first `steps` batches) of SGD with cross-entropy: the seconds
  /// taken, and where the steps spent them when `phases` is set.
  static func epoch(
    _ model: Sequential, _ data: MNISTData, batchSize: Int, steps: Int? = nil, seed: UInt64,
    phases: Bool = false
  ) -> (seconds: Double, phases: StepPhases) {
    let loader = DataLoader(
      inputs: data.trainX, targets: data.trainY, batchSize: batchSize, shuffle: true, seed: seed)
    let optimizer = SGD(parameters: model.parameters, learningRate: 0.1)
    let criterion = CrossEntropyLoss()
    var clock = StepPhases(enabled: phases)
    let seconds = Timing.seconds {
      var step = 0
      for (x, y) in loader {
        if let steps, step == steps { break }
        clock.lap(0)
        let loss = criterion(model(x), y)
        clock.lap(1)
        optimizer.zeroGrad()
        loss.backward()
        clock.lap(2)
        optimizer.step()
        clock.lap(3)
        step += 1
      }
    }
    return (seconds, clock)
  }

  static func mlpWorkload(
    _ name: String, sizes: [Int], batchSize: Int, fraction steps: Int?, data: MNISTData,
    runs: Int, phases: Bool, report: Report
  ) {
    var times: [Double] = []
    var accuracies: [Double] = []
    var clocks: [StepPhases] = []
    let batches = (data.trainX.shape[0] + batchSize - 1) / batchSize
    for run in 0..<runs {
      var generator = SeededGenerator(seed: UInt64(run))
      let model = mlp(sizes, generator: &generator)
      let (t, clock) = epoch(
        model, data, batchSize: batchSize, steps: steps, seed: UInt64(run), phases: phases)
      times.append(steps.map { t * Double(batches) / Double($0) } ?? t)
      accuracies.append(accuracy(model, data.testX, data.testY))
      clocks.append(clock)
    }
    let seconds = Timing.median(times)
    let accuracy = Timing.median(accuracies)
    report.row(name, [String(format: "%.3f", seconds), String(format: "%.4f", accuracy)])
    report.record(name, seconds, unit: "s/epoch")
    if let steps {
      report.note(
        "\(name): \(steps) of \(batches) steps timed and extrapolated to the epoch; "
          + "accuracy after those \(steps) steps")
    }
    if phases,
      let median = times.indices.sorted(by: { times[$0] < times[$1] }).dropFirst(runs / 2).first
    {
      report.note("\(name), µs a step (the median run): \(clocks[median].summary)")
    }
  }

  /// C4: logistic regression on the 4s and 9s, σ + BCE + λ‖w‖², full-batch gradient descent.
  static func logisticRegression(data: MNISTData, runs: Int, report: Report) {
    let fourNine = data.train.filter(classes: [4, 9])
    let x = fourNine.features()
    let y = fourNine.binaryTargets(positiveClass: 9, positive: 1, negative: 0).reshape([-1, 1])
    var times: [Double] = []
    for run in 0..<runs {
      var generator = SeededGenerator(seed: UInt64(run))
      let layer = Linear(784, 1, using: &generator)
      let optimizer = SGD(parameters: layer.parameters, learningRate: 0.5)
      let criterion = BCELoss()
      times.append(
        Timing.seconds {
          for _ in 0..<1000 {
            let loss = criterion(layer(x).sigmoid(), y) + 1e-3 * layer.weight.square().sum()
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
          }
        })
    }
    let seconds = Timing.median(times)
    report.row("C4 logreg 4v9 ×1000", [String(format: "%.3f", seconds), "-"])
    report.record("C4", seconds, unit: "s")
  }

  static func run(data: MNISTData, runs: Int, only: Set<String>, phases: Bool, report: Report) {
    report.section("Training (float32, one epoch of MNIST unless noted, median of \(runs))")
    report.header(["workload", "seconds", "test acc"])
    if only.contains("c1") {
      mlpWorkload(
        "C1 784-200-200-10 b16", sizes: [784, 200, 200, 10], batchSize: 16,
        fraction: nil, data: data, runs: runs, phases: phases, report: report)
    }
    if only.contains("c2") {
      mlpWorkload(
        "C2 784-200-200-10 b1024", sizes: [784, 200, 200, 10], batchSize: 1024,
        fraction: nil, data: data, runs: runs, phases: phases, report: report)
    }
    if only.contains("c3") {
      mlpWorkload(
        "C3 784-3136-1568-10 b32", sizes: [784, 3136, 1568, 10], batchSize: 32,
        fraction: 150, data: data, runs: runs, phases: phases, report: report)
    }
    if only.contains("c4") { logisticRegression(data: data, runs: runs, report: report) }
  }
}

enum BenchmarkError: Error, CustomStringConvertible {
  case noData
  case usage(String)

  var description: String {
    switch self {
    case .noData: return "no MNIST data was loaded"
    case .usage(let message): return message
    }
  }
}
