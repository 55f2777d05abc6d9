import XCTest

@testable import Examples

/// E14's printed sentence and its lookup of the accuracy at the stop.
final class LogRegEarlyStoppingTests: XCTestCase {
  func testStopSentenceNamesTheStepOrSaysThereWasNoStop() {
    var history = TrainingHistory(batchesPerEpoch: 31)
    XCTAssertEqual(
      LogRegEarlyStopping.stopSentence(history, epochs: 50),
      "training does not stop early (it runs all 50 epochs)")
    history.stopStep = 75
    XCTAssertEqual(
      LogRegEarlyStopping.stopSentence(history, epochs: 50), "training stops at step 75")
  }

  func testAccuracyAtStopIsTheEvaluationAfterThatStep() {
    var history = TrainingHistory(batchesPerEpoch: 31)
    history.evaluations = [0, 6, 12].map { step in
      EvaluationPoint(
        step: step, epoch: Double(step + 1) / 31, training: nil,
        validation: [Evaluation(loss: 0.1, correct: 90 + step, count: 100)])
    }
    XCTAssertEqual(LogRegEarlyStopping.accuracy(history, at: 6), 0.96)
    XCTAssertNil(LogRegEarlyStopping.accuracy(history, at: 7))
    XCTAssertNil(LogRegEarlyStopping.accuracy(history, at: nil))
  }
}
