import XCTest

@testable import Optim

final class EarlyStoppingTests: XCTestCase {
  /// Feeds `values` at steps 0, 1, … and returns the step after which `shouldStop` first holds.
  private func stopStep(_ stopper: inout EarlyStopping, _ values: [Double]) -> Int? {
    for (step, value) in values.enumerated() {
      stopper.update(value, step: step)
      if stopper.shouldStop { return step }
    }
    return nil
  }

  func testEarlyStoppingStopsAfterPatienceUpdatesWithoutImprovement() {
    var stopper = EarlyStopping(mode: .min, patience: 2)
    XCTAssertEqual(stopStep(&stopper, [1.0, 0.8, 0.9, 0.85, 0.7]), 3)
    XCTAssertEqual(stopper.best, 0.8)
    XCTAssertEqual(stopper.bestStep, 1)
    XCTAssertEqual(stopper.updatesWithoutImprovement, 2)
  }

  func testEarlyStoppingImprovementResetsTheCount() {
    var stopper = EarlyStopping(mode: .min, patience: 2)
    XCTAssertNil(stopStep(&stopper, [1.0, 1.1, 0.9, 1.0, 0.5, 0.6]))
    XCTAssertEqual(stopper.bestStep, 4)
    XCTAssertEqual(stopper.updatesWithoutImprovement, 1)
  }

  func testEarlyStoppingPatienceZeroStopsAtFirstNonImprovement() {
    var stopper = EarlyStopping(patience: 0)
    XCTAssertFalse(stopper.shouldStop)
    stopper.update(3, step: 0)
    XCTAssertFalse(stopper.shouldStop)  // an improvement never stops
    stopper.update(2, step: 1)
    XCTAssertFalse(stopper.shouldStop)
    stopper.update(2.5, step: 2)
    XCTAssertTrue(stopper.shouldStop)
    var one = EarlyStopping(patience: 1)
    XCTAssertEqual(stopStep(&one, [3, 2, 2.5]), 2)  // patience 0 and 1 agree, as in Keras
  }

  func testEarlyStoppingTieIsNotAnImprovement() {
    var stopper = EarlyStopping(mode: .min, patience: 1)
    XCTAssertTrue(stopper.update(0.5, step: 0))
    XCTAssertFalse(stopper.update(0.5, step: 1))
    XCTAssertTrue(stopper.shouldStop)
    XCTAssertEqual(stopper.bestStep, 0)
  }

  func testEarlyStoppingMinDeltaRequiresStrictlyMoreThanDelta() {
    var stopper = EarlyStopping(mode: .min, patience: 5, minDelta: 0.25)
    stopper.update(1.0, step: 0)
    XCTAssertFalse(stopper.update(0.75, step: 1))  // exactly minDelta better: not enough
    XCTAssertFalse(stopper.update(0.8, step: 2))
    XCTAssertTrue(stopper.update(0.5, step: 3))  // 0.5 < 1.0 − 0.25
    XCTAssertEqual(stopper.best, 0.5)
    XCTAssertEqual(stopper.bestStep, 3)
    XCTAssertEqual(stopper.updatesWithoutImprovement, 0)
  }

  func testEarlyStoppingMaxModeForAccuracy() {
    var stopper = EarlyStopping(mode: .max, patience: 2, minDelta: 0.01)
    XCTAssertEqual(stopStep(&stopper, [0.5, 0.7, 0.705, 0.71, 0.9]), 3)
    XCTAssertEqual(stopper.best, 0.7)
    XCTAssertEqual(stopper.bestStep, 1)
    XCTAssertFalse(stopper.isImprovement(0.71))
    XCTAssertTrue(stopper.isImprovement(0.7101))
  }

  func testEarlyStoppingRecordsTheStepsItIsGiven() {
    var stopper = EarlyStopping(mode: .min, patience: 3)
    stopper.update(2, step: 10)
    stopper.update(1, step: 20)
    stopper.update(1.5, step: 30)
    XCTAssertEqual(stopper.bestStep, 20)
  }

  func testEarlyStoppingNaNIsNotAnImprovement() {
    var stopper = EarlyStopping(mode: .min, patience: 1)
    XCTAssertFalse(stopper.update(.nan, step: 0))
    XCTAssertNil(stopper.best)
    XCTAssertTrue(stopper.shouldStop)
    XCTAssertTrue(stopper.update(.infinity, step: 1))  // any number beats no best
    XCTAssertFalse(stopper.shouldStop)
  }

  func testEarlyStoppingResetForgetsBest() {
    var stopper = EarlyStopping(mode: .max, patience: 1)
    stopper.update(0.9, step: 0)
    stopper.update(0.8, step: 1)
    XCTAssertTrue(stopper.shouldStop)
    stopper.reset()
    XCTAssertNil(stopper.best)
    XCTAssertNil(stopper.bestStep)
    XCTAssertFalse(stopper.shouldStop)
    XCTAssertTrue(stopper.update(0.1, step: 0))
  }
}
