import AutoGrad
import NN

/// E1 `perceptron-ovr` (report 000 §2): ten one-vs-rest perceptrons on the first 20,000
/// training and first 2,000 test images of MNIST, each input a 1 (for the bias) followed by the
/// 784 pixels. Prints the misclassification rate of each perceptron on its binary task, then
/// that of the combined 10-way model, which answers the class whose perceptron puts the image
/// farthest on its positive side (the largest signed distance `wᵀx / ‖w‖`).
///
/// Training replicates the report's code, scikit-learn's `Perceptron()` with its defaults:
/// weights start at 0; every epoch visits the images in a new random order; each image with
/// `y·wᵀx ≤ 0` (y = ±1) updates `w ← w + η·y·x` with η = 1; a perceptron stops when its epoch's
/// summed perceptron loss `Σ max(0, −y·wᵀx)` has not beaten its best by `tol · N` for 5 epochs
/// in a row, or after 1000 epochs. Pixels are raw 0…255, as the report's code read them. The ten
/// perceptrons are trained together (one `[1, 785]·[785, 10]` product per image), each stopping
/// on its own.
struct PerceptronOVR: Experiment {
  static let name = "perceptron-ovr"
  static let summary = "10 one-vs-rest perceptrons, MNIST 20k/2k: per-digit and combined error"

  static let trainCount = Option<Int>(
    "train", default: 20_000, quick: 2_000, range: 1...60_000, help: "first N training images")
  static let testCount = Option<Int>(
    "test", default: 2_000, quick: 500, range: 1...10_000, help: "first N test images")
  static let epochs = Option<Int>(
    "epochs", default: 1000, quick: 3, range: 1...100_000,
    help: "most epochs per perceptron (each stops earlier, see --tol)")
  static let learningRate = Option<Double>(
    "lr", default: 1, range: 1e-9...1e9, help: "step η of the update w ← w + η·y·x")
  static let tolerance = Option<Double>(
    "tol", default: 1e-3, range: 0...1e9,
    help: "stop when an epoch's loss sum beats the best by less than tol·N ...")
  static let patience = Option<Int>(
    "patience", default: 5, range: 1...100_000, help: "... for this many epochs in a row")
  static let pixels = Option<PixelScale>(
    "pixels", default: .raw,
    help: "pixel values: raw 0…255 (the report's code), unit 0…1 or standardized per pixel")

  static var extraOptions: [OptionSpec] {
    [
      trainCount.spec, testCount.spec, epochs.spec, learningRate.spec, tolerance.spec,
      patience.spec, pixels.spec,
    ]
  }

  /// Report 000's figures.
  static let reportPerDigit = [2.15, 0.55, 2.70, 3.65, 2.55, 3.30, 2.70, 3.90, 11.35, 6.15]
  static let reportCombined = 15.8

  let context: RunContext

  init(context: RunContext) throws {
    self.context = context
  }

  func run() throws {
    let console = context.console
    let data = try OneVsRestData(
      context: context, trainCount: context[Self.trainCount], testCount: context[Self.testCount],
      pixels: context[Self.pixels])

    let trained = Self.train(
      inputs: data.trainInputs, targets: data.trainTargets, maxEpochs: context[Self.epochs],
      learningRate: context[Self.learningRate],
      tolerance: context[Self.tolerance] * Double(data.trainLabels.count),
      patience: context[Self.patience], seed: context.seed
    ) { epoch, seen, training in
      console.progress(
        "epoch \(epoch)", completed: seen, total: data.trainLabels.count,
        "\(training) perceptrons training")
    }
    console.clearProgress()

    // Per-digit rates: classifier k says "k" where wᵀx > 0.
    let scores = withoutGrad { data.testInputs.matmul(trained.weights) }
    let scoreValues = scores.scalars(as: Double.self)
    let perDigit = BinaryClassifiers.oneVsRestErrorPercent(
      scores: scoreValues, classes: 10, labels: data.testLabels)
    BinaryClassifiers.printPerDigit(
      perDigit,
      heading: "(2.1) Misclassification Rate (%) of each Binary Classifier (Perceptrons):",
      console: console)
    try context.save(
      BinaryClassifiers.perDigitChart(
        perDigit, title: "(2.1) Misclassification rate of each digit's perceptron"),
      as: "per-digit-error")

    // The combined model: the largest signed distance wᵀx / ‖w‖.
    let predictions = BinaryClassifiers.combinedPredictions(
      scores: scoreValues, classes: 10,
      scales: BinaryClassifiers.pixelWeightNorms(trained.weights))
    let combined = BinaryClassifiers.combinedResult(
      predictions: predictions, labels: data.testLabels)
    BinaryClassifiers.printCombined(
      combined, heading: "(2.2) 10-Way Model Performance on Test Set (Perceptrons):",
      console: console)

    // The report's code compared raw scores wᵀx (scikit-learn's decision_function).
    let rawCombined = BinaryClassifiers.combinedResult(
      predictions: BinaryClassifiers.combinedPredictions(scores: scoreValues, classes: 10),
      labels: data.testLabels)

    BinaryClassifiers.printComparison(
      ours: perDigit, report: Self.reportPerDigit, combinedOurs: combined.errorPercent,
      combinedReport: Self.reportCombined, console: console)
    console.print(
      "epochs until each perceptron stopped (digits 0-9): "
        + trained.epochsRun.map(String.init).joined(separator: " "))
    console.print(
      "combined by the largest raw score wᵀx (as the report's code did) instead: "
        + "\(rawCombined.errors) errors, " + Format.fixed(rawCombined.errorPercent, 1) + " %")
    console.print(
      "The figures move by a few points with --seed: a perceptron ends wherever its last\n"
        + "mistake-driven updates left it, and the report's unseeded scikit-learn run saw\n"
        + "another order of the images.")

    var lossChart = SVGChart(
      title: "Perceptron loss per epoch", xLabel: "epoch", yLabel: "Σ max(0, −y·wᵀx) / N")
    for (digit, curve) in trained.lossCurves.enumerated() {
      lossChart.add("digit \(digit)", y: curve)
    }
    lossChart.logY = true
    try context.save(lossChart, as: "training-loss")

    context.record("perDigitErrorPercent", perDigit)
    context.record("combinedErrorPercent", combined.errorPercent)
    context.record("combinedErrors", combined.errors)
    context.record("combinedSuccesses", combined.successes)
    context.record("meanPerDigitErrorPercent", perDigit.reduce(0, +) / Double(perDigit.count))
    context.record("combinedErrorPercentRawScore", rawCombined.errorPercent)
    context.record("epochsRun", trained.epochsRun)
  }

  /// What training produced: weights `[785, 10]` (bias in row 0), the epochs each perceptron
  /// ran, and each one's mean perceptron loss per epoch.
  struct Trained {
    var weights: Tensor
    var epochsRun: [Int]
    var lossCurves: [[Double]]
  }

  /// Trains one-vs-rest perceptrons online, together, each stopping on its own (see the type's
  /// documentation).
  ///
  /// The update is the perceptron rule applied with tensor operations outside the tape, not a
  /// gradient step: `PerceptronCriterion`'s subgradient is 0 where `y·wᵀx = 0`, so from zero
  /// weights it would never move, while the rule (and scikit-learn) updates on `≤ 0`.
  ///
  /// - Parameters:
  ///   - inputs: `[N, D]`, the bias input included.
  ///   - targets: `[N, C]`, 1 where sample i belongs to class k, else 0.
  ///   - tolerance: the loss-sum margin of `LossPlateau` (scikit-learn's `tol · N`).
  ///   - progress: called every 1000 samples with the epoch (from 1), the samples seen in it
  ///     and the number of perceptrons still training.
  static func train(
    inputs: Tensor, targets: Tensor, maxEpochs: Int, learningRate eta: Double,
    tolerance: Double, patience: Int, seed: UInt64,
    progress: (_ epoch: Int, _ seen: Int, _ training: Int) -> Void = { _, _, _ in }
  ) -> Trained {
    let count = inputs.shape[0]
    let classes = targets.shape[1]
    // ±1 targets, one column per class.
    let signs = withoutGrad { targets * 2 - 1 }
    let loader = DataLoader(
      inputs: inputs, targets: signs, batchSize: 1, shuffle: true, seed: seed)
    var weights = Tensor.zeros([inputs.shape[1], classes])
    var rules = [LossPlateau](
      repeating: LossPlateau(tolerance: tolerance, patience: patience), count: classes)
    var epochsRun = [Int](repeating: maxEpochs, count: classes)
    var curves = [[Double]](repeating: [], count: classes)
    // η for the perceptrons still training, 0 for those that stopped.
    var steps = Tensor(shape: [1, classes], values: [Float](repeating: Float(eta), count: classes))

    for epoch in 0..<maxEpochs {
      var lossSums = Tensor.zeros([1, classes])
      var seen = 0
      let training = rules.filter { !$0.stopped }.count
      for (x, y) in loader.batches(epoch: epoch) {
        withoutGrad {
          let margins = x.matmul(weights) * y  // y·wᵀx, [1, C]
          lossSums = lossSums + (-margins).relu()
          let update = (margins .<= 0) * y * steps
          weights = weights + Tensor.matmul(x, update, transposeA: true)
        }
        seen += 1
        if seen % 1000 == 0 { progress(epoch + 1, seen, training) }
      }
      let sums = lossSums.scalars(as: Double.self)
      var rates = [Float](repeating: 0, count: classes)
      for k in 0..<classes where !rules[k].stopped {
        curves[k].append(sums[k] / Double(count))
        rules[k].update(sums[k])
        if rules[k].stopped {
          epochsRun[k] = epoch + 1
        } else {
          rates[k] = Float(eta)
        }
      }
      if rules.allSatisfy(\.stopped) { break }
      steps = Tensor(shape: [1, classes], values: rates)
    }
    return Trained(weights: weights, epochsRun: epochsRun, lossCurves: curves)
  }
}

/// scikit-learn's stopping rule for `Perceptron` and `SGDClassifier` (`n_iter_no_change`,
/// `tol`): after each epoch, the epoch's summed training loss counts as no improvement when it
/// exceeds `best − tolerance`; any lower loss becomes the new best (even one that did not
/// improve by `tolerance`, which `Optim.EarlyStopping` would not record); training stops after
/// `patience` epochs in a row without improvement.
struct LossPlateau: Equatable {
  /// The margin a loss must beat the best by (scikit-learn's `tol · N`).
  let tolerance: Double
  /// Epochs in a row without improvement that stop training.
  let patience: Int
  /// The lowest loss so far.
  private(set) var best = Double.infinity
  /// Epochs in a row without improvement so far.
  private(set) var epochsWithoutImprovement = 0

  init(tolerance: Double, patience: Int) {
    self.tolerance = tolerance
    self.patience = patience
  }

  /// Whether training should stop.
  var stopped: Bool { epochsWithoutImprovement >= patience }

  /// Records one epoch's summed loss.
  mutating func update(_ loss: Double) {
    if loss > best - tolerance {
      epochsWithoutImprovement += 1
    } else {
      epochsWithoutImprovement = 0
    }
    best = min(best, loss)
  }
}
