import Foundation
import XCTest

@testable import AutoGrad

final class SoftmaxTests: XCTestCase {
  func testSoftmaxAndLogSoftmaxGradientsAlongEachAxis() {
    let x = randomTensor([3, 4], seed: 31)
    for axis in [0, 1, -1] {
      assertGradients(at: [x]) { $0[0].softmax(axis: axis) }
      assertGradients(at: [x]) { $0[0].logSoftmax(axis: axis) }
    }
  }

  func testSoftmaxRowsSumToOneAndMatchDefinition() {
    let x = Tensor([[1, 2, 3], [0, 0, 0]], dtype: .float64)
    let y = x.softmax(axis: 1)
    let e = [1.0, 2, 3].map { Foundation.exp($0) }
    let z = e.reduce(0, +)
    assertClose(Array(y.values[0..<3]), e.map { $0 / z })
    assertClose(Array(y.values[3..<6]), [1.0 / 3, 1.0 / 3, 1.0 / 3])
    assertClose(x.logSoftmax(axis: 1).values, y.values.map { Foundation.log($0) })
  }

  func testLogSoftmaxIsStableForHugeLogits() {
    let x = Tensor([[1000, 0, -1000]], dtype: .float32)
    let y = x.logSoftmax().values
    XCTAssertEqual(y[0], 0, accuracy: 1e-6)
    XCTAssertEqual(y[1], -1000, accuracy: 1e-3)
    XCTAssertTrue(y.allSatisfy(\.isFinite))
  }

  func testFusedCrossEntropyGradientsAndValue() {
    let z = randomTensor([4, 3], seed: 33)
    let y = Tensor([2, 0, 1, 2], dtype: .float64)
    assertGradients(at: [z]) { $0[0].crossEntropy(classIndices: y) }
    let composed = -z.logSoftmax(axis: 1).gather(axis: 1, indices: y.reshape([4, 1])).reshape([4])
    assertClose(z.crossEntropy(classIndices: y).values, composed.values, accuracy: 1e-14)
    let huge = Tensor([[1000, 0, -1000]], dtype: .float32).crossEntropy(classIndices: Tensor([1]))
    XCTAssertEqual(huge.item(), 1000, accuracy: 1e-3)
  }

  func testFloat32CrossEntropyMatchesFloat64() {
    // 37 rows of 10 classes: the float32 exponentials run 16 lanes at a time across row
    // boundaries, with a tail; one row spans 100, so its small exponentials underflow and that
    // vector takes the C library's path.
    var z64 = randomTensor([37, 10], seed: 36, low: -8, high: 8).values
    z64[30] = 50
    z64[31] = -50
    let y = Tensor((0..<37).map { Double($0 * 7 % 10) }, dtype: .float32)
    let z = Tensor(shape: [37, 10], doubles: z64, dtype: .float32).requiringGrad()
    let reference = Tensor(shape: [37, 10], doubles: z.values, dtype: .float64).requiringGrad()
    let loss = z.crossEntropy(classIndices: y)
    let expected = reference.crossEntropy(classIndices: y.to(.float64))
    assertClose(loss.values, expected.values, accuracy: 1e-4)
    loss.sum().backward()
    expected.sum().backward()
    assertClose(z.grad?.values ?? [], reference.grad?.values ?? [], accuracy: 1e-6)
  }

  func testCrossEntropySecondDerivativesMatchTheComposedLoss() {
    // The fused backward is one pass over the saved softmax; with createGraph it is recorded as
    // differentiable ops instead. Both must give the composed loss's gradient and its
    // Hessian-vector product.
    let y = Tensor([2, 0, 1, 2], dtype: .float64)
    let v = randomTensor([4, 3], seed: 35)
    func firstAndSecond(_ loss: (Tensor) -> Tensor) -> (Tensor, Tensor) {
      let z = randomTensor([4, 3], seed: 34).requiringGrad()
      let g = gradients(of: loss(z).sum(), withRespectTo: [z], createGraph: true)[0]
      return (g.detached(), gradients(of: (g * v).sum(), withRespectTo: [z])[0])
    }
    let (fusedGradient, fusedHv) = firstAndSecond { $0.crossEntropy(classIndices: y) }
    let (composedGradient, composedHv) = firstAndSecond {
      -$0.logSoftmax(axis: 1).gather(axis: 1, indices: y.reshape([4, 1])).reshape([4])
    }
    let z = randomTensor([4, 3], seed: 34).requiringGrad()
    z.crossEntropy(classIndices: y).sum().backward()
    assertClose(z.grad?.values ?? [], composedGradient.values, accuracy: 1e-14)
    assertClose(fusedGradient.values, composedGradient.values, accuracy: 1e-14)
    assertClose(fusedHv.values, composedHv.values, accuracy: 1e-14)
  }
}
