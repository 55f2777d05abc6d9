import XCTest

@testable import AutoGrad

final class MemoryTests: XCTestCase {
  func testTensorsOfFinishedStepsAreFreed() {
    var generator = SeededGenerator(seed: 5)
    let w = Tensor.randn([4, 1], dtype: .float64, requiresGrad: true, using: &generator)
    let x = Tensor.randn([8, 4], dtype: .float64, using: &generator)
    let y = Tensor.randn([8, 1], dtype: .float64, using: &generator)
    weak var firstLoss: Tensor?
    weak var firstHidden: Tensor?
    weak var firstGrad: Tensor?
    for step in 0..<3000 {
      let hidden = x.matmul(w).tanh()
      let loss = (hidden - y).square().mean()
      loss.backward()
      if step == 0 {
        firstLoss = loss
        firstHidden = hidden
        firstGrad = w.grad
      }
      withoutGrad {
        let updated = w.detached() - (w.grad ?? Tensor.zeros(like: w)) * 0.01
        w.withUnsafeMutableBufferPointer(as: Double.self) { dst in
          updated.withUnsafeBufferPointer(as: Double.self) { src in
            for i in 0..<dst.count { dst[i] = src[i] }
          }
        }
      }
      w.zeroGrad()
    }
    XCTAssertNil(firstLoss, "the first step's loss was freed")
    XCTAssertNil(firstHidden, "the first step's activations were freed")
    XCTAssertNil(firstGrad, "the first step's gradient was freed")
  }

  func testRetainedGraphIsFreedWithItsResult() {
    weak var intermediate: Tensor?
    do {
      let x = Tensor([1, 2], requiresGrad: true)
      let h = x.exp()
      intermediate = h
      let y = h.sum()
      y.backward(retainGraph: true)
      XCTAssertNotNil(intermediate)
    }
    XCTAssertNil(intermediate, "no reference cycle keeps the graph alive")
  }
}
