import AutoGrad
import XCTest

@testable import Optim

final class OptimizerTests: XCTestCase {
  func testZeroGradClearsEveryGradient() {
    let a = Tensor([1], requiresGrad: true)
    let b = Tensor([2], requiresGrad: true)
    (a * b).sum().backward()
    let optimizer = SGD(parameters: [a, b], learningRate: 0.1)
    optimizer.zeroGrad()
    XCTAssertNil(a.grad)
    XCTAssertNil(b.grad)
  }

  func testLearningRateErrorRejectsNegativeAndNaN() {
    XCTAssertNil(learningRateError(0))
    XCTAssertNil(learningRateError(10))
    XCTAssertEqual(learningRateError(-1e-3), "Invalid learning rate: -0.001")
    XCTAssertEqual(learningRateError(.nan), "Invalid learning rate: nan")
  }

  func testParameterListErrors() {
    XCTAssertEqual(parameterListError([]), "optimizer got an empty parameter list")
    let leaf = Tensor([1, 2], requiresGrad: true)
    XCTAssertNil(parameterListError([leaf]))
    XCTAssertEqual(
      parameterListError([leaf, leaf * 2]),
      "can't optimize a non-leaf Tensor (parameter 1, shape [2])")
  }

  func testEveryOptimizerSkipsParametersWithoutGradient() {
    let a = Tensor([1, 2], requiresGrad: true)
    let b = Tensor([3], requiresGrad: true)
    b.grad = Tensor([1])
    let optimizers: [any Optimizer] = [
      SGD(parameters: [a, b], learningRate: 0.5, momentum: 0.9),
      Adam(parameters: [a, b], learningRate: 0.5),
      AdamW(parameters: [a, b], learningRate: 0.5),
    ]
    for optimizer in optimizers { optimizer.step() }
    XCTAssertEqual(a.values, [1, 2])
    XCTAssertNotEqual(b.item(), 3)
  }
}
