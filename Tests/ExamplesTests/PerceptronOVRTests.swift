import AutoGrad
import XCTest

@testable import Examples

/// E1: the one-vs-rest evaluation rules, scikit-learn's stopping rule, and the online perceptron
/// on a tiny separable problem (no MNIST needed).
final class PerceptronOVRTests: XCTestCase {
  func testPerDigitErrorCountsDisagreementsWithTheBinaryTask() {
    // 4 samples, 3 classes; classifier k says "k" where its score is > 0.
    let scores: [Double] = [
      1, -1, -1,  // label 0: all right
      -1, 1, 1,  // label 1: classifier 2 wrongly says yes
      -1, -1, 0,  // label 2: classifier 2 says no at 0 (a score of 0 is "no")
      2, -1, -3,  // label 1: classifiers 0 and 1 wrong
    ]
    let rates = BinaryClassifiers.oneVsRestErrorPercent(
      scores: scores, classes: 3, labels: [0, 1, 2, 1])
    XCTAssertEqual(rates, [25, 25, 50])
  }

  func testCombinedModelUsesSignedDistanceNotRawScore() {
    // Raw scores pick class 1; divided by ‖w‖ = [1, 10], class 0 is farther from its boundary.
    let scores: [Double] = [2, 5]
    XCTAssertEqual(BinaryClassifiers.combinedPredictions(scores: scores, classes: 2), [1])
    XCTAssertEqual(
      BinaryClassifiers.combinedPredictions(scores: scores, classes: 2, scales: [1, 10]), [0])
    // Ties go to the first class; all-negative rows still get the least negative.
    XCTAssertEqual(
      BinaryClassifiers.combinedPredictions(scores: [3, 3, -4, -1], classes: 2), [0, 1])
  }

  func testCombinedResultInTheReportsTerms() {
    let result = BinaryClassifiers.combinedResult(predictions: [0, 1, 2, 2], labels: [0, 1, 1, 2])
    XCTAssertEqual(result, .init(errors: 1, successes: 3))
    XCTAssertEqual(result.errorPercent, 25)
    XCTAssertEqual(
      BinaryClassifiers.CombinedResult(errors: 316, successes: 1684).errorPercent, 15.8,
      accuracy: 1e-12)
  }

  func testPixelWeightNormsLeaveOutTheBiasRow() {
    // [1 + 2 pixels, 2 classes]: bias row [100, 100] must not count.
    let weights = Tensor(shape: [3, 2], values: [Float(100), 100, 3, 0, 4, 2])
    XCTAssertEqual(BinaryClassifiers.pixelWeightNorms(weights), [5, 2])
  }

  func testLossPlateauFollowsScikitLearn() {
    var rule = LossPlateau(tolerance: 1, patience: 2)
    rule.update(10)  // first loss: an improvement on +∞
    XCTAssertEqual(rule.epochsWithoutImprovement, 0)
    rule.update(9.5)  // lower, but not by the tolerance: no improvement, yet the new best
    XCTAssertEqual(rule.epochsWithoutImprovement, 1)
    XCTAssertEqual(rule.best, 9.5)
    rule.update(8.4)  // beats 9.5 by more than 1: counter reset
    XCTAssertEqual(rule.epochsWithoutImprovement, 0)
    XCTAssertFalse(rule.stopped)
    rule.update(8)
    rule.update(20)
    XCTAssertTrue(rule.stopped)
  }

  func testPerceptronSeparatesASeparableProblem() {
    // Bias input, then one feature: class 1 where the feature is > 0, class 0 elsewhere.
    let features: [Float] = [-3, -2, -1, -0.5, 0.5, 1, 2, 3]
    let inputs = Tensor(shape: [8, 2], values: features.flatMap { [1, $0] })
    let targets = Tensor(
      shape: [8, 2], values: features.flatMap { $0 > 0 ? [Float(0), 1] : [1, 0] })
    let trained = PerceptronOVR.train(
      inputs: inputs, targets: targets, maxEpochs: 100, learningRate: 1, tolerance: 1e-3,
      patience: 3, seed: 7)
    let scores = withoutGrad { inputs.matmul(trained.weights) }.scalars(as: Double.self)
    let labels = features.map { $0 > 0 ? 1 : 0 }
    XCTAssertEqual(
      BinaryClassifiers.oneVsRestErrorPercent(scores: scores, classes: 2, labels: labels), [0, 0])
    // Once there are no mistakes the loss stays 0, so each stops after `patience` more epochs.
    XCTAssertTrue(trained.epochsRun.allSatisfy { $0 < 100 })
    XCTAssertEqual(trained.lossCurves.map(\.last), [0, 0])
  }
}
