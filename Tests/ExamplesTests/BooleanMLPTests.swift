import AutoGrad
import XCTest

@testable import Examples

/// E13's tables: the values the report's constructions compute per interval, and the sign slip
/// in table 9 (the constructions themselves are D14, checked in `DerivationTests`).
final class BooleanMLPTests: XCTestCase {
  func testTable7IsTheXORPattern() {
    XCTAssertEqual(BooleanMLP.table7Inputs.map(BooleanMLP.f), [-1, 1, 1, -1])
  }

  func testHardThresholdRegimesGiveTheRowsOfTable8() {
    let e = BooleanMLP.evaluate(.hardThreshold, dimension: 4)
    for i in e.sums.indices {
      let row = [e.h1[i], e.h2[i], e.output[i], e.f[i]]
      switch BooleanMLP.Regime(sum: e.sums[i], a: e.a[i], b: e.b[i]) {
      case .inside: XCTAssertEqual(row, [1, 1, 1, 1])
      case .below: XCTAssertEqual(row, [-1, 1, -1, -1])
      case .above: XCTAssertEqual(row, [1, -1, -1, -1])
      }
    }
  }

  func testReLUOutputBelowTheIntervalIsOneMinusTwiceTheGapNotOnePlus() {
    let e = BooleanMLP.evaluate(.relu, dimension: 5)
    var below = 0
    for i in e.sums.indices where e.sums[i] < e.a[i] {
      below += 1
      let gap = e.a[i] - e.sums[i]
      XCTAssertEqual(e.z3[i], 1 - 2 * gap)  // the network
      XCTAssertNotEqual(e.z3[i], 1 + 2 * gap)  // report 002, table 9
      XCTAssertEqual(e.output[i], -1)
    }
    XCTAssertGreaterThan(below, 0)
    for i in e.sums.indices where e.sums[i] >= e.a[i] && e.sums[i] <= e.b[i] {
      XCTAssertEqual(e.z3[i], 0)  // exactly on the output threshold
    }
  }

  func testBothConstructionsAreRightOnEveryIntervalForSmallD() {
    for d in 1...5 {
      XCTAssertEqual(BooleanMLP.perfectIntervals(dimension: d), (2 * d + 1) * (d + 1), "D = \(d)")
    }
  }

  func testPerceptronPredictsWithTheReportsThreshold() {
    let w = BooleanMLP.PerceptronWeights(w1: 1, w2: -1, b: 0)
    XCTAssertEqual(w.predict([1, 1]), 1)  // score 0 counts as +1 (g(0) = +1)
    XCTAssertEqual(w.predict([-1, 1]), -1)
  }
}
