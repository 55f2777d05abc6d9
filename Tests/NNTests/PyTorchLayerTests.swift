import AutoGrad
import XCTest

@testable import NN

/// Layer outputs, parameter gradients and losses compared with PyTorch 2 in float32. The
/// literals were printed by `python3 scripts/reference/nn_layers.py`, which builds the same
/// inputs and parameters with torch.nn and calls `.backward()`.
final class PyTorchLayerTests: XCTestCase {
  /// Agreement to 1e-5, relative for large magnitudes.
  func assertMatches(
    _ actual: [Double], _ expected: [Double], file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertEqual(actual.count, expected.count, file: file, line: line)
    for (i, (a, e)) in zip(actual, expected).enumerated()
    where !(Swift.abs(a - e) <= 1e-5 * Swift.max(1, Swift.abs(e))) {
      XCTFail("element \(i): \(a) vs PyTorch \(e)", file: file, line: line)
      return
    }
  }

  func testLinearOutputAndGradientsMatchPyTorch() {
    var generator = SeededGenerator(seed: 0)
    let layer = Linear(4, 2, using: &generator)
    layer.weight.assign(from: Tensor([[0.1, -0.2, 0.3, -0.4], [0.5, 0.6, -0.7, 0.8]]))
    layer.bias?.assign(from: Tensor([0.05, -0.05]))
    let x = Tensor(
      [[1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 0.0, 2.0], [0.3, -0.3, 0.9, -0.9]], requiresGrad: true)
    let y = layer(x)
    (y * Tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.25]])).sum().backward()
    assertMatches(
      y.scalars(as: Double.self),
      [
        -0.949999988079071, 2.750000238418579, -0.949999988079071, 1.3500001430511475,
        0.7700000405311584, -1.429999828338623,
      ])
    assertMatches(
      layer.weight.grad?.scalars(as: Double.self) ?? [],
      [
        -1.850000023841858, 3.3499999046325684, 3.450000047683716, 9.550000190734863,
        3.075000047683716, 3.424999952316284, 6.224999904632568, 5.775000095367432,
      ])
    assertMatches(
      layer.bias?.grad?.scalars(as: Double.self) ?? [],
      [
        4.5, 1.25,
      ])
    assertMatches(
      x.grad?.scalars(as: Double.self) ?? [],
      [
        1.100000023841858, 1.0, -1.0999999046325684, 1.2000000476837158, -0.19999998807907104,
        -1.2000000476837158, 1.600000023841858, -2.0, 0.17499999701976776, 0.05000000447034836,
        -0.024999991059303284, 0.0,
      ])
  }

  /// Runs `loss` on a copy of `input`; a non-scalar result is weighted by 1, 2, 3, … before the
  /// backward pass, as in the script.
  func check(
    _ loss: (Tensor, Tensor) -> Tensor, _ input: Tensor, _ target: Tensor, value: [Double],
    grad: [Double], file: StaticString = #filePath, line: UInt = #line
  ) {
    let x = input.copy().requiringGrad()
    let out = loss(x, target)
    let weights = Tensor.arange(1, Double(out.count + 1)).reshape(out.shape)
    (out.rank == 0 ? out : out * weights).sum().backward()
    assertMatches(out.scalars(as: Double.self), value, file: file, line: line)
    assertMatches(x.grad?.scalars(as: Double.self) ?? [], grad, file: file, line: line)
  }

  func testMSELossMatchesPyTorch() {
    let pred = Tensor([0.5, -1.0, 2.0, 0.25])
    let targ = Tensor([1.0, 0.0, 1.5, -0.5])
    check(
      MSELoss().callAsFunction, pred, targ,
      value: [
        0.515625
      ],
      grad: [
        -0.25, -0.5, 0.25, 0.375,
      ])
    check(
      MSELoss(reduction: .sum).callAsFunction, pred, targ,
      value: [
        2.0625
      ],
      grad: [
        -1.0, -2.0, 1.0, 1.5,
      ])
    check(
      MSELoss(reduction: .none).callAsFunction, pred, targ,
      value: [
        0.25, 1.0, 0.25, 0.5625,
      ],
      grad: [
        -1.0, -4.0, 3.0, 6.0,
      ])
  }

  func testBCELossAtProbabilitiesZeroAndOneMatchesPyTorch() {
    let p = Tensor([0.0, 1.0, 0.3, 0.9, 1e-8, 0.0, 1.0])
    let y = Tensor([0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0])
    check(
      BCELoss().callAsFunction, p, y,
      value: [
        31.70389175415039
      ],
      grad: [
        0.0, 0.0, -0.4761904776096344, 1.428571105003357, -14285714.0, -142857142272.0,
        142857142272.0,
      ])
    check(
      BCELoss(reduction: .none).callAsFunction, p, y,
      value: [
        0.0, -0.0, 1.2039728164672852, 2.3025848865509033, 18.42068099975586, 100.0, 100.0,
      ],
      grad: [
        0.0, 0.0, -9.999999046325684, 39.99999237060547, -500000000.0, -6000000106496.0,
        6999999774720.0,
      ])
  }

  func testBCEWithLogitsIsStableForHugeLogitsAndMatchesPyTorch() {
    let z = Tensor([100.0, -100.0, 1000.0, -1000.0, 0.5, -2.0])
    let y = Tensor([1.0, 1.0, 0.0, 0.0, 1.0, 0.0])
    check(
      BCEWithLogitsLoss().callAsFunction, z, y,
      value: [
        183.43348693847656
      ],
      grad: [
        0.0, -0.1666666716337204, 0.1666666716337204, 0.0, -0.06292343884706497,
        0.019867153838276863,
      ])
    check(
      BCEWithLogitsLoss(reduction: .sum).callAsFunction, z, y,
      value: [
        1100.6009521484375
      ],
      grad: [
        0.0, -1.0, 1.0, 0.0, -0.377540647983551, 0.11920291930437088,
      ])
  }

  func testCrossEntropyAndNLLMatchPyTorch() {
    let logits = Tensor([
      [1.0, 2.0, 0.5], [100.0, -100.0, 0.0], [0.1, 0.2, 0.3], [-3.0, 4.0, 1.0],
    ])
    let classes = Tensor([1, 0, 2, 2])
    let probabilities = Tensor([
      [0.2, 0.7, 0.1], [1.0, 0.0, 0.0], [0.3, 0.3, 0.4], [0.0, 0.5, 0.5],
    ])
    check(
      CrossEntropyLoss().callAsFunction, logits, classes,
      value: [
        1.1289417743682861
      ],
      grad: [
        0.057805970311164856, -0.09286707639694214, 0.03506109490990639, 0.0, 0.0,
        9.80908925027372e-45, 0.07515239715576172, 0.08305624127388, -0.15820865333080292,
        0.00021697032207157463, 0.237936869263649, -0.23815381526947021,
      ])
    check(
      CrossEntropyLoss(reduction: .none).callAsFunction, logits, classes,
      value: [
        0.4643687903881073, -0.0, 1.0019428730010986, 3.0494556427001953,
      ],
      grad: [
        0.23122388124465942, -0.37146830558776855, 0.14024437963962555, 0.0, 0.0,
        7.567011707354012e-44, 0.9018287658691406, 0.9966748952865601, -1.8985037803649902,
        0.003471525153145194, 3.806989908218384, -3.8104610443115234,
      ])
    check(
      CrossEntropyLoss(labelSmoothing: 0.1).callAsFunction, logits, classes,
      value: [
        3.6606082916259766
      ],
      grad: [
        0.049472637474536896, -0.07620041072368622, 0.026727762073278427, 0.01666666567325592,
        -0.008333333767950535, -0.008333333767950535, 0.06681906431913376, 0.07472290843725204,
        -0.141541987657547, -0.008116363547742367, 0.22960352897644043, -0.2214871495962143,
      ])
    check(
      CrossEntropyLoss().callAsFunction, logits, probabilities,
      value: [
        0.8639418482780457
      ],
      grad: [
        0.007805969566106796, -0.0178670734167099, 0.010061094537377357, 0.0, 0.0,
        9.80908925027372e-45, 0.00015239417552947998, 0.008056238293647766, -0.008208654820919037,
        0.00021697032207157463, 0.11293686926364899, -0.11315382272005081,
      ])
    check(
      CrossEntropyLoss().callAsFunction, Tensor([[3.0], [-2.0]]), Tensor([0, 0]),
      value: [
        0.0
      ],
      grad: [
        0.0, 0.0,
      ])
    check(
      NLLLoss().callAsFunction, logits.logSoftmax(axis: 1), classes,
      value: [
        1.1289417743682861
      ],
      grad: [
        0.0, -0.25, 0.0, -0.25, 0.0, 0.0, 0.0, 0.0, -0.25, 0.0, 0.0, -0.25,
      ])
  }

  func testBatchNormTrainingEvalAndRunningStatisticsMatchPyTorch() {
    let bn = BatchNorm1d(3)
    bn.weight?.assign(from: Tensor([1.0, 0.5, 2.0]))
    bn.bias?.assign(from: Tensor([0.0, 0.1, -0.2]))
    let batches = [
      Tensor([[1.0, 2.0, 3.0], [4.0, 0.0, -1.0], [0.5, 0.5, 0.5], [2.0, -2.0, 1.0]]),
      Tensor([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0], [3.0, -1.0, 0.0], [-1.0, 2.0, 5.0]]),
      Tensor([[2.0, 2.0, 2.0], [0.0, 0.0, 1.0], [1.0, -1.0, 3.0], [5.0, 1.0, 0.0]]),
    ]
    let w = Tensor([[1.0, -1.0, 0.5], [2.0, 0.0, 1.0], [-0.5, 1.5, 1.0], [0.25, 0.75, -2.0]])
    let x = batches[0].copy().requiringGrad()
    let out = bn(x)
    (out * w).sum().backward()
    assertMatches(
      out.scalars(as: Double.self),
      [
        -0.6527515053749084, 0.7552764415740967, 2.7705864906311035, 1.5852538347244263,
        0.05631490424275398, -2.82110595703125, -1.0257524251937866, 0.23105528950691223,
        -0.7242211699485779, 0.09325027465820312, -0.6426466703414917, -0.02525961399078369,
      ])
    assertMatches(
      x.grad?.scalars(as: Double.self) ?? [],
      [
        0.6049081087112427, -0.226096510887146, 1.0457719564437866, 0.07622691243886948,
        -0.12471921741962433, 0.7629907131195068, -0.3016473948955536, 0.46152782440185547,
        1.1311442852020264, -0.379487544298172, -0.11071209609508514, -2.9399070739746094,
      ])
    assertMatches(
      bn.weight?.grad?.scalars(as: Double.self) ?? [],
      [
        3.0539448261260986, -2.0313570499420166, -1.004757285118103,
      ])
    assertMatches(
      bn.bias?.grad?.scalars(as: Double.self) ?? [],
      [
        2.75, 1.25, 0.5,
      ])
    _ = bn(batches[1])
    _ = bn(batches[2])
    assertMatches(
      bn.runningMean.scalars(as: Double.self),
      [
        0.4193750023841858, 0.1276250034570694, 0.4008750021457672,
      ])
    assertMatches(
      bn.runningVar.scalars(as: Double.self),
      [
        1.6522290706634521, 1.259229063987732, 1.536729097366333,
      ])
    bn.eval()
    assertMatches(
      bn(batches[0]).scalars(as: Double.self),
      [
        0.4517095685005188, 0.9342741370201111, 3.9933111667633057, 2.78562331199646,
        0.04313413053750992, -2.460108518600464, 0.06272393465042114, 0.26591911911964417,
        -0.04007619619369507, 1.2296807765960693, -0.8480058312416077, 0.7666012644767761,
      ])
  }
}
