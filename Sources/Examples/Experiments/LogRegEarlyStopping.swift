import AutoGrad
import NN

/// E14 (report 003, task 2): logistic regression for digit 2 against digit 3, trained by
/// mini-batch SGD and scored five times per epoch; early stopping on the validation loss with
/// and without shuffling the batches.
///
/// Definitions, as in the report's trainer: a *step* is one mini-batch update, counted from 0
/// over the whole run; the model is scored after every step that is a multiple of
/// `⌊batches per epoch / 5⌋`; early stopping watches the validation loss and stops after 10
/// evaluations in a row without a new best. Each run trains all its epochs so that the whole
/// curves can be drawn, and records the step where early stopping fired (training is
/// deterministic, so an early-stopped run is exactly the beginning of this one). Further
/// shuffled runs with other seeds show how much the stopping step varies.
struct LogRegEarlyStopping: Experiment {
  static let name = "logreg-early-stopping"
  static let summary = "Logistic regression 2 vs 3, early stopping with and without shuffling"

  static let epochs = Report003Options.epochs
  static let learningRate = Option<Double>(
    "lr", default: 0.05, range: 1e-9...100, help: "SGD learning rate")
  static let batchSize = Report003Options.batchSize
  static let patience = Option<Int>(
    "patience", default: 10, quick: 3, range: 1...10_000,
    help: "evaluations without a better validation figure (--monitor) before stopping")
  static let evaluations = Report003Options.evaluations
  static let trainSize = Report003Options.trainSize
  static let validationSize = Option<Int>(
    "validation-size", default: 2000, quick: 1000, range: 100...10_000,
    help: "last N test images (then filtered to 2 and 3)")
  static let shuffledRuns = Option<Int>(
    "shuffled-runs", default: 10, quick: 2, range: 1...1000,
    help: "shuffled runs (seeds seed, seed+1, …) for the range of stopping steps")
  static let monitor = Option<StoppingMonitor>(
    "monitor", default: .loss,
    help: "what early stopping watches: the validation loss (report) or accuracy")
  static let pixels = Report003Options.pixels

  static var extraOptions: [OptionSpec] {
    [
      epochs.spec, learningRate.spec, batchSize.spec, patience.spec, evaluations.spec,
      trainSize.spec, validationSize.spec, shuffledRuns.spec, monitor.spec, pixels.spec,
    ]
  }

  let context: RunContext
  init(context: RunContext) throws { self.context = context }

  func run() throws {
    let console = context.console
    let classes = [2, 3]
    let trainImages = try context.loadMNIST(.train).prefix(context[Self.trainSize])
      .filter(classes: classes)
    let validationImages = try context.loadMNIST(.test).suffix(context[Self.validationSize])
      .filter(classes: classes)
    let pixels = context[Self.pixels]
    // Digit 2 is the positive class (target 1), as the assignment's `load_binary_dataset(2, 3)`.
    let training = TensorDataset(
      inputs: pixels.features(trainImages), targets: trainImages.binaryTargets(positiveClass: 2))
    let validation = TensorDataset(
      inputs: pixels.features(validationImages),
      targets: validationImages.binaryTargets(positiveClass: 2))

    var plan = TrainingPlan(
      epochs: context[Self.epochs], batchSize: context[Self.batchSize],
      learningRate: context[Self.learningRate])
    plan.dropLast = true
    plan.evaluation = .timesPerEpoch(context[Self.evaluations])
    plan.evaluateTrainingSet = true
    plan.earlyStoppingPatience = context[Self.patience]
    plan.earlyStoppingMonitor = context[Self.monitor]
    plan.continueAfterStopping = true
    let batches = training.count / plan.batchSize
    let every = EvaluationSchedule.stepsBetweenEvaluations(
      batchesPerEpoch: batches, timesPerEpoch: context[Self.evaluations])
    console.print(
      "Training set: first \(trainImages.count) images of digits 2 and 3 among the first "
        + "\(context[Self.trainSize]) training images; \(batches) steps per epoch")
    console.print(
      "Validation set: \(validationImages.count) images of digits 2 and 3 among the last "
        + "\(context[Self.validationSize]) test images; scored every \(every) steps")
    context.results.recordParameter("trainingImages", trainImages.count)
    context.results.recordParameter("validationImages", validationImages.count)
    context.results.recordParameter("stepsPerEpoch", batches)
    context.results.recordParameter("stepsBetweenValidations", every)

    func train(shuffle: Bool, seed: UInt64, full: Bool, label: String) -> TrainingHistory {
      var runPlan = plan
      runPlan.shuffle = shuffle
      runPlan.seed = seed
      runPlan.continueAfterStopping = full
      return trainClassifier(
        zeroInitializedLinear(784, 1), head: .binary, training: training,
        validation: [validation], plan: runPlan, console: console, label: label)
    }
    let unshuffled = train(shuffle: false, seed: context.seed, full: true, label: "unshuffled")
    let shuffled = train(shuffle: true, seed: context.seed, full: true, label: "shuffled")
    var shuffledStops: [Int?] = [shuffled.stopStep]
    for offset in 1..<context[Self.shuffledRuns] {
      let seed = context.seed &+ UInt64(offset)
      shuffledStops.append(
        train(shuffle: true, seed: seed, full: false, label: "shuffled, seed \(seed)").stopStep)
    }

    printResults(unshuffled: unshuffled, shuffled: shuffled, shuffledStops: shuffledStops)
    try saveCharts(unshuffled: unshuffled, shuffled: shuffled)

    context.record("stopStepUnshuffled", unshuffled.stopStep)
    context.record("stopStepShuffled", shuffled.stopStep)
    context.record("stopStepsShuffledSeeds", shuffledStops)
    context.record("bestStepUnshuffled", unshuffled.bestStep)
    context.record("bestStepShuffled", shuffled.bestStep)
    context.record(
      "valAccuracyAtStopUnshuffled", Self.accuracy(unshuffled, at: unshuffled.stopStep))
    context.record("valAccuracyAtStopShuffled", Self.accuracy(shuffled, at: shuffled.stopStep))
    context.record("finalValAccuracyUnshuffled", unshuffled.finalAccuracy())
    context.record("finalValAccuracyShuffled", shuffled.finalAccuracy())
    context.record("finalValLossUnshuffled", unshuffled.evaluations.last?.validation[0].loss)
    context.record("finalValLossShuffled", shuffled.evaluations.last?.validation[0].loss)
    for (name, history) in [("Unshuffled", unshuffled), ("Shuffled", shuffled)] {
      context.record("validationSteps\(name)", history.evaluations.map(\.step))
      context.record("valLoss\(name)", history.evaluations.map { $0.validation[0].loss })
      context.record("valAccuracy\(name)", history.evaluations.map { $0.validation[0].accuracy })
      context.record("trainAccuracy\(name)", history.evaluations.map { $0.training?.accuracy })
    }
  }

  /// The validation accuracy of the evaluation after `step`, if there is one.
  static func accuracy(_ history: TrainingHistory, at step: Int?) -> Double? {
    history.evaluations.first { $0.step == step }?.validation[0].accuracy
  }

  /// The report's sentence for a run, e.g. "training stops at step 75".
  static func stopSentence(_ history: TrainingHistory, epochs: Int) -> String {
    guard let step = history.stopStep else {
      return "training does not stop early (it runs all \(epochs) epochs)"
    }
    return "training stops at step \(step)"
  }

  private func printResults(
    unshuffled: TrainingHistory, shuffled: TrainingHistory, shuffledStops: [Int?]
  ) {
    let console = context.console
    let epochs = context[Self.epochs]
    console.heading(
      "Early stopping (patience \(context[Self.patience]) validations, validation "
        + "\(context[Self.monitor].rawValue)):")
    console.print("With early stopping enabled, \(Self.stopSentence(unshuffled, epochs: epochs)).")
    console.print(
      "With the batch shuffling enabled too, \(Self.stopSentence(shuffled, epochs: epochs)) "
        + "(seed \(context.seed)).")
    let stops = shuffledStops.compactMap { $0 }
    if shuffledStops.count > 1 {
      let listed = shuffledStops.map { $0.map(String.init) ?? "none" }.joined(separator: " ")
      let range = stops.isEmpty ? "" : "; range \(stops.min() ?? 0)–\(stops.max() ?? 0)"
      console.print(
        "Shuffled, seeds \(context.seed)…\(context.seed &+ UInt64(shuffledStops.count - 1)): "
          + "stops at steps \(listed)\(range)")
    }

    console.heading("Runs (the curves continue after the stop to epoch \(epochs)):")
    var table = Table(header: [
      "run", "stop step", "stop epoch", "best step", "best val \(context[Self.monitor].rawValue)",
      "val acc at stop",
      "final val loss", "final val acc", "final train acc",
    ])
    for (name, history) in [("unshuffled", unshuffled), ("shuffled", shuffled)] {
      let last = history.evaluations.last
      table.addRow([
        name,
        history.stopStep.map(String.init) ?? "-",
        history.stopStep.map { Format.fixed(Double($0 + 1) / Double(history.batchesPerEpoch), 1) }
          ?? "-",
        history.bestStep.map(String.init) ?? "-",
        history.bestValue.map { Format.fixed($0, 4) } ?? "-",
        Self.accuracy(history, at: history.stopStep).map { Format.percent($0, 2) } ?? "-",
        last.map { Format.fixed($0.validation[0].loss, 4) } ?? "-",
        last.map { Format.percent($0.validation[0].accuracy, 2) } ?? "-",
        last?.training.map { Format.percent($0.accuracy, 2) } ?? "-",
      ])
    }
    console.print(table)
    console.print("(report: stops at step 75; with shuffling somewhere in 65–195)")
  }

  private func saveCharts(unshuffled: TrainingHistory, shuffled: TrainingHistory) throws {
    for (name, history) in [("unshuffled", unshuffled), ("shuffled", shuffled)] {
      let stop = history.stopStep.map { ", early stop at step \($0)" } ?? ""
      var loss = history.lossChart(
        title: "Logistic regression 2 vs 3, \(name): loss\(stop)",
        validationNames: ["validation"], yLabel: "binary cross-entropy")
      var accuracy = history.accuracyChart(
        title: "Logistic regression 2 vs 3, \(name): accuracy\(stop)",
        validationNames: ["validation"])
      if let marker = history.stopMarker() {
        loss.markers.append(marker)
        accuracy.markers.append(marker)
      }
      try context.save(loss, as: "loss-\(name)")
      try context.save(accuracy, as: "accuracy-\(name)")
    }
    var comparison = SVGChart(
      title: "Validation accuracy with and without shuffling", xLabel: "training step",
      yLabel: "validation accuracy")
    for (name, history) in [("unshuffled", unshuffled), ("shuffled", shuffled)] {
      let points = history.evaluations
      comparison.add(
        name, x: points.map { Double($0.step) }, y: points.map { $0.validation[0].accuracy })
      comparison.series[comparison.series.count - 1].showsMarkers = false
    }
    // One label for both stop lines: two labels a few steps apart would cover each other.
    let stops = [("unshuffled", unshuffled.stopStep), ("shuffled", shuffled.stopStep)]
      .compactMap { name, step in step.map { (name, $0) } }
    for (index, (_, step)) in stops.enumerated() {
      let label = stops.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
      comparison.markers.append(
        SVGChart.Marker(x: Double(step), label: index == 0 ? "early stop: " + label : ""))
    }
    comparison.yRange = TrainingHistory.accuracyZoom(
      (unshuffled.evaluations + shuffled.evaluations).filter { $0.epoch > 1 }
        .map { $0.validation[0].accuracy })
    try context.save(comparison, as: "accuracy-shuffle-comparison")
  }
}
