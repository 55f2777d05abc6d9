import AutoGrad
import NN

/// The pixel values a linear classifier sees: the report-000 code fed raw bytes, PyTorch's
/// `ToTensor` divides by 255, and standardising each pixel is the usual preparation for a
/// linear model trained by gradient descent (scikit-learn's `StandardScaler`).
enum PixelScale: String, CaseIterable, OptionChoice {
  /// 0…255, as stored in the IDX files.
  case raw
  /// 0…1.
  case unit
  /// `(v/255 − μ)/σ` per pixel, with the mean μ and standard deviation σ of that pixel over the
  /// training images (σ = 1 where a pixel never varies), applied to training and test images.
  case standardized

  /// The training and test images as float32 design matrices `[N, 784]` on this scale, with a
  /// leading column of ones when `biasColumn`.
  func designMatrices(train: ImageDataset, test: ImageDataset, biasColumn: Bool = false) -> (
    train: Tensor, test: Tensor
  ) {
    guard self == .standardized else {
      return (
        train.features(scale: self == .unit, biasColumn: biasColumn),
        test.features(scale: self == .unit, biasColumn: biasColumn)
      )
    }
    return withoutGrad {
      let x = train.features()
      let mean = x.mean(axis: 0, keepDims: true)
      let deviation = (x - mean).square().mean(axis: 0, keepDims: true).sqrt()
      let scale = deviation + (deviation .== 0)
      func standardize(_ images: Tensor) -> Tensor {
        let z = (images - mean) / scale
        guard biasColumn else { return z }
        return Tensor.concat([Tensor.ones([images.shape[0], 1]), z], axis: 1)
      }
      return (standardize(x), standardize(test.features()))
    }
  }
}

/// The data of a one-vs-rest experiment (E1, E2), as design matrices and labels: the first
/// `trainCount` training and `testCount` test images of MNIST, each row a 1 (the bias input)
/// followed by the 784 pixels.
struct OneVsRestData {
  /// `[trainCount, 785]`.
  let trainInputs: Tensor
  /// The training labels, 0…9.
  let trainLabels: [Int]
  /// The training targets, `[trainCount, 10]`: 1 in the label's column, 0 elsewhere.
  let trainTargets: Tensor
  /// `[testCount, 785]`.
  let testInputs: Tensor
  /// The test labels, 0…9.
  let testLabels: [Int]

  /// Loads (and on first use fetches) MNIST and keeps the first images of each split.
  init(context: RunContext, trainCount: Int, testCount: Int, pixels: PixelScale) throws {
    let train = try context.loadMNIST(.train).prefix(trainCount)
    let test = try context.loadMNIST(.test).prefix(testCount)
    (trainInputs, testInputs) = pixels.designMatrices(train: train, test: test, biasColumn: true)
    trainLabels = train.labels
    trainTargets = train.oneHot()
    testLabels = test.labels
    context.results.recordParameter("trainImages", train.count)
    context.results.recordParameter("testImages", test.count)
  }
}

/// The evaluation rules of reports 000 and 001, as pure functions of scores and labels (so that
/// tests can check them by hand), and the report-000 printout.
enum BinaryClassifiers {
  /// How the combined 10-way model did: erroneous and successful classifications.
  struct CombinedResult: Equatable {
    var errors: Int
    var successes: Int
    /// `100 · errors / (errors + successes)`.
    var errorPercent: Double {
      let total = errors + successes
      return total == 0 ? 0 : 100 * Double(errors) / Double(total)
    }
  }

  /// The misclassification rate (%) of each one-vs-rest classifier on its binary task.
  ///
  /// Classifier k answers "class k" where its score is positive (a perceptron's `wᵀx > 0`, a
  /// logistic regression's `σ(wᵀx) > 0.5`), and is wrong where that disagrees with
  /// `labels[i] == k`.
  ///
  /// - Parameter scores: row-major `[labels.count, classes]`.
  static func oneVsRestErrorPercent(scores: [Double], classes: Int, labels: [Int]) -> [Double] {
    precondition(scores.count == labels.count * classes, "oneVsRestErrorPercent: shape mismatch")
    guard !labels.isEmpty else { return Array(repeating: 0, count: classes) }
    var wrong = [Int](repeating: 0, count: classes)
    for (i, label) in labels.enumerated() {
      for k in 0..<classes where (scores[i * classes + k] > 0) != (label == k) {
        wrong[k] += 1
      }
    }
    return wrong.map { 100 * Double($0) / Double(labels.count) }
  }

  /// The combined model's class for each row: the column with the largest `score / scale`
  /// (the first among equals).
  ///
  /// - Parameters:
  ///   - scores: row-major `[rows, classes]`.
  ///   - scales: one positive divisor per class (`‖w_k‖` for signed distances), or `nil`.
  static func combinedPredictions(scores: [Double], classes: Int, scales: [Double]? = nil)
    -> [Int]
  {
    precondition(classes > 0 && scores.count % classes == 0, "combinedPredictions: bad shape")
    precondition(scales.map { $0.count == classes } ?? true, "combinedPredictions: bad scales")
    return (0..<scores.count / classes).map { i in
      var best = 0
      var bestValue = -Double.infinity
      for k in 0..<classes {
        let value = scores[i * classes + k] / (scales?[k] ?? 1)
        if value > bestValue {
          best = k
          bestValue = value
        }
      }
      return best
    }
  }

  /// Counts the predictions that equal the labels.
  static func combinedResult(predictions: [Int], labels: [Int]) -> CombinedResult {
    precondition(predictions.count == labels.count, "combinedResult: count mismatch")
    let successes = zip(predictions, labels).filter { $0 == $1 }.count
    return CombinedResult(errors: labels.count - successes, successes: successes)
  }

  /// The Euclidean norm of each classifier's weights over the pixels, leaving out the bias
  /// weight in row 0: `wᵀx / ‖w‖` is then the signed distance of image x from classifier k's
  /// decision boundary, in pixel space.
  ///
  /// - Parameter weights: `[1 + pixels, classes]`, the bias weight in row 0.
  static func pixelWeightNorms(_ weights: Tensor) -> [Double] {
    let rows = weights.shape[0]
    return withoutGrad {
      weights[rows: 1..<rows].square().sum(axis: 0).sqrt().scalars(as: Double.self)
    }
  }

  /// How sure a binary classifier is of its answer: `|p − 0.5| + 0.5`, in 0.5…1, for a predicted
  /// probability p of the positive class (report 001 §4.3).
  static func confidence(probability p: Double) -> Double {
    abs(p - 0.5) + 0.5
  }

  /// The indices of the misclassified samples, most confident first (by `confidence`; equal
  /// confidences keep index order), at most `limit` of them.
  ///
  /// - Parameters:
  ///   - probabilities: p(positive) per sample; the prediction is positive when p > `threshold`.
  ///   - positives: whether each sample is truly positive.
  static func mostConfidentMistakes(
    probabilities: [Double], positives: [Bool], threshold: Double = 0.5, limit: Int
  ) -> [Int] {
    precondition(probabilities.count == positives.count, "mostConfidentMistakes: count mismatch")
    let wrong = probabilities.indices.filter { (probabilities[$0] > threshold) != positives[$0] }
    let sorted = wrong.sorted {
      let (a, b) = (
        confidence(probability: probabilities[$0]), confidence(probability: probabilities[$1])
      )
      return a != b ? a > b : $0 < $1
    }
    return Array(sorted.prefix(limit))
  }

  /// The row and column of the largest entry, the first in row-major order among equals (the
  /// report's sweep keeps the first best model it meets).
  static func bestCell(_ grid: [[Int]]) -> (row: Int, column: Int) {
    var best = (row: 0, column: 0)
    var bestValue = Int.min
    for (r, row) in grid.enumerated() {
      for (c, value) in row.enumerated() where value > bestValue {
        best = (r, c)
        bestValue = value
      }
    }
    return best
  }

  // MARK: - Report-000 printout

  /// Prints the per-digit block as report 000 does:
  ///
  /// ```
  /// (2.1) Misclassification Rate (%) of each Binary Classifier (Perceptrons):
  /// Digit 0: 2.15
  /// ```
  static func printPerDigit(_ rates: [Double], heading: String, console: Console) {
    console.heading(heading)
    for (digit, rate) in rates.enumerated() {
      console.print("Digit \(digit): " + Format.fixed(rate, 2))
    }
  }

  /// Prints the combined-model block as report 000 does:
  ///
  /// ```
  /// (2.2) 10-Way Model Performance on Test Set (Perceptrons):
  /// Erroneous classifications: 316
  /// Successful classifications: 1684
  /// Misclassification rate (%): 15.8
  /// ```
  static func printCombined(_ result: CombinedResult, heading: String, console: Console) {
    console.heading(heading)
    console.print("Erroneous classifications: \(result.errors)")
    console.print("Successful classifications: \(result.successes)")
    console.print("Misclassification rate (%): " + Format.fixed(result.errorPercent, 1))
  }

  /// Prints our per-digit rates next to the report's, with the combined rates.
  static func printComparison(
    ours: [Double], report: [Double], combinedOurs: Double, combinedReport: Double,
    console: Console
  ) {
    console.heading("Compared with report 000 (misclassification rate, %):")
    var table = Table(header: [""] + (0..<ours.count).map(String.init) + ["combined"])
    table.addRow(["ours"] + ours.map { Format.fixed($0, 2) } + [Format.fixed(combinedOurs, 1)])
    table.addRow(
      ["report"] + report.map { Format.fixed($0, 2) } + [Format.fixed(combinedReport, 1)])
    console.print(table)
  }

  /// The per-digit bar chart of report 000's figures 1 and 4.
  static func perDigitChart(_ rates: [Double], title: String) -> SVGBarChart {
    var chart = SVGBarChart(
      title: title, xLabel: "classifier digit", yLabel: "error rate (%)",
      categories: (0..<rates.count).map(String.init))
    chart.add("test error", values: rates)
    chart.valueDecimals = 2
    return chart
  }
}
