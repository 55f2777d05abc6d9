import Foundation
import XCTest

@testable import AutoGrad

final class TapeTests: XCTestCase {
  func testGradientsAccumulateAcrossBackwardCallsUntilZeroGrad() {
    let x = Tensor([1, 2], dtype: .float64, requiresGrad: true)
    (x * 3).sum().backward()
    (x * x).sum().backward()
    XCTAssertEqual(x.grad?.values, [3 + 2, 3 + 4])
    x.zeroGrad()
    XCTAssertNil(x.grad)
  }

  func testTensorUsedTwiceReceivesSummedGradient() {
    let x = Tensor([3], dtype: .float64, requiresGrad: true)
    let y = x * x + x  // dy/dx = 2x + 1
    y.sum().backward()
    XCTAssertEqual(x.grad?.values, [7])
  }

  func testRequiresGradPropagatesAndLeavesAreLeaves() {
    let w = Tensor([1, 2], requiresGrad: true)
    let c = Tensor([3, 4])
    let y = w * c
    XCTAssertTrue(y.requiresGrad)
    XCTAssertFalse(y.isLeaf)
    XCTAssertTrue(w.isLeaf)
    XCTAssertFalse((c * c).requiresGrad)
    XCTAssertNil((c * c).node)
  }

  func testWithoutGradRecordsNothing() {
    let w = Tensor([1, 2], requiresGrad: true)
    let y = withoutGrad { w * 2 }
    XCTAssertFalse(y.requiresGrad)
    XCTAssertNil(y.node)
    XCTAssertTrue(isGradEnabled)
    let z = withoutGrad { withGrad { w * 2 } }
    XCTAssertTrue(z.requiresGrad)
  }

  func testDetachStopsGradientAndSharesMemory() {
    let x = Tensor([2], dtype: .float64, requiresGrad: true)
    let y = x * x.detached()  // only the first factor is differentiated
    y.sum().backward()
    XCTAssertEqual(x.grad?.values, [2])
    let d = x.detached()
    d[flat: 0] = 5
    XCTAssertEqual(x[flat: 0], 5)
  }

  func testBackwardFreesTheGraphUnlessRetained() {
    let x = Tensor([1, 2], dtype: .float64, requiresGrad: true)
    let y = (x.exp() * 2).sum()
    y.backward(retainGraph: true)
    XCTAssertFalse(y.node?.isReleased ?? true)
    y.backward()
    XCTAssertEqual(
      x.grad?.values ?? [], [4 * 2.718281828459045, 4 * 7.38905609893065], accuracy: 1e-12)
    XCTAssertTrue(y.node?.isReleased ?? false, "a backward without retainGraph releases the entry")
    XCTAssertEqual(y.node?.inputs.count, 0, "saved inputs are freed")
  }

  /// The implicit seed 1 is one shared tensor per dtype and rank: a gradient that is the seed
  /// itself (or a view of it) must reach `grad`, and `gradients(of:)`, as the caller's own copy,
  /// so that writing to it cannot change the next backward pass.
  func testGradientsThatAreTheSeedItselfAreTheCallersToWrite() {
    for dtype in [DType.float32, .float64] {
      for shape in [[], [1], [1, 1]] {
        let x = Tensor.zeros(shape, dtype: dtype).requiringGrad()
        let loss = (x + Tensor.ones(shape, dtype: dtype)).reshape(shape)
        loss.retainGrad()
        loss.backward()
        x.grad?[flat: 0] = 5
        loss.grad?[flat: 0] = 6
        x.backward()  // a leaf as the root: its gradient is the seed
        x.grad?[flat: 0] = 7
        gradients(of: x + 0, withRespectTo: [x])[0][flat: 0] = 8

        let y = Tensor.full(shape, 3, dtype: dtype).requiringGrad()
        (y * y).backward()
        XCTAssertEqual(y.grad?.values, [6], "\(dtype) \(shape)")
        XCTAssertEqual(gradients(of: y + 0, withRespectTo: [y])[0].values, [1])
        XCTAssertEqual(Tensor.ones(shape, dtype: dtype).values, [1])
      }
    }
  }

  /// A second backward adds into the gradient tensor the first one made (no new tensor), with
  /// the additions of `grad + g`.
  func testGradientsAccumulateInPlaceWhenNothingElseHoldsThem() {
    let w = Tensor([1, 2, 3], dtype: .float64, requiresGrad: true)
    let x = Tensor([0.5, -1, 4], dtype: .float64)
    (w * x).sum().backward()
    let first = ObjectIdentifier(w.grad!)
    (w * w).sum().backward()
    XCTAssertEqual(ObjectIdentifier(w.grad!), first, "accumulated into the same tensor")
    XCTAssertEqual(w.grad?.values, [0.5 + 2, -1 + 4, 4 + 6])
    // An intermediate used twice: its pending gradient accumulates too.
    let h = w * 2
    (h * h + h).sum().backward()
    XCTAssertEqual(w.grad?.values, [2.5 + 10, 3 + 18, 10 + 26])  // 2·(2h + 1), h = 2w
  }

  /// What someone else holds never changes: the caller's old `grad`, a view of it, and two
  /// leaves whose gradients are one tensor or share memory (a pullback passed ȳ on).
  func testAccumulationLeavesTensorsOthersHoldUnchanged() {
    let w = Tensor([1, 2], dtype: .float64, requiresGrad: true)
    (w * 3).sum().backward()
    let old = w.grad!
    let view = w.grad!.reshape([2, 1])
    (w * 5).sum().backward()
    XCTAssertEqual(old.values, [3, 3])
    XCTAssertEqual(view.values, [3, 3])
    XCTAssertEqual(w.grad?.values, [8, 8])

    let a = Tensor([1, 2], dtype: .float64, requiresGrad: true)
    let b = Tensor([[3], [4]], dtype: .float64, requiresGrad: true)
    let c = Tensor([5, 6], dtype: .float64, requiresGrad: true)
    for _ in 0..<2 {
      // add passes ȳ on to both inputs; reshape passes on a view of it.
      (a + b.reshape([2]) + c).backward(gradient: Tensor([1, 10], dtype: .float64))
    }
    XCTAssertEqual(a.grad?.values, [2, 20])
    XCTAssertEqual(b.grad?.values, [2, 20])
    XCTAssertEqual(c.grad?.values, [2, 20])
  }

  func testNonScalarBackwardWithGradient() {
    let x = Tensor([1, 2, 3], dtype: .float64, requiresGrad: true)
    let y = x * x
    y.backward(gradient: Tensor([1, 0, 2], dtype: .float64))
    XCTAssertEqual(x.grad?.values, [2, 0, 12])
  }

  func testRetainGradKeepsIntermediateGradient() {
    let x = Tensor([1, 2], dtype: .float64, requiresGrad: true)
    let h = x * 3
    h.retainGrad()
    (h * h).sum().backward()
    XCTAssertEqual(h.grad?.values, [6, 12])
    XCTAssertEqual(x.grad?.values, [18, 36])
  }

  func testCreateGraphGivesSecondDerivative() {
    let x = Tensor([2], dtype: .float64, requiresGrad: true)
    let y = x.pow(3).sum()
    y.backward(createGraph: true)
    guard let g = x.grad else { return XCTFail("no gradient") }
    XCTAssertEqual(g.values, [12])  // 3x²
    XCTAssertTrue(g.requiresGrad)
    x.zeroGrad()
    g.sum().backward()
    XCTAssertEqual(x.grad?.values, [12])  // 6x
  }

  func testDeepChainDoesNotOverflowTheStack() {
    let x = Tensor([1], dtype: .float64, requiresGrad: true)
    var y = x
    for _ in 0..<20_000 { y = y * 1.0001 }
    y.sum().backward()
    XCTAssertEqual(x.grad?.item() ?? 0, Foundation.pow(1.0001, 20_000), accuracy: 1e-6)
  }

  func testTapeDescriptionAndDOT() {
    let x = Tensor([[1, 2]], requiresGrad: true)
    x.label = "x"
    let w = Tensor([[3], [4]], requiresGrad: true)
    w.label = "w"
    let loss = x.matmul(w).sigmoid().sum()
    loss.label = "loss"
    let text = loss.tapeDescription()
    XCTAssertTrue(text.contains("x = leaf [1, 2] requiresGrad"), text)
    XCTAssertTrue(text.contains("matmul(x, w) : [1, 2] × [2, 1] → [1, 1]"), text)
    XCTAssertTrue(text.contains("sigmoid"), text)
    XCTAssertTrue(text.contains("x̄ = ȳ⊙y(1−y)"), text)
    XCTAssertTrue(
      text.hasSuffix("loss = sum(t1) : [1, 1] → []    x̄ = ȳ repeated along the summed axes")
        || text.contains("loss = sum("), text)
    let dot = loss.graphvizDOT()
    XCTAssertTrue(dot.hasPrefix("digraph tape {"))
    XCTAssertTrue(dot.contains("\"x\" -> \"t0\";"), dot)
    XCTAssertTrue(dot.contains("\"w\" -> \"t0\";"), dot)
    XCTAssertTrue(dot.hasSuffix("}"))
  }
}

/// Array-of-doubles equality within an accuracy, for gradients.
func XCTAssertEqual(
  _ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line
) {
  assertClose(a, b, accuracy: accuracy, file: file, line: line)
}

final class SmallListTests: XCTestCase {
  func testListsOfEveryLengthReadBackInOrder() {
    for n in 0...5 {
      let values = Array(0..<n)
      let fromArray = SmallList(contentsOf: values)
      XCTAssertEqual(Array(fromArray), values, "from an array of \(n)")
      XCTAssertEqual(fromArray.count, n)
    }
    let literal: SmallList<Int?> = [7, nil, 9, 10]
    XCTAssertEqual(Array(literal), [7, nil, 9, 10])
    XCTAssertEqual(Array(SmallList<Int>(contentsOf: [])), [])
    XCTAssertEqual(Array(SmallList(7)), [7])
    XCTAssertEqual(Array(SmallList(7, 8)), [7, 8])
  }

  func testOperationWithManyOperandsKeepsEveryOneOnTheTape() {
    let parts = (0..<4).map { Tensor([Double($0)], dtype: .float64, requiresGrad: true) }
    let y = Tensor.concat(parts)
    XCTAssertEqual(y.node?.inputs.count, 4)
    for (i, part) in parts.enumerated() {
      XCTAssertTrue(y.node?.inputs[i] === part, "operand \(i)")
    }
    (y * Tensor([1, 2, 3, 4], dtype: .float64)).sum().backward()
    XCTAssertEqual(parts.map { $0.grad?.values }, [[1], [2], [3], [4]])
  }
}
