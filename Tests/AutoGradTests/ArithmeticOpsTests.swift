import XCTest

@testable import AutoGrad

final class ArithmeticOpsTests: XCTestCase {
  /// Shape pairs covering equal shapes, [3,1] with [1,4], a row vector, a scalar with a matrix
  /// and a lower-rank operand.
  let shapePairs: [([Int], [Int])] = [
    ([2, 3], [2, 3]), ([3, 1], [1, 4]), ([2, 3], [3]), ([], [2, 3]), ([2, 3], []), ([4], [2, 1]),
  ]

  func testAddGradientsWithBroadcasting() {
    for (sa, sb) in shapePairs {
      assertGradients(at: [randomTensor(sa, seed: 1), randomTensor(sb, seed: 2)]) { $0[0] + $0[1] }
    }
  }

  func testSubtractGradientsWithBroadcasting() {
    for (sa, sb) in shapePairs {
      assertGradients(at: [randomTensor(sa, seed: 3), randomTensor(sb, seed: 4)]) { $0[0] - $0[1] }
    }
  }

  func testMultiplyGradientsWithBroadcasting() {
    for (sa, sb) in shapePairs {
      assertGradients(at: [randomTensor(sa, seed: 5), randomTensor(sb, seed: 6)]) { $0[0] * $0[1] }
    }
  }

  func testDivideGradientsWithBroadcasting() {
    for (sa, sb) in shapePairs {
      assertGradients(at: [randomTensor(sa, seed: 7), awayFromZero(sb, seed: 8)]) { $0[0] / $0[1] }
    }
  }

  func testNegateAndScalarOperandGradients() {
    let x = randomTensor([2, 3])
    assertGradients(at: [x]) { -$0[0] }
    assertGradients(at: [x]) { 2 * $0[0] + 1 }
    assertGradients(at: [x]) { 1 - $0[0] / 4 }
    assertGradients(at: [awayFromZero([2, 3])]) { 3 / $0[0] }
  }

  func testPowerGradients() {
    let positive = randomTensor([2, 3], low: 0.5, high: 2)
    assertGradients(at: [positive]) { $0[0].pow(3) }
    assertGradients(at: [positive]) { $0[0].pow(-1.5) }
    assertGradients(at: [randomTensor([2, 3])]) { $0[0].pow(2) }
    assertGradients(at: [positive, randomTensor([3], seed: 9)]) { $0[0].pow($0[1]) }
  }

  func testBroadcastValuesAndExactGradient() {
    let a = Tensor([[1], [2], [3]], dtype: .float64, requiresGrad: true)  // [3, 1]
    let b = Tensor([[10, 20, 30, 40]], dtype: .float64, requiresGrad: true)  // [1, 4]
    let y = a * b
    XCTAssertEqual(y.shape, [3, 4])
    XCTAssertEqual(y.values, [10, 20, 30, 40, 20, 40, 60, 80, 30, 60, 90, 120])
    y.sum().backward()
    XCTAssertEqual(a.grad?.values, [100, 100, 100])  // Σ b
    XCTAssertEqual(b.grad?.values, [6, 6, 6, 6])  // Σ a
  }

  func testBroadcastShapeRules() {
    XCTAssertEqual(Shape.broadcast([3, 1], [1, 4]), [3, 4])
    XCTAssertEqual(Shape.broadcast([], [2, 3]), [2, 3])
    XCTAssertEqual(Shape.broadcast([5, 1, 3], [4, 1]), [5, 4, 3])
    XCTAssertNil(Shape.broadcast([2, 3], [3, 2]))
    XCTAssertNil(Shape.broadcast([16, 784], [785]))
  }

  func testFloat32ArithmeticMatchesFloat64() {
    let a = randomTensor([3, 5], seed: 11)
    let b = randomTensor([5], seed: 12)
    let y64 = (a * b + a / (b.abs() + 1) - 2).values
    let y32 = (a.to(.float32) * b.to(.float32) + a.to(.float32) / (b.to(.float32).abs() + 1) - 2)
    XCTAssertEqual(y32.dtype, .float32)
    assertClose(y32.values, y64, accuracy: 1e-5)
  }
}
