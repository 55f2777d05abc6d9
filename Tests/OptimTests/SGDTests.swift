import AutoGrad
import XCTest

@testable import Optim

final class SGDTests: XCTestCase {
  // MARK: Against PyTorch (10 steps on the fixture's regression; literals at the end of the file)

  func testSGDPlainMatchesPyTorch() {
    assertMatchesReference(SGDReference.plain) { SGD(parameters: $0, learningRate: 0.1) }
  }

  func testSGDMomentumMatchesPyTorch() {
    assertMatchesReference(SGDReference.momentum) {
      SGD(parameters: $0, learningRate: 0.05, momentum: 0.9)
    }
  }

  func testSGDNesterovMomentumWeightDecayMatchesPyTorch() {
    assertMatchesReference(SGDReference.nesterovWeightDecay) {
      SGD(parameters: $0, learningRate: 0.05, momentum: 0.9, weightDecay: 0.01, nesterov: true)
    }
  }

  func testSGDDampeningWeightDecayMatchesPyTorch() {
    assertMatchesReference(SGDReference.dampeningWeightDecay) {
      SGD(parameters: $0, learningRate: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.1)
    }
  }

  // MARK: By hand

  func testSGDPlainStepIsParameterMinusLearningRateTimesGradient() {
    for dtype in [DType.float32, .float64] {
      let p = Tensor([1, -2, 0.5], dtype: dtype, requiresGrad: true)
      p.grad = Tensor([0.5, 0.25, -4], dtype: dtype)
      SGD(parameters: [p], learningRate: 0.25).step()
      XCTAssertEqual(p.values, [0.875, -2.0625, 1.5], "\(dtype)")  // exact in binary
    }
  }

  /// With a constant gradient 1, μ = 0.9, η = 0.1: the buffer is 1, then 0.9 + (1 − τ).
  func testSGDMomentumBufferStartsAtGradientThenAccumulates() {
    func twoSteps(dampening: Double = 0, nesterov: Bool = false) -> Double {
      let p = Tensor([0], dtype: .float64, requiresGrad: true)
      p.grad = Tensor([1], dtype: .float64)
      let optimizer = SGD(
        parameters: [p], learningRate: 0.1, momentum: 0.9, dampening: dampening,
        nesterov: nesterov)
      optimizer.step()
      optimizer.step()
      return p.item()
    }
    XCTAssertEqual(twoSteps(), -(0.1 * 1 + 0.1 * 1.9), accuracy: 1e-15)
    XCTAssertEqual(twoSteps(dampening: 0.5), -(0.1 * 1 + 0.1 * 1.4), accuracy: 1e-15)
    // Nesterov steps along g + μ·b: 1 + 0.9·1, then 1 + 0.9·1.9.
    XCTAssertEqual(twoSteps(nesterov: true), -(0.1 * 1.9 + 0.1 * 2.71), accuracy: 1e-15)
  }

  func testSGDWeightDecayShrinksParameter() {
    let p = Tensor([2, -4], dtype: .float64, requiresGrad: true)
    p.grad = Tensor.zeros([2], dtype: .float64)
    SGD(parameters: [p], learningRate: 0.5, weightDecay: 0.1).step()
    XCTAssertEqual(p.values, [2 * 0.95, -4 * 0.95])
  }

  func testSGDLearningRateZeroLeavesParametersButFillsMomentumBuffer() {
    let p = Tensor([1, 2], requiresGrad: true)
    p.grad = Tensor([3, 4])
    let optimizer = SGD(parameters: [p], learningRate: 0, momentum: 0.5)
    optimizer.step()
    XCTAssertEqual(p.values, [1, 2])
    XCTAssertEqual(optimizer.momentumBuffers[0]?.values, [3, 4])
  }

  // MARK: Memory and the tape

  /// Gradients are only read: two parameters may share one gradient tensor.
  func testSGDDoesNotMutateSharedGradient() {
    let shared = Tensor([1, -1], dtype: .float64)
    let a = Tensor([1, 2], dtype: .float64, requiresGrad: true)
    let b = Tensor([3, 4], dtype: .float64, requiresGrad: true)
    a.grad = shared
    b.grad = shared
    let optimizer = SGD(
      parameters: [a, b], learningRate: 0.5, momentum: 0.9, weightDecay: 0.5, nesterov: true)
    optimizer.step()
    optimizer.step()
    XCTAssertEqual(shared.values, [1, -1])
    // Each parameter follows the rule with its own decay term and buffer.
    func expected(_ p0: Double, _ g: Double) -> Double {
      var p = p0
      var buffer = 0.0
      for t in 0..<2 {
        let d = g + 0.5 * p
        buffer = t == 0 ? d : 0.9 * buffer + d
        p -= 0.5 * (d + 0.9 * buffer)
      }
      return p
    }
    assertClose(a.values, [expected(1, 1), expected(2, -1)], accuracy: 1e-15)
    assertClose(b.values, [expected(3, 1), expected(4, -1)], accuracy: 1e-15)
  }

  func testSGDStepIsNotRecordedOnTape() {
    let w = Tensor([0.5, -0.5], requiresGrad: true)
    (w * w).sum().backward()
    let grad = w.grad
    SGD(parameters: [w], learningRate: 0.1, momentum: 0.9).step()
    XCTAssertTrue(w.isLeaf)
    XCTAssertTrue(w.requiresGrad)
    XCTAssertTrue(w.grad === grad)
    XCTAssertEqual(grad?.values, [1, -1])
    assertClose(w.values, [0.4, -0.4], accuracy: 1e-7)
  }

  func testSGDSkipsParametersWithoutGradient() {
    let a = Tensor([1, 1], dtype: .float64, requiresGrad: true)
    let b = Tensor([5], dtype: .float64, requiresGrad: true)
    let optimizer = SGD(parameters: [a, b], learningRate: 0.1, momentum: 0.9)
    a.grad = Tensor([1, 1], dtype: .float64)
    optimizer.step()
    XCTAssertEqual(b.values, [5])
    XCTAssertNil(optimizer.momentumBuffers[1])
    // b's buffer starts at its first gradient, not from zeros at the optimiser's second step.
    b.grad = Tensor([2], dtype: .float64)
    optimizer.step()
    XCTAssertEqual(b.item(), 5 - 0.1 * 2, accuracy: 1e-15)
  }

  // MARK: Invalid hyper-parameters (the checks the initialiser traps on)

  func testSGDHyperparameterErrorsUsePyTorchMessages() {
    func error(
      learningRate: Double = 0.1, momentum: Double = 0, dampening: Double = 0,
      weightDecay: Double = 0, nesterov: Bool = false
    ) -> String? {
      SGD.hyperparameterError(
        learningRate: learningRate, momentum: momentum, dampening: dampening,
        weightDecay: weightDecay, nesterov: nesterov)
    }
    XCTAssertNil(error())
    XCTAssertNil(error(learningRate: 0, momentum: 0.9, weightDecay: 0.1, nesterov: true))
    XCTAssertEqual(error(learningRate: -0.1), "Invalid learning rate: -0.1")
    XCTAssertEqual(error(learningRate: .nan), "Invalid learning rate: nan")
    XCTAssertEqual(error(momentum: -0.5), "Invalid momentum value: -0.5")
    XCTAssertEqual(error(weightDecay: -1), "Invalid weight_decay value: -1.0")
    let nesterovMessage = "Nesterov momentum requires a momentum and zero dampening"
    XCTAssertEqual(error(nesterov: true), nesterovMessage)
    XCTAssertEqual(error(momentum: 0.9, dampening: 0.1, nesterov: true), nesterovMessage)
  }

}

// Printed by scripts/reference/optim_sgd.py (torch 2.15.0+cu132).
enum SGDReference {
  static let plain = RegressionReference(
    losses32: [
      0.6273750066757202, 0.5157746076583862, 0.43691596388816833, 0.3806547224521637,
      0.3400281071662903, 0.31025436520576477, 0.28804677724838257, 0.27114376425743103,
      0.2579869329929352, 0.2475002557039261,
    ],
    weight32: [
      0.3171575963497162, -0.2814486026763916, 0.21679562330245972, 0.1352655291557312,
      0.34743091464042664, -0.16498085856437683,
    ],
    bias32: [
      0.050038985908031464, -0.11438285559415817,
    ],
    losses64: [
      0.627375, 0.5157745487175001, 0.4369160219210501, 0.38065474030370916, 0.34002810120092464,
      0.31025436216032254, 0.2880467898859647, 0.27114378156496677, 0.25798690447161043,
      0.2475002539744225,
    ],
    weight64: [
      0.3171575745184164, -0.2814485904735168, 0.21679563479147246, 0.13526555075275132,
      0.34743094442473915, -0.16498086213594843,
    ],
    bias64: [
      0.050038988770049135, -0.11438286552568198,
    ])
  static let momentum = RegressionReference(
    losses32: [
      0.6273750066757202, 0.5691312551498413, 0.475633442401886, 0.37628665566444397,
      0.2964780926704407, 0.2504321038722992, 0.2389911711215973, 0.2520785927772522,
      0.2741531431674957, 0.2903342843055725,
    ],
    weight32: [
      0.5373233556747437, -0.3777642548084259, 0.13895922899246216, -0.11474445462226868,
      0.23968015611171722, 0.21684160828590393,
    ],
    bias32: [
      0.03848918899893761, -0.11860483884811401,
    ],
    losses64: [
      0.627375, 0.569131230929375, 0.47563342295295785, 0.3762866155271204, 0.29647806544654676,
      0.25043209896200797, 0.23899113515117532, 0.25207856797487926, 0.2741531520078938,
      0.29033428620708557,
    ],
    weight64: [
      0.5373233918047932, -0.37776423621347704, 0.1389592423026571, -0.11474453253974558,
      0.23968014916927516, 0.21684156903160906,
    ],
    bias64: [
      0.0384891959788557, -0.11860480989449157,
    ])
  static let nesterovWeightDecay = RegressionReference(
    losses32: [
      0.6273750066757202, 0.5201908349990845, 0.40939897298812866, 0.3199899196624756,
      0.26311632990837097, 0.2371574342250824, 0.23237767815589905, 0.23656527698040009,
      0.23958750069141388, 0.23580937087535858,
    ],
    weight32: [
      0.5384266972541809, -0.4060017466545105, 0.1422351896762848, -0.09205269068479538,
      0.31922200322151184, 0.12998028099536896,
    ],
    bias32: [
      0.010864405892789364, -0.09531955420970917,
    ],
    losses64: [
      0.627375, 0.5201908639899437, 0.409398952230957, 0.3199899074291168, 0.2631163487347992,
      0.23715743831074682, 0.23237768813095488, 0.2365652603732117, 0.2395875491339022,
      0.23580938211019015,
    ],
    weight64: [
      0.5384267063253857, -0.40600174124794125, 0.14223521369974432, -0.09205274526357783,
      0.3192220059307176, 0.12998029595519497,
    ],
    bias64: [
      0.010864422676028466, -0.09531954659143808,
    ])
  static let dampeningWeightDecay = RegressionReference(
    losses32: [
      0.6273750066757202, 0.5651150941848755, 0.4803543984889984, 0.3928517997264862,
      0.319322407245636, 0.2700672447681427, 0.24777336418628693, 0.24835583567619324,
      0.26324984431266785, 0.28232911229133606,
    ],
    weight32: [
      0.43217572569847107, -0.3031645119190216, 0.14001159369945526, -0.0743083655834198,
      0.1850098818540573, 0.16472594439983368,
    ],
    bias32: [
      0.05753350257873535, -0.11285708099603653,
    ],
    losses64: [
      0.627375, 0.565115083016875, 0.48035437251213275, 0.3928517571080511, 0.3193224005606789,
      0.2700672125140357, 0.24777332718013617, 0.24835583752545207, 0.2632498343755635,
      0.2823291302597785,
    ],
    weight64: [
      0.43217574612617826, -0.3031645111789441, 0.14001158880550424, -0.07430839820377193,
      0.1850098793673092, 0.16472598202274868,
    ],
    bias64: [
      0.057533504802882364, -0.11285707075423221,
    ])
}
