import XCTest

@testable import AutoGrad

final class AnomalyTests: XCTestCase {
  func testAnomalyDetectionNamesLogForLogOfNonPositiveInput() {
    let x = Tensor([1, 2], requiresGrad: true)
    XCTAssertThrowsError(
      try detectAnomaly {
        let y = (0 - x).log().sum()
        y.backward()
      }
    ) { error in
      guard let anomaly = error as? AnomalyError else { return XCTFail("\(error)") }
      XCTAssertEqual(anomaly.op, "log")
      XCTAssertEqual(anomaly.phase, .forward)
      XCTAssertEqual(anomaly.shape, [2])
      XCTAssertTrue(anomaly.description.contains("'log'"), anomaly.description)
      XCTAssertTrue(anomaly.description.contains("[2]"), anomaly.description)
    }
  }

  func testAnomalyInBackwardIsNamed() {
    let x = Tensor([0, 1], dtype: .float64, requiresGrad: true)
    XCTAssertThrowsError(try detectAnomaly { x.sqrt().sum().backward() }) { error in
      let anomaly = error as? AnomalyError
      XCTAssertEqual(anomaly?.op, "sqrt")
      XCTAssertEqual(anomaly?.phase, .backward)
    }
  }

  func testNoAnomalyNoError() throws {
    let x = Tensor([1, 2], requiresGrad: true)
    let value = try detectAnomaly { x.log().sum().item() }
    XCTAssertEqual(value, 0.6931471805599453, accuracy: 1e-6)
  }
}
