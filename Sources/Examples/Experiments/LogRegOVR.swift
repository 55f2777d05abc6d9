import AutoGrad
import NN
import Optim

/// E2 `logreg-ovr` (report 000 §3): the experiment of E1 with ten one-vs-rest logistic
/// regressions, `P(digit k | x) = σ(w_kᵀx)` on the same 785 inputs, trained by full-batch
/// gradient descent on the cross-entropy summed over the training images (report 000 eq. 16),
/// scaled by 1/N so that the learning rate does not depend on the training-set size. Prints the
/// per-digit misclassification rates and their mean, then the combined 10-way model, which
/// answers the most probable digit.
///
/// The ten regressions are one `Linear(785, 10)` without a separate bias (the first input is
/// the constant 1), starting from zero weights as scikit-learn does: the columns of the loss
/// are independent, so this is exactly ten separate regressions sharing each matrix product.
/// Training is deterministic; `--seed` changes nothing.
struct LogRegOVR: Experiment {
  static let name = "logreg-ovr"
  static let summary =
    "10 one-vs-rest logistic regressions, MNIST 20k/2k: per-digit and combined error"

  static let trainCount = Option<Int>(
    "train", default: 20_000, quick: 2_000, range: 1...60_000, help: "first N training images")
  static let testCount = Option<Int>(
    "test", default: 2_000, quick: 500, range: 1...10_000, help: "first N test images")
  static let epochs = Option<Int>(
    "epochs", default: 300, quick: 30, range: 1...100_000, help: "full-batch gradient steps")
  static let learningRate = Option<Double>(
    "lr", default: 1, range: 1e-9...1e9, help: "gradient-descent step size")
  static let pixels = Option<PixelScale>(
    "pixels", default: .unit,
    help: "pixel values: unit 0…1, raw 0…255 (needs a tiny --lr) or standardized per pixel")

  static var extraOptions: [OptionSpec] {
    [trainCount.spec, testCount.spec, epochs.spec, learningRate.spec, pixels.spec]
  }

  /// Report 000's figures.
  static let reportPerDigit = [1.35, 0.90, 2.75, 3.70, 2.15, 3.00, 2.60, 3.45, 7.00, 4.95]
  static let reportMean = 3.19
  static let reportCombined = 12.2

  let context: RunContext

  init(context: RunContext) throws {
    self.context = context
  }

  func run() throws {
    let console = context.console
    let data = try OneVsRestData(
      context: context, trainCount: context[Self.trainCount], testCount: context[Self.testCount],
      pixels: context[Self.pixels])
    let epochs = context[Self.epochs]

    var testError: [Double] = []
    let (model, trainLoss) = Self.train(
      inputs: data.trainInputs, targets: data.trainTargets, epochs: epochs,
      learningRate: context[Self.learningRate]
    ) { epoch, model, loss in
      let logits = withoutGrad { model(data.testInputs) }.scalars(as: Double.self)
      let predictions = BinaryClassifiers.combinedPredictions(scores: logits, classes: 10)
      let result = BinaryClassifiers.combinedResult(
        predictions: predictions, labels: data.testLabels)
      testError.append(result.errorPercent)
      console.progress(
        "gradient descent", completed: epoch, total: epochs,
        "epoch \(epoch)  loss \(Format.fixed(loss, 4))  "
          + "test error \(Format.fixed(result.errorPercent, 1)) %")
    }
    console.clearProgress()

    // Classifier k says "k" where σ(w_kᵀx) > 0.5, that is where w_kᵀx > 0.
    let logits = withoutGrad { model(data.testInputs) }.scalars(as: Double.self)
    let perDigit = BinaryClassifiers.oneVsRestErrorPercent(
      scores: logits, classes: 10, labels: data.testLabels)
    let mean = perDigit.reduce(0, +) / Double(perDigit.count)
    BinaryClassifiers.printPerDigit(
      perDigit,
      heading: "(3.1) Misclassification Rate (%) of each Binary Classifier (Logistic Regression):",
      console: console)
    console.print("Mean of the ten rates (%): " + Format.fixed(mean, 2))
    try context.save(
      BinaryClassifiers.perDigitChart(
        perDigit,
        title: "(3.1) Misclassification rate of each digit's logistic regression"),
      as: "per-digit-error")

    // The most probable digit; σ is increasing, so that is the largest logit (compared before
    // σ, so that probabilities rounding to 1 in float32 cannot tie).
    let predictions = BinaryClassifiers.combinedPredictions(scores: logits, classes: 10)
    let combined = BinaryClassifiers.combinedResult(
      predictions: predictions, labels: data.testLabels)
    BinaryClassifiers.printCombined(
      combined, heading: "(3.2) 10-Way Model Performance on Test Set (Logistic Regression):",
      console: console)

    BinaryClassifiers.printComparison(
      ours: perDigit, report: Self.reportPerDigit, combinedOurs: combined.errorPercent,
      combinedReport: Self.reportCombined, console: console)
    console.print(
      "mean per-digit rate: ours " + Format.fixed(mean, 2) + ", report "
        + Format.fixed(Self.reportMean, 2))
    console.print(
      "The report's code ran scikit-learn's LogisticRegression (L-BFGS, at most 100\n"
        + "iterations, L2 penalty with C = 1, raw pixels); this is plain gradient descent on the\n"
        + "cross-entropy alone, so the figures agree only roughly.")

    var lossChart = SVGChart(
      title: "Training cross-entropy (mean of the ten regressions)", xLabel: "epoch",
      yLabel: "binary cross-entropy")
    lossChart.add("train", y: trainLoss)
    lossChart.logY = true
    try context.save(lossChart, as: "training-loss")
    var errorChart = SVGChart(
      title: "Combined 10-way model on the test images", xLabel: "epoch",
      yLabel: "misclassification rate (%)")
    errorChart.add("test", y: testError)
    try context.save(errorChart, as: "combined-test-error")

    context.record("perDigitErrorPercent", perDigit)
    context.record("meanPerDigitErrorPercent", mean)
    context.record("combinedErrorPercent", combined.errorPercent)
    context.record("combinedErrors", combined.errors)
    context.record("combinedSuccesses", combined.successes)
    context.record("finalTrainLoss", trainLoss[epochs - 1])
  }

  /// Trains C logistic regressions by full-batch gradient descent from zero weights, on
  /// `Σ_k (1/N) Σ_i BCE(σ(w_kᵀxᵢ), y_ik)`: each regression's mean cross-entropy.
  ///
  /// - Parameters:
  ///   - inputs: `[N, D]`, the bias input included.
  ///   - targets: `[N, C]` of 0 and 1.
  ///   - afterEpoch: called after each step with the epoch (from 1), the model and the mean
  ///     over the C regressions of their loss before the step.
  /// - Returns: the model (`Linear(D, C)` without bias) and the losses `afterEpoch` received.
  static func train(
    inputs: Tensor, targets: Tensor, epochs: Int, learningRate: Double,
    afterEpoch: (_ epoch: Int, _ model: Linear, _ loss: Double) -> Void = { _, _, _ in }
  ) -> (model: Linear, losses: [Double]) {
    let count = Double(inputs.shape[0])
    let classes = targets.shape[1]
    var generator = SeededGenerator(seed: 0)  // the weights are then set to 0
    let model = Linear(inputs.shape[1], classes, bias: false, using: &generator)
    model.weight.fill(0)
    let optimizer = SGD(parameters: model.parameters, learningRate: learningRate)
    let criterion = BCEWithLogitsLoss(reduction: .sum)
    var losses: [Double] = []
    for epoch in 1...epochs {
      optimizer.zeroGrad()
      let loss = criterion(model(inputs), targets) / count
      loss.backward()
      optimizer.step()
      losses.append(loss.item() / Double(classes))
      afterEpoch(epoch, model, losses[epoch - 1])
    }
    return (model, losses)
  }
}
