import XCTest

@testable import Examples

/// E4's equal-time comparison: how many epochs of the faster run fit in the slower one's time.
final class OnlineVsMinibatchTests: XCTestCase {
  func testEpochsWithinCountsWholeEpochsThatEndInsideTheBudget() {
    XCTAssertEqual(OnlineVsMinibatch.epochsWithin(3.5, epochSeconds: [1, 2, 3]), 2)
    XCTAssertEqual(OnlineVsMinibatch.epochsWithin(3, epochSeconds: [1, 2, 3]), 2)
    XCTAssertEqual(OnlineVsMinibatch.epochsWithin(0.5, epochSeconds: [1, 2]), 0)
    XCTAssertEqual(OnlineVsMinibatch.epochsWithin(10, epochSeconds: [1, 2]), 2)
  }
}
