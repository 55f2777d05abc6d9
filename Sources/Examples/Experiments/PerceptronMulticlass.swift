import AutoGrad
import Foundation
import NN

/// E6 (report 002, §1.1): a multi-class perceptron on 785 inputs (a 1 for the bias, then the
/// 784 pixels), zero-initialised, trained one sample at a time in a fresh random order every
/// epoch for 20 epochs; training and validation accuracy after each epoch, test accuracy at the
/// end. The report (OCTMNIST): train 0.4654, validation 0.4610, test 0.3422.
struct PerceptronMulticlass: Experiment {
  static let name = "perceptron-multiclass"
  static let summary = "Multi-class perceptron (785 inputs), 20 epochs, OCTMNIST or a stand-in"
  static let defaultDataset = MulticlassDataset.octmnist.rawValue

  static let epochs = Option<Int>("epochs", default: 20, quick: 3, range: 1...1000, help: "epochs")
  static let trainSize = Option<Int>(
    "train-size", default: 0, quick: 2000, range: 0...1_000_000,
    help: "use the first N training images (0: all)")
  static var extraOptions: [OptionSpec] { [epochs.spec, trainSize.spec] }

  /// The report's final figures (OCTMNIST).
  static let report = (train: 0.4654, validation: 0.4610, test: 0.3422)

  let context: RunContext
  let dataset: MulticlassDataset

  init(context: RunContext) throws {
    self.context = context
    dataset = try context.multiclassDataset()
  }

  func run() throws {
    let console = context.console
    let epochs = context[Self.epochs]
    let splits = try context.loadMulticlassSplits(dataset, trainSize: context[Self.trainSize])
    func biased(_ data: TensorDataset) -> TensorDataset {
      TensorDataset(inputs: withBiasColumn(data.inputs), targets: data.targets)
    }
    let (training, validation, test) = (
      biased(splits.training), biased(splits.validation), biased(splits.test)
    )
    let perceptron = MulticlassPerceptron(
      classes: splits.classCount, features: training.inputs.shape[1])
    console.print(
      "Perceptron: \(splits.classCount) × \(training.inputs.shape[1]) weights (bias first), "
        + "zero-initialised; one update per misclassified sample")

    var trainAccuracies: [Double] = []
    var validationAccuracies: [Double] = []
    var mistakes: [Int] = []
    var epochSeconds: [Double] = []
    let clock = ContinuousClock()
    for epoch in 0..<epochs {
      let start = clock.now
      let label = "epoch \(epoch + 1)/\(epochs)"
      mistakes.append(
        perceptron.trainEpoch(
          training, epoch: epoch, seed: context.seed, console: console, label: label))
      epochSeconds.append((clock.now - start).seconds)
      trainAccuracies.append(perceptron.accuracy(on: training))
      validationAccuracies.append(perceptron.accuracy(on: validation))
      console.print(
        "epoch " + Format.pad(String(epoch + 1), to: String(epochs).count, right: true)
          + "/\(epochs)  mistakes \(mistakes[epoch])  train acc "
          + Format.fixed(trainAccuracies[epoch], 4) + "  val acc "
          + Format.fixed(validationAccuracies[epoch], 4) + "  ("
          + Format.seconds(epochSeconds[epoch]) + ")")
    }
    let testAccuracy = perceptron.accuracy(on: test)
    console.print("Final test acc: " + Format.fixed(testAccuracy, 4))

    console.heading("Final accuracies " + MulticlassReport.comparisonNote(dataset) + ":")
    console.print(
      MulticlassReport.table(
        ["perceptron", "ours"],
        rows: [
          ("training", [trainAccuracies[epochs - 1]], [Self.report.train]),
          ("validation", [validationAccuracies[epochs - 1]], [Self.report.validation]),
          ("test", [testAccuracy], [Self.report.test]),
        ], reportHeader: [MulticlassReport.reportColumn]))

    var chart = SVGChart(
      title: "Multi-class perceptron (\(dataset.displayName))", xLabel: "epoch",
      yLabel: "accuracy")
    chart.add("training", y: trainAccuracies)
    chart.add("validation", y: validationAccuracies)
    try context.save(chart, as: "accuracy")

    context.record("trainAccuracy", trainAccuracies[epochs - 1])
    context.record("validationAccuracy", validationAccuracies[epochs - 1])
    context.record("testAccuracy", testAccuracy)
    context.record("trainAccuracyPerEpoch", trainAccuracies)
    context.record("validationAccuracyPerEpoch", validationAccuracies)
    context.record("mistakesPerEpoch", mistakes)
    context.record("trainSeconds", epochSeconds.reduce(0, +))
  }
}

// MARK: - Multi-class perceptron

/// Rosenblatt's multi-class perceptron: one weight row per class over the inputs (a leading 1
/// gives the bias), prediction `ŷ = argmax_k w_kᵀx` (the first among ties), and on a mistake
/// `w_y ← w_y + x`, `w_ŷ ← w_ŷ − x`. The weights start at zero, as in the homework's
/// `LinearModel`.
final class MulticlassPerceptron {
  /// `[classes, features]`.
  let weights: Tensor

  init(classes: Int, features: Int, dtype: DType = .float32) {
    weights = Tensor.zeros([classes, features], dtype: dtype)
  }

  /// The scores `X·Wᵀ`, `[N, classes]`, for inputs `[N, features]`.
  func scores(_ inputs: Tensor) -> Tensor {
    Tensor.matmul(inputs, weights, transposeB: true)
  }

  /// The predicted class of each row, `[N]` (as the inputs' dtype).
  func predictions(_ inputs: Tensor) -> Tensor {
    scores(inputs).argmax(axis: 1)
  }

  /// The perceptron step for one sample `x` (`[1, features]`) of class `label`: nothing when
  /// it is classified correctly, otherwise `W ← W + (e_y − e_ŷ)·x`. Returns whether it was a
  /// mistake.
  @discardableResult
  func update(_ x: Tensor, label: Int) -> Bool {
    let predicted = Int(predictions(x).item())
    guard predicted != label else { return false }
    let classes = weights.shape[0]
    var direction = [Double](repeating: 0, count: classes)
    direction[label] = 1
    direction[predicted] = -1
    let delta = Tensor(shape: [classes, 1], doubles: direction, dtype: x.dtype) * x
    weights.assign(from: weights + delta)
    return true
  }

  /// One pass over `data` in a seeded random order (`DataLoader`'s shuffle of epoch
  /// `epoch`), one sample at a time. Returns the number of mistakes (updates).
  func trainEpoch(
    _ data: TensorDataset, epoch: Int, seed: UInt64, console: Console, label: String
  ) -> Int {
    let loader = DataLoader(data, batchSize: 1, shuffle: true, seed: seed)
    var mistakes = 0
    for (step, (x, y)) in loader.batches(epoch: epoch).enumerated() {
      if update(x, label: Int(y.item())) { mistakes += 1 }
      console.progress(label, completed: step + 1, total: data.count, "mistakes \(mistakes)")
    }
    return mistakes
  }

  /// The fraction of `data` classified correctly.
  func accuracy(on data: TensorDataset) -> Double {
    guard data.count > 0 else { return .nan }
    let correct = (predictions(data.inputs) .== data.targets).sum().item()  // exact below 2²⁴
    return correct / Double(data.count)
  }
}

/// `[N, 1 + D]`: a column of ones (the bias input) before the `[N, D]` inputs.
func withBiasColumn(_ inputs: Tensor) -> Tensor {
  Tensor.concat([Tensor.ones([inputs.shape[0], 1], dtype: inputs.dtype), inputs], axis: 1)
}
