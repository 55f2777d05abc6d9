import AutoGrad
import XCTest

@testable import Optim

final class AdamTests: XCTestCase {
  // MARK: Against PyTorch (10 steps on the fixture's regression; literals at the end of the file)

  func testAdamMatchesPyTorch() {
    assertMatchesReference(AdamReference.adam) { Adam(parameters: $0, learningRate: 0.1) }
  }

  func testAdamL2WeightDecayMatchesPyTorch() {
    assertMatchesReference(AdamReference.adamL2) {
      Adam(parameters: $0, learningRate: 0.1, betas: (0.8, 0.99), eps: 1e-6, weightDecay: 0.1)
    }
  }

  func testAdamAMSGradMatchesPyTorch() {
    assertMatchesReference(AdamReference.adamAMSGrad) {
      Adam(parameters: $0, learningRate: 0.1, amsgrad: true)
    }
  }

  func testAdamWMatchesPyTorch() {
    assertMatchesReference(AdamReference.adamW) {
      AdamW(parameters: $0, learningRate: 0.1, weightDecay: 0.1)
    }
  }

  func testAdamWAMSGradMatchesPyTorch() {
    assertMatchesReference(AdamReference.adamWAMSGrad) {
      AdamW(parameters: $0, learningRate: 0.05, betas: (0.5, 0.9), weightDecay: 0.5, amsgrad: true)
    }
  }

  // MARK: By hand

  /// After bias correction the first step is `η·g/(|g| + ε)`: with ε = 0, exactly η·sign(g).
  func testAdamFirstStepMovesByLearningRateAgainstGradientSign() {
    for dtype in [DType.float32, .float64] {
      let p = Tensor([1, 1, 1], dtype: dtype, requiresGrad: true)
      p.grad = Tensor([0.5, -2, 1e-3], dtype: dtype)
      Adam(parameters: [p], learningRate: 0.1, eps: 0).step()
      assertClose(p.values, [0.9, 1.1, 0.9], accuracy: dtype == .float32 ? 1e-7 : 1e-15)
    }
  }

  /// Adam's weight decay enters the gradient (and is normalised away); AdamW's shrinks p.
  func testAdamWDecayIsDecoupledFromGradient() {
    let p = Tensor([2, -3], dtype: .float64, requiresGrad: true)
    p.grad = Tensor.zeros([2], dtype: .float64)
    AdamW(parameters: [p], learningRate: 0.1, weightDecay: 0.5).step()
    assertClose(p.values, [2 * 0.95, -3 * 0.95], accuracy: 1e-15)

    let q = Tensor([2, -3], dtype: .float64, requiresGrad: true)
    q.grad = Tensor.zeros([2], dtype: .float64)
    Adam(parameters: [q], learningRate: 0.1, eps: 0, weightDecay: 0.5).step()
    assertClose(q.values, [1.9, -2.9], accuracy: 1e-15)  // g = λ·p, then η·sign(g)
  }

  func testAdamStepCountsArePerParameter() {
    let a = Tensor([1], dtype: .float64, requiresGrad: true)
    let b = Tensor([1], dtype: .float64, requiresGrad: true)
    let optimizer = Adam(parameters: [a, b], learningRate: 0.1, eps: 0)
    a.grad = Tensor([1], dtype: .float64)
    optimizer.step()
    optimizer.step()
    XCTAssertEqual(optimizer.moments.states[0]?.step, 2)
    XCTAssertNil(optimizer.moments.states[1])
    XCTAssertEqual(b.item(), 1)
    // b's first step is bias-corrected as a first step: it moves by exactly η.
    b.grad = Tensor([-5], dtype: .float64)
    optimizer.step()
    XCTAssertEqual(optimizer.moments.states[1]?.step, 1)
    XCTAssertEqual(b.item(), 1.1, accuracy: 1e-15)
  }

  func testAdamDoesNotMutateSharedGradient() {
    let shared = Tensor([0.5, -0.25])
    let a = Tensor([1, 2], requiresGrad: true)
    let b = Tensor([1, 2], requiresGrad: true)
    a.grad = shared
    b.grad = shared
    let optimizer = AdamW(parameters: [a, b], learningRate: 0.1, amsgrad: true)
    for _ in 0..<3 { optimizer.step() }
    XCTAssertEqual(shared.values, [0.5, -0.25])
    XCTAssertEqual(a.values, b.values)
    XCTAssertTrue(a.isLeaf)
  }

  // MARK: Invalid hyper-parameters (the checks the initialisers trap on)

  func testAdamHyperparameterErrorsUsePyTorchMessages() {
    func error(
      learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
      weightDecay: Double = 0
    ) -> String? {
      AdamMoments.hyperparameterError(
        learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay)
    }
    XCTAssertNil(error())
    XCTAssertNil(error(learningRate: 0, betas: (0, 0), eps: 0))
    XCTAssertEqual(error(learningRate: -1), "Invalid learning rate: -1.0")
    XCTAssertEqual(error(eps: -1e-8), "Invalid epsilon value: -1e-08")
    XCTAssertEqual(error(betas: (1, 0.999)), "Invalid beta parameter at index 0: 1.0")
    XCTAssertEqual(error(betas: (0.9, -0.1)), "Invalid beta parameter at index 1: -0.1")
    XCTAssertEqual(error(weightDecay: -0.01), "Invalid weight_decay value: -0.01")
  }
}

// Printed by scripts/reference/optim_adam.py (torch 2.15.0+cu132).
enum AdamReference {
  static let adam = RegressionReference(
    losses32: [
      0.6273750066757202, 0.4408149719238281, 0.31543079018592834, 0.2387639582157135,
      0.20460228621959686, 0.20077243447303772, 0.21356046199798584, 0.2297852784395218,
      0.23926587402820587, 0.23807987570762634,
    ],
    weight32: [
      0.7689760327339172, -0.9764685034751892, -0.09884773194789886, -0.30514347553253174,
      0.1907239705324173, -0.014502672478556633,
    ],
    bias32: [
      -0.08125898241996765, 0.16879355907440186,
    ],
    losses64: [
      0.627375, 0.4408150023974936, 0.3154307860834565, 0.23876393832710888, 0.20460228149032203,
      0.2007724144892923, 0.2135604366605625, 0.22978525282452225, 0.23926585525058922,
      0.23807987399184133,
    ],
    weight64: [
      0.7689759845515503, -0.9764684803107405, -0.09884774777912109, -0.3051434999616405,
      0.19072402106071779, -0.014502658054087212,
    ],
    bias64: [
      -0.08125896062013553, 0.16879358313042334,
    ])
  static let adamL2 = RegressionReference(
    losses32: [
      0.6273750066757202, 0.440815269947052, 0.31284961104393005, 0.23649962246418,
      0.20374438166618347, 0.199166938662529, 0.2060314118862152, 0.21096622943878174,
      0.20867136120796204, 0.2000693529844284,
    ],
    weight32: [
      0.5669453144073486, -0.6271202564239502, 0.014723893254995346, -0.23809371888637543,
      0.22791950404644012, -0.0761551633477211,
    ],
    bias32: [
      -0.04006072133779526, 0.07972158491611481,
    ],
    losses64: [
      0.627375, 0.4408152727575188, 0.3128496143841887, 0.23649961778945777, 0.20374438787740182,
      0.19916693858488752, 0.20603142505167282, 0.2109662228877625, 0.20867133753703201,
      0.20006937505769873,
    ],
    weight64: [
      0.5669452928032042, -0.6271202420325075, 0.01472388424305945, -0.23809371261548934,
      0.22791952045399136, -0.0761551750816125,
    ],
    bias64: [
      -0.040060698287683605, 0.0797215908716427,
    ])
  static let adamAMSGrad = RegressionReference(
    losses32: [
      0.6273750066757202, 0.4408149719238281, 0.31543079018592834, 0.2387639582157135,
      0.20459845662117004, 0.20076623558998108, 0.21355395019054413, 0.22977867722511292,
      0.23925955593585968, 0.23807454109191895,
    ],
    weight32: [
      0.7689612507820129, -0.9764662981033325, -0.09885339438915253, -0.3051251173019409,
      0.19074022769927979, -0.01448862999677658,
    ],
    bias32: [
      -0.08124085515737534, 0.16877135634422302,
    ],
    losses64: [
      0.627375, 0.4408150023974936, 0.3154307860834565, 0.23876393832710888, 0.20459844844129832,
      0.20076622233052546, 0.21355393619328691, 0.2297786341908976, 0.23925955399281432,
      0.23807452153499192,
    ],
    weight64: [
      0.7689612605624281, -0.9764663178969869, -0.09885344917825176, -0.3051251253516744,
      0.19074027943596444, -0.014488622364868182,
    ],
    bias64: [
      -0.08124086476181545, 0.16877137085111035,
    ])
  static let adamW = RegressionReference(
    losses32: [
      0.6273750066757202, 0.4344920516014099, 0.30892711877822876, 0.2357419729232788,
      0.20564284920692444, 0.20429813861846924, 0.2169526070356369, 0.23069894313812256,
      0.23660023510456085, 0.23215818405151367,
    ],
    weight32: [
      0.7444450855255127, -0.9320087432861328, -0.07836997509002686, -0.2946404814720154,
      0.2006039321422577, -0.014766935259103775,
    ],
    bias32: [
      -0.07625170052051544, 0.15746264159679413,
    ],
    losses64: [
      0.627375, 0.43449202989627145, 0.3089271231047465, 0.23574197085902907, 0.2056428397586716,
      0.20429813227564747, 0.2169526060492514, 0.2306989301374324, 0.23660022782612145,
      0.23215816341684326,
    ],
    weight64: [
      0.7444451228629412, -0.9320086139925624, -0.07836994672045296, -0.2946404505598928,
      0.20060396699906358, -0.01476694610304358,
    ],
    bias64: [
      -0.07625178391140941, 0.15746262067573977,
    ])
  static let adamWAMSGrad = RegressionReference(
    losses32: [
      0.6273750066757202, 0.5038938522338867, 0.4115366041660309, 0.34108948707580566,
      0.28995776176452637, 0.25485584139823914, 0.23149427771568298, 0.21615426242351532,
      0.20581300556659698, 0.19840194284915924,
    ],
    weight32: [
      0.42719292640686035, -0.5856814980506897, 0.038903091102838516, -0.01766093075275421,
      0.21324041485786438, -0.18522965908050537,
    ],
    bias32: [
      0.02507263794541359, 0.00022338703274726868,
    ],
    losses64: [
      0.627375, 0.5038937994728455, 0.41153656422381213, 0.341089484129522, 0.2899577395038972,
      0.2548558368203373, 0.23149427950078943, 0.216154271282969, 0.20581301987881623,
      0.19840195085928652,
    ],
    weight64: [
      0.4271928302204345, -0.585681298237248, 0.038903185370317735, -0.017660930401076535,
      0.2132404105920492, -0.18522960829354423,
    ],
    bias64: [
      0.02507265046067694, 0.00022337544373125448,
    ])
}
