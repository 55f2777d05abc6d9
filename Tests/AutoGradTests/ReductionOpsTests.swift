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

  func testSumsAddInRowMajorOrder() {
    // Each output is the float32 chain over its inputs in row-major order, whether the reduced
    // axes form one block (a fast path) or not (the strided loop), sizes of 1 included.
    let shape = [3, 1, 5, 4]
    let values = randomTensor(shape, seed: 5).values.map { Float($0) }
    let t = Tensor(shape: shape, values: values)
    for axes in [
      [], [0], [1], [2], [3], [1, 2], [0, 1], [2, 3], [0, 2], [0, 3], [0, 1, 2, 3],
    ] {
      let kept = shape.indices.map { axes.contains($0) || axes.isEmpty ? 1 : shape[$0] }
      var expected = [Float](repeating: 0, count: kept.reduce(1, *))
      for (flat, v) in values.enumerated() {
        var (rest, out, scale) = (flat, 0, 1)
        for d in shape.indices.reversed() {
          let i = rest % shape[d]
          rest /= shape[d]
          if kept[d] != 1 { out += i * scale }
          scale *= kept[d]
        }
        expected[out] += v
      }
      XCTAssertEqual(t.sum(axes: axes).scalars(as: Float.self), expected, "axes \(axes)")
    }
  }

  /// Axes may come in any order, negative, or repeated: they are resolved to the sorted,
  /// distinct set. (PyTorch rejects a repeated axis; this accepts it, as it always has.)
  func testAxesInAnyOrderNegativeOrRepeatedReduceTheSameSet() {
    let x = randomTensor([2, 3, 4])
    let expected = x.sum(axes: [0, 2])
    for axes in [[2, 0], [-1, 0], [2, 0, -1], [0, 0, 2]] {
      let y = x.sum(axes: axes)
      XCTAssertEqual(y.shape, [3], "\(axes)")
      XCTAssertEqual(y.values, expected.values, "\(axes)")
    }
    XCTAssertEqual(x.mean(axes: [0, 0, 2]).values, x.mean(axes: [0, 2]).values)
    XCTAssertEqual(x.mean(axes: [1, -2], keepDims: true).shape, [2, 1, 4])
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
