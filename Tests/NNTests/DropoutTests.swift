import AutoGrad
import XCTest

@testable import NN

final class DropoutTests: XCTestCase {
  func testSameSeedGivesSameMask() {
    let x = Tensor.ones([50, 40])
    let a = Dropout(probability: 0.3, seed: 9)(x).scalars(as: Float.self)
    let b = Dropout(probability: 0.3, seed: 9)(x).scalars(as: Float.self)
    let c = Dropout(probability: 0.3, seed: 10)(x).scalars(as: Float.self)
    XCTAssertEqual(a, b)
    XCTAssertNotEqual(a, c)
  }

  func testEvalModeIsTheIdentity() {
    let layer = Dropout(probability: 0.5, seed: 1)
    layer.eval()
    let x = Tensor([1, 2, 3])
    XCTAssertTrue(layer(x) === x)
  }

  func testExpectedValueIsPreservedAndSurvivorsAreScaled() {
    let x = Tensor.ones([200, 500])
    let y = Dropout(probability: 0.2, seed: 4)(x).scalars(as: Double.self)
    let mean = y.reduce(0, +) / Double(y.count)
    XCTAssertEqual(mean, 1, accuracy: 0.01)
    XCTAssertTrue(y.allSatisfy { $0 == 0 || Swift.abs($0 - 1.25) < 1e-6 })
    let dropped = Double(y.filter { $0 == 0 }.count) / Double(y.count)
    XCTAssertEqual(dropped, 0.2, accuracy: 0.01)
  }

  func testGradientFlowsOnlyThroughKeptElements() {
    let x = Tensor.ones([10, 10], requiresGrad: true)
    let y = Dropout(probability: 0.5, seed: 2)(x)
    y.sum().backward()
    XCTAssertEqual(x.grad?.scalars(as: Float.self), y.scalars(as: Float.self))
  }
}
