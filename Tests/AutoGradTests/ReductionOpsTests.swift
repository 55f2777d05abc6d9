import XCTest

@testable import AutoGrad

final class ReductionOpsTests: XCTestCase {
  let x = randomTensor([2, 3, 4], seed: 21)

  func testSumAndMeanGradientsOverEachAxis() {
    for keepDims in [false, true] {
      for axes in [[], [0], [1], [2], [-1], [0, 2]] {
        assertGradients(at: [x]) { $0[0].sum(axes: axes, keepDims: keepDims) }
        assertGradients(at: [x]) { $0[0].mean(axes: axes, keepDims: keepDims) }
      }
    }
  }

  func testMaxMinAndLogSumExpGradientsOverEachAxis() {
    for keepDims in [false, true] {
      for axes in [[], [0], [1], [2]] {
        assertGradients(at: [x]) { $0[0].max(axes: axes, keepDims: keepDims) }
        assertGradients(at: [x]) { $0[0].min(axes: axes, keepDims: keepDims) }
        assertGradients(at: [x]) { $0[0].logSumExp(axes: axes, keepDims: keepDims) }
      }
    }
  }

  func testExactReductions() {
    let m = Tensor([[1, 5, 3], [4, 2, 6]], dtype: .float64)
    XCTAssertEqual(m.sum().values, [21])
    XCTAssertEqual(m.sum(axis: 0).values, [5, 7, 9])
    XCTAssertEqual(m.sum(axis: 1, keepDims: true).shape, [2, 1])
    XCTAssertEqual(m.mean(axis: 1).values, [3, 4])
    XCTAssertEqual(m.max(axis: 1).values, [5, 6])
    XCTAssertEqual(m.min(axis: 0).values, [1, 2, 3])
    XCTAssertEqual(m.argmax(axis: 1).values, [1, 2])
    XCTAssertEqual(m.argmax(axis: 0).values, [1, 0, 1])
    XCTAssertEqual(m.argmax(), 5)
  }

  func testMaxSplitsGradientAmongTies() {
    let t = Tensor([3, 1, 3], dtype: .float64, requiresGrad: true)
    t.max().backward()
    XCTAssertEqual(t.grad?.values, [0.5, 0, 0.5])
  }

  func testLogSumExpIsStable() {
    let big = Tensor([1000, 1000], dtype: .float32)
    XCTAssertEqual(big.logSumExp().item(), 1000 + 0.6931471805599453, accuracy: 1e-3)
    let negInf = Tensor([-Double.infinity, -Double.infinity], dtype: .float64)
    XCTAssertEqual(negInf.logSumExp().item(), -.infinity)
  }
}
