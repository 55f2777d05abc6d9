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

  /// The kernel's √ is a select around `max(v, 0).squareRoot()` (so that its loop vectorises):
  /// the same values as a scalar `squareRoot()`, ±0 and the NaNs of negative inputs included,
  /// in the vector body and in the remainder of the loop alike.
  func testSquareRootMatchesScalarSquareRootOnSpecialValues() {
    let specials: [Double] = [-1, -0.0, 0, 0.25, 4, .infinity, -.infinity, .nan, 2, 1e-300]
    let inputs = (0..<37).map { specials[$0 % specials.count] * ($0 < 10 ? 1 : 1.5) }
    for dtype in [DType.float32, .float64] {
      let x = Tensor(inputs, dtype: dtype)
      let expected = x.values.map {
        dtype == .float32 ? Double(Float($0).squareRoot()) : $0.squareRoot()
      }
      for y in [x.sqrt().values, x.pow(0.5).values] {
        for (got, want) in zip(y, expected) {
          XCTAssertTrue(
            got.bitPattern == want.bitPattern || (got.isNaN && want.isNaN),
            "\(dtype): got \(got), want \(want)")
        }
      }
    }
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

  /// The backward passes ȳ where x > 0 and puts 0 elsewhere, as PyTorch's `threshold_backward`
  /// does: a positive 0 even for a negative ȳ, and 0 for a NaN ȳ that falls on the mask. The
  /// recorded form (double backward) multiplies by the mask instead and agrees on ordinary values.
  func testReluBackwardPassesGradientWherePositive() {
    for dtype in [DType.float32, .float64] {
      let x = Tensor([-1, 0, 2, 3, -4], dtype: dtype, requiresGrad: true)
      let dy = Tensor([-5, 7, -2, .nan, .nan], dtype: dtype)
      x.relu().backward(gradient: dy)
      let g = x.grad!.values
      XCTAssertEqual(g[0], 0)
      XCTAssertEqual(g[0].sign, .plus)
      XCTAssertEqual(g[1], 0)
      XCTAssertEqual(g[2], -2)
      XCTAssertTrue(g[3].isNaN)
      XCTAssertEqual(g[4], 0)

      let z = Tensor([-1, 0, 2, 3], dtype: dtype, requiresGrad: true)
      let recorded = gradients(
        of: z.relu(), withRespectTo: [z], gradient: Tensor([4, 5, 6, 7], dtype: dtype),
        createGraph: true)[0]
      XCTAssertEqual(recorded.values, [0, 0, 6, 7])
    }
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
