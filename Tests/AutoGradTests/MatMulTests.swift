import XCTest

@testable import AutoGrad

final class MatMulTests: XCTestCase {
  func testMatMulGradientsForEveryTransposeCombination() {
    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
      let a = randomTensor(ta ? [4, 3] : [3, 4], seed: 41)
      let b = randomTensor(tb ? [2, 4] : [4, 2], seed: 42)
      assertGradients(at: [a, b]) { Tensor.matmul($0[0], $0[1], transposeA: ta, transposeB: tb) }
    }
  }

  func testBatchedAndVectorMatMulGradients() {
    assertGradients(at: [randomTensor([2, 3, 4], seed: 43), randomTensor([2, 4, 2], seed: 44)]) {
      $0[0].matmul($0[1])
    }
    assertGradients(at: [randomTensor([2, 3, 4], seed: 45), randomTensor([4, 5], seed: 46)]) {
      $0[0].matmul($0[1])
    }
    assertGradients(at: [randomTensor([4], seed: 47), randomTensor([4, 3], seed: 48)]) {
      $0[0].matmul($0[1])
    }
    assertGradients(at: [randomTensor([3, 4], seed: 49), randomTensor([4], seed: 50)]) {
      $0[0].matmul($0[1])
    }
  }

  func testLinearGradientsAndEquivalence() {
    let x = randomTensor([5, 3], seed: 51)
    let w = randomTensor([4, 3], seed: 52)
    let b = randomTensor([4], seed: 53)
    assertGradients(at: [x, w, b]) { Tensor.linear($0[0], weight: $0[1], bias: $0[2]) }
    assertGradients(at: [x, w]) { Tensor.linear($0[0], weight: $0[1], bias: nil) }
    let fused = Tensor.linear(x, weight: w, bias: b).values
    let composed = (x.matmul(w.T) + b).values
    assertClose(fused, composed, accuracy: 1e-12)
  }

  func testExactProduct() {
    let a = Tensor([[1, 2], [3, 4]], dtype: .float64)
    let b = Tensor([[5, 6], [7, 8]], dtype: .float64)
    XCTAssertEqual(a.matmul(b).values, [19, 22, 43, 50])
    XCTAssertEqual(Tensor.matmul(a, b, transposeA: true).values, [26, 30, 38, 44])
    XCTAssertEqual(Tensor.matmul(a, b, transposeB: true).values, [17, 23, 39, 53])
  }
}
