import Foundation
import XCTest

@testable import AutoGrad

final class UnaryOpsTests: XCTestCase {
  func testSmoothFunctionGradients() {
    let x = randomTensor([3, 4])
    assertGradients(at: [x]) { $0[0].exp() }
    assertGradients(at: [x]) { $0[0].sigmoid() }
    assertGradients(at: [x]) { $0[0].tanh() }
    assertGradients(at: [x]) { $0[0].square() }
    let positive = randomTensor([3, 4], low: 0.2, high: 3)
    assertGradients(at: [positive]) { $0[0].log() }
    assertGradients(at: [positive]) { $0[0].sqrt() }
  }

  func testPiecewiseFunctionGradientsAwayFromKinks() {
    let x = awayFromZero([3, 4])
    assertGradients(at: [x]) { $0[0].relu() }
    assertGradients(at: [x]) { $0[0].abs() }
    assertGradients(at: [x]) { $0[0].clamp(min: -1, max: 1) }
    assertGradients(at: [x]) { $0[0].sign() * $0[0] }
    assertGradients(at: [x]) { $0[0].hardThreshold() + $0[0] }
  }

  func testExactValues() {
    let x = Tensor([-2, -0.5, 0, 0.5, 2], dtype: .float64)
    XCTAssertEqual(x.relu().values, [0, 0, 0, 0.5, 2])
    XCTAssertEqual(x.abs().values, [2, 0.5, 0, 0.5, 2])
    XCTAssertEqual(x.sign().values, [-1, -1, 0, 1, 1])
    XCTAssertEqual(x.hardThreshold().values, [0, 0, 1, 1, 1])
    XCTAssertEqual(x.clamp(min: -1, max: 1).values, [-1, -0.5, 0, 0.5, 1])
    assertClose(x.sigmoid().values, x.values.map { 1 / (1 + Foundation.exp(-$0)) })
    assertClose(x.tanh().values, x.values.map { Foundation.tanh($0) })
  }

  func testSigmoidIsStableForLargeInputs() {
    let x = Tensor([-1000, -100, 100, 1000], dtype: .float32)
    let y = x.sigmoid().values
    XCTAssertEqual(y, [0, Double(Float(1 / (1 + Foundation.exp(100.0)))), 1, 1])
    XCTAssertTrue(y.allSatisfy(\.isFinite))
  }

  func testReluSubgradientAtZeroIsZero() {
    let x = Tensor([0, 1], dtype: .float64, requiresGrad: true)
    x.relu().sum().backward()
    XCTAssertEqual(x.grad?.values, [0, 1])
  }

  func testHardThresholdHasZeroGradient() {
    let x = Tensor([-1, 2], dtype: .float64, requiresGrad: true)
    (x.hardThreshold() * 5).sum().backward()
    XCTAssertEqual(x.grad?.values, [0, 0])
  }

  func testTanhExactDerivative() {
    let x = Tensor([0.5], dtype: .float64, requiresGrad: true)
    x.tanh().sum().backward()
    let t = Foundation.tanh(0.5)
    XCTAssertEqual(x.grad?.values[0] ?? 0, 1 - t * t, accuracy: 1e-15)
  }
}
