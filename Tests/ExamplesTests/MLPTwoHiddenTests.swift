import AutoGrad
import XCTest

@testable import Examples

/// E3's pure parts: the network's layout and the work per epoch.
final class MLPTwoHiddenTests: XCTestCase {
  func testModelAlternatesLinearAndReLUThroughTheSizes() {
    var generator = SeededGenerator(seed: 1)
    let model = MLPTwoHidden.makeModel(sizes: [6, 5, 4, 3], using: &generator)
    XCTAssertEqual(model.layers.count, 5)
    XCTAssertEqual(model.parameters.map(\.shape), [[5, 6], [5], [4, 5], [4], [3, 4], [3]])
    XCTAssertEqual(model(Tensor.zeros([2, 6])).shape, [2, 3])
  }

  func testFullNetworkNeedsAboutTwoPointFourTeraflopsPerEpoch() {
    // (6·(784·3136 + 3136·1568 + 1568·10) − 2·784·3136) per sample, 60,000 samples.
    let flops = MLPTwoHidden.trainingFLOPs(sizes: [784, 3136, 1568, 10], samples: 60_000)
    XCTAssertEqual(flops, 2_365_923_840_000)
    XCTAssertEqual(MLPTwoHidden.trainingFLOPs(sizes: [2, 3], samples: 1), 6 * 6 - 2 * 6)
  }
}
