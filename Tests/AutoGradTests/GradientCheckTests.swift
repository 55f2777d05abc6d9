import XCTest

@testable import AutoGrad

final class GradientCheckTests: XCTestCase {
  /// An op with a deliberately wrong derivative: y = x², but the pullback returns ȳ·x.
  func brokenSquare(_ x: Tensor) -> Tensor {
    let y = withoutGrad { x * x }
    return y.recorded("brokenSquare", "wrong on purpose", from: x) { dy, _, x in dy * x }
  }

  func testGradientCheckCatchesAWrongDerivativeAndNamesTheElement() {
    let report = gradientCheck(at: [Tensor([1, 2, 3], dtype: .float64)]) {
      self.brokenSquare($0[0])
    }
    XCTAssertFalse(report.passed)
    XCTAssertEqual(report.mismatches.first?.input, 0)
    XCTAssertEqual(report.mismatches.first?.element, [0])
    XCTAssertEqual(report.mismatches.first?.analytic ?? 0, 1, accuracy: 1e-9)
    XCTAssertEqual(report.mismatches.first?.numeric ?? 0, 2, accuracy: 1e-6)
    XCTAssertTrue(report.description.contains("FAILED"))
    XCTAssertTrue(report.description.contains("input 0 element [0]"))
  }

  func testGradGradCheckCatchesAWrongSecondDerivative() {
    // First derivative right (ȳ·2x), but computed from a detached x: no second derivative.
    func square(_ x: Tensor) -> Tensor {
      let y = withoutGrad { x * x }
      return y.recorded("square", "x̄ = 2ȳx (x detached)", from: x) { dy, _, x in
        dy * x.detached() * 2
      }
    }
    XCTAssertTrue(gradientCheck(at: [Tensor([1, 2], dtype: .float64)]) { square($0[0]) }.passed)
    XCTAssertFalse(gradGradCheck(at: [Tensor([1, 2], dtype: .float64)]) { square($0[0]) }.passed)
  }

  func testDerivationCheckerSaysWhichAgree() {
    let a = randomTensor([5], seed: 3)
    let sigmoid: ([Tensor]) -> Tensor = { $0[0].sigmoid() }
    let jacobian: ([Tensor]) -> [Tensor] = { xs in
      let s = xs[0].sigmoid()
      return [Tensor.eye(5, dtype: .float64) * (s * (1 - s))]
    }
    let right = checkDerivation("σ' = σ(1 − σ)", at: [a], of: sigmoid, derivative: jacobian)
    XCTAssertTrue(right.passed, right.description)
    XCTAssertTrue(right.description.hasPrefix("PASS"))
    let total: ([Tensor]) -> Tensor = { $0[0].sigmoid().sum() }
    let wrongGradient: ([Tensor]) -> [Tensor] = { [$0[0].sigmoid()] }
    let wrong = checkDerivation("σ' = σ", at: [a], of: total, derivative: wrongGradient)
    XCTAssertFalse(wrong.passed)
    XCTAssertFalse(wrong.agreesWithTape)
    XCTAssertFalse(wrong.agreesWithNumeric)
    XCTAssertLessThan(wrong.maxTapeToNumeric, 1e-6)
    XCTAssertTrue(wrong.description.hasPrefix("FAIL"))
  }
}
