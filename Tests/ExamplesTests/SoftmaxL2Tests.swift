import XCTest

@testable import Examples

/// E16's pure parts: the monotonicity check and the weight-image grid.
final class SoftmaxL2Tests: XCTestCase {
  func testStrictDecreaseRejectsTiesAndRises() {
    XCTAssertTrue(SoftmaxL2.isStrictlyDecreasing([19.2, 7.5, 1.7, 0.15]))
    XCTAssertTrue(SoftmaxL2.isStrictlyDecreasing([3]))
    XCTAssertFalse(SoftmaxL2.isStrictlyDecreasing([2, 2]))
    XCTAssertFalse(SoftmaxL2.isStrictlyDecreasing([2, 1, 1.5]))
  }

  func testWeightGridHasOneRowOfTenImagesPerLambda() {
    let outcomes = [0.0, 2.0].map { lambda in
      SoftmaxL2.Outcome(
        lambda: lambda, history: TrainingHistory(),
        weightImages: (0..<10).map { digit in (0..<784).map { Double($0 % 28 - digit) } },
        normSquared: 1)
    }
    let grid = SoftmaxL2.weightGrid(outcomes)
    XCTAssertEqual(grid.columns, 10)
    XCTAssertEqual(grid.cells.count, 20)
    XCTAssertEqual(grid.cells.map(\.caption), (0..<20).map { "\($0 % 10)" })
    XCTAssertEqual(grid.scaling, .symmetric)
  }
}
