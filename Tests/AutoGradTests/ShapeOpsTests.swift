import XCTest

@testable import AutoGrad

final class ShapeOpsTests: XCTestCase {
  let x = randomTensor([2, 3, 4], seed: 61)

  func testReshapeTransposePermuteGradients() {
    assertGradients(at: [x]) { $0[0].reshape([6, 4]) * 2 }
    assertGradients(at: [x]) { $0[0].reshape([-1]).square() }
    assertGradients(at: [x]) { $0[0].transposed(0, 2) * 3 }
    assertGradients(at: [x]) { $0[0].permuted([2, 0, 1]).square() }
    assertGradients(at: [randomTensor([3, 5])]) { $0[0].T.square() }
    assertGradients(at: [x]) { $0[0].unsqueezed(at: 1).squeezed(at: 1).flattened(from: 1) * 2 }
    // Through float32 the finite differences need a step float32 can resolve (exact for x²).
    let viaFloat32 = gradientCheck(at: [x], eps: 1e-2, atol: 1e-4) {
      $0[0].to(.float32).to(.float64).square()
    }
    XCTAssertTrue(viaFloat32.passed, viaFloat32.description)
  }

  func testNarrowEmbedGatherScatterGradients() {
    assertGradients(at: [x]) { $0[0].narrow(axis: 1, start: 1, length: 2).square() }
    assertGradients(at: [randomTensor([5, 3])]) { $0[0][rows: 1..<4].square() }
    assertGradients(at: [x]) { $0[0].embedded(axis: 2, at: 1, size: 6).square() }
    let indices = Tensor([[2, 0], [1, 1], [0, 2]], dtype: .float64)
    assertGradients(at: [randomTensor([3, 3])]) { $0[0].gather(axis: 1, indices: indices).square() }
    assertGradients(at: [randomTensor([3, 2])]) {
      $0[0].scatterAdd(axis: 1, indices: indices, size: 3).square()
    }
  }

  func testConcatStackWhereGradients() {
    let a = randomTensor([2, 3], seed: 62)
    let b = randomTensor([2, 2], seed: 63)
    assertGradients(at: [a, b]) { Tensor.concat([$0[0], $0[1]], axis: 1).square() }
    assertGradients(at: [a, randomTensor([2, 3], seed: 64)]) {
      Tensor.stack([$0[0], $0[1]], axis: 1).square()
    }
    let mask = Tensor([[1, 0, 1], [0, 0, 1]], dtype: .float64)
    assertGradients(at: [a, randomTensor([3], seed: 65)]) {
      Tensor.where(mask, $0[0], $0[1]).square()
    }
  }

  func testExactIndexingValues() {
    let m = Tensor([[1, 2, 3], [4, 5, 6]], dtype: .float64)
    XCTAssertEqual(m.T.values, [1, 4, 2, 5, 3, 6])
    XCTAssertEqual(m.narrow(axis: 1, start: 1, length: 2).values, [2, 3, 5, 6])
    XCTAssertEqual(m[rows: 1..<2].values, [4, 5, 6])
    let picked = m.gather(axis: 1, indices: Tensor([[2], [0]], dtype: .float64))
    XCTAssertEqual(picked.values, [3, 4])
    XCTAssertEqual(Tensor.concat([m, m], axis: 0).shape, [4, 3])
    XCTAssertEqual(Tensor.stack([m, m], axis: 0).shape, [2, 2, 3])
    XCTAssertEqual((m .> 2.5).values, [0, 0, 1, 1, 1, 1])
    XCTAssertEqual((m .== m.T.T).values, [1, 1, 1, 1, 1, 1])
    let chosen = Tensor.where(m .> 3, m, Tensor(-Double.infinity, dtype: .float64))
    XCTAssertEqual(chosen.values, [-.infinity, -.infinity, -.infinity, 4, 5, 6])
  }

  /// gather, scatterAdd and where on a middle axis (outer and inner sizes above 1), in both
  /// dtypes, against loops over `[flat:]` written out here (scatterAdd adds in the same order).
  func testGatherScatterWhereMatchElementLoops() {
    var generator = SeededGenerator(seed: 66)
    let picks = (0..<40).map { _ in Double(Int.random(in: 0..<3, using: &generator)) }
    for dtype in [DType.float32, .float64] {
      let x = Tensor.randn([2, 3, 4], using: &generator).to(dtype)
      let source = Tensor.randn([2, 5, 4], using: &generator).to(dtype)
      let indices = Tensor(shape: [2, 5, 4], doubles: picks, dtype: dtype)
      var gathered = [Double](repeating: 0, count: 40)
      let scattered = Tensor.zeros([2, 3, 4], dtype: dtype)
      for o in 0..<2 {
        for j in 0..<5 {
          for i in 0..<4 {
            let at = (o * 5 + j) * 4 + i
            let to = (o * 3 + Int(picks[at])) * 4 + i
            gathered[at] = x[flat: to]
            scattered[flat: to] += source[flat: at]
          }
        }
      }
      XCTAssertEqual(x.gather(axis: 1, indices: indices).values, gathered, "\(dtype)")
      XCTAssertEqual(
        source.scatterAdd(axis: 1, indices: indices, size: 3).values, scattered.values, "\(dtype)")

      let condition = Tensor(shape: [2, 1, 4], doubles: [1, 0, 0, 1, 0, 1, 1, 0], dtype: dtype)
      let other = Tensor(shape: [4], doubles: [.nan, -1, .infinity, 2], dtype: dtype)
      let chosen = Tensor.where(condition, x, other).values
      for o in 0..<2 {
        for j in 0..<3 {
          for i in 0..<4 {
            let expected =
              condition[flat: o * 4 + i] != 0 ? x[flat: (o * 3 + j) * 4 + i] : other[flat: i]
            let got = chosen[(o * 3 + j) * 4 + i]
            XCTAssertTrue(got == expected || got.isNaN && expected.isNaN, "\(dtype) \(o) \(j) \(i)")
          }
        }
      }
    }
  }

  func testReshapeSharesMemoryAndInfersDimension() {
    let t = Tensor.zeros([2, 6])
    let r = t.reshape([3, -1])
    XCTAssertEqual(r.shape, [3, 4])
    r[flat: 5] = 7
    XCTAssertEqual(t[flat: 5], 7)
  }
}
