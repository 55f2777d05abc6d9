import AutoGrad
import Foundation
import XCTest

@testable import Examples

/// E2: the combining rule (largest probability) and gradient descent on a tiny problem.
final class LogRegOVRTests: XCTestCase {
  func testLargestLogitIsLargestProbability() {
    let logits: [Double] = [0.3, -2, 4.5, 1, 9, 8.9, -1, -3, -0.5]
    let probabilities = logits.map { 1 / (1 + exp(-$0)) }
    XCTAssertEqual(
      BinaryClassifiers.combinedPredictions(scores: logits, classes: 3),
      BinaryClassifiers.combinedPredictions(scores: probabilities, classes: 3))
    XCTAssertEqual(BinaryClassifiers.combinedPredictions(scores: logits, classes: 3), [2, 1, 2])
  }

  func testGradientDescentFromZeroLearnsTwoRegressions() {
    // Bias input and one feature; regression 0 answers "feature < 0", regression 1 "> 0".
    let features: [Float] = [-2, -1, -0.5, 0.5, 1, 2]
    let inputs = Tensor(shape: [6, 2], values: features.flatMap { [1, $0] })
    let targets = Tensor(
      shape: [6, 2], values: features.flatMap { $0 > 0 ? [Float(0), 1] : [1, 0] })
    var seenEpochs: [Int] = []
    let (model, losses) = LogRegOVR.train(
      inputs: inputs, targets: targets, epochs: 50, learningRate: 1
    ) { epoch, _, _ in seenEpochs.append(epoch) }
    XCTAssertEqual(seenEpochs, Array(1...50))
    // From zero weights every probability is ½: the first loss is log 2.
    XCTAssertEqual(losses[0], log(2), accuracy: 1e-6)
    XCTAssertLessThan(losses[49], 0.2)
    let logits = withoutGrad { model(inputs) }.scalars(as: Double.self)
    let labels = features.map { $0 > 0 ? 1 : 0 }
    XCTAssertEqual(
      BinaryClassifiers.oneVsRestErrorPercent(scores: logits, classes: 2, labels: labels), [0, 0])
    XCTAssertEqual(BinaryClassifiers.combinedPredictions(scores: logits, classes: 2), labels)
  }
}
