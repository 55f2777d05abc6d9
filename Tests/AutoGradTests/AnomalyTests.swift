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

  /// The anomaly's value is the first non-finite element, wherever it is, in either dtype.
  func testAnomalyReportsTheFirstNonFiniteValue() {
    for dtype in [DType.float32, .float64] {
      var values = [Double](repeating: 1, count: 37)
      values[20] = -1
      values[30] = 0
      let x = Tensor(shape: [37], doubles: values, dtype: dtype)
      XCTAssertThrowsError(try detectAnomaly { _ = x.log() }) { error in
        XCTAssertEqual((error as? AnomalyError)?.value.isNaN, true, "\(dtype)")
      }
      values[20] = 1
      let y = Tensor(shape: [37], doubles: values, dtype: dtype)
      XCTAssertThrowsError(try detectAnomaly { _ = y.log() }) { error in
        XCTAssertEqual((error as? AnomalyError)?.value, -.infinity, "\(dtype)")
      }
    }
  }

  func testNoAnomalyNoError() throws {
    let x = Tensor([1, 2], requiresGrad: true)
    let value = try detectAnomaly { x.log().sum().item() }
    XCTAssertEqual(value, 0.6931471805599453, accuracy: 1e-6)
  }
}
