import AutoGrad
import XCTest

@testable import NN

final class ModuleTests: XCTestCase {
  func makeModel() -> Sequential {
    var generator = SeededGenerator(seed: 1)
    return Sequential(
      Linear(784, 200, using: &generator), ReLU(), BatchNorm1d(200),
      Dropout(probability: 0.2, seed: 3),
      Linear(200, 10, bias: false, using: &generator))
  }

  func testParametersAreDiscoveredWithNamesInOrder() {
    let model = makeModel()
    XCTAssertEqual(
      model.namedParameters.map(\.name),
      ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "layers.4.weight"])
    XCTAssertEqual(model.parameters.map(\.shape), [[200, 784], [200], [200], [200], [10, 200]])
    XCTAssertEqual(model.parameterCount, 784 * 200 + 200 + 200 + 200 + 200 * 10)
    XCTAssertEqual(
      model.stateDict().map(\.name),
      [
        "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias",
        "layers.2.runningMean", "layers.2.runningVar", "layers.4.weight",
      ])
  }

  func testLinearInitialisationBoundsAndLayerCounts() {
    var generator = SeededGenerator(seed: 2)
    let layer = Linear(100, 30, using: &generator)
    XCTAssertEqual(layer.parameterCount, 100 * 30 + 30)
    let bound = 1 / 10.0
    let w = layer.weight.scalars(as: Double.self)
    XCTAssertTrue(w.allSatisfy { Swift.abs($0) <= bound })
    XCTAssertGreaterThan(w.map(Swift.abs).max() ?? 0, 0.9 * bound, "spans the interval")
    XCTAssertTrue(
      layer.bias?.scalars(as: Double.self).allSatisfy { Swift.abs($0) <= bound } ?? false)
    XCTAssertEqual(BatchNorm1d(7).parameterCount, 14)
    XCTAssertEqual(ReLU().parameterCount, 0)
  }

  func testTrainAndEvalPropagateToChildren() {
    let model = makeModel()
    let modeAware = model.modules.compactMap { $0 as? any TrainingModeAware }
    XCTAssertEqual(modeAware.count, 2)
    model.eval()
    XCTAssertTrue(modeAware.allSatisfy { !$0.isTraining })
    model.train()
    XCTAssertTrue(modeAware.allSatisfy { $0.isTraining })
  }

  func testLoadStateDictCopiesValuesAndReportsEveryProblem() throws {
    let source = makeModel()
    let target = makeModel()
    for (_, t) in target.stateDict() { t.fill(0) }
    try target.load(stateDict: source.stateDict().map { ($0.name, $0.tensor.copy()) })
    for ((_, a), (_, b)) in zip(source.stateDict(), target.stateDict()) {
      XCTAssertEqual(a.scalars(as: Float.self), b.scalars(as: Float.self))
    }
    var broken = source.stateDict().filter { $0.name != "layers.0.bias" }
    broken[0] = ("layers.0.weight", Tensor.zeros([3, 3]))
    broken.append(("extra.weight", Tensor.zeros([1])))
    XCTAssertThrowsError(try target.load(stateDict: broken)) { error in
      guard let e = error as? StateDictError else { return XCTFail("\(error)") }
      XCTAssertEqual(e.missing, ["layers.0.bias"])
      XCTAssertEqual(e.unexpected, ["extra.weight"])
      XCTAssertEqual(e.mismatched.map(\.name), ["layers.0.weight"])
      XCTAssertTrue(
        e.description.contains("expected [200, 784] float32, got [3, 3] float32"), e.description)
    }
  }

  func testSequentialAppliesLayersInOrder() {
    var generator = SeededGenerator(seed: 4)
    let a = Linear(3, 2, using: &generator)
    let model = Sequential(a, Sigmoid())
    let x = Tensor([[1, 2, 3]])
    XCTAssertEqual(model(x).scalars(as: Double.self), a(x).sigmoid().scalars(as: Double.self))
    XCTAssertEqual(Flatten()(Tensor.zeros([2, 3, 4])).shape, [2, 12])
  }

  func testActivationModulesMatchOps() {
    let x = Tensor([[-1, 0.5, 2]])
    XCTAssertEqual(ReLU()(x).scalars(as: Double.self), [0, 0.5, 2])
    XCTAssertEqual(Tanh()(x).scalars(as: Double.self), x.tanh().scalars(as: Double.self))
    XCTAssertEqual(Softmax()(x).scalars(as: Double.self), x.softmax().scalars(as: Double.self))
    XCTAssertEqual(
      LogSoftmax()(x).scalars(as: Double.self), x.logSoftmax().scalars(as: Double.self))
    XCTAssertEqual(HardThreshold()(x).scalars(as: Double.self), [0, 1, 1])
    XCTAssertEqual(Sign()(x).scalars(as: Double.self), [-1, 1, 1])
    XCTAssertTrue(Identity()(x) === x)
  }

  func testPerceptronCriterionAndLossGradientChecks() {
    let s = Tensor([2, -1, 0.5], dtype: .float64)
    let y = Tensor([1, 1, -1], dtype: .float64)
    XCTAssertEqual(
      PerceptronCriterion(reduction: .none)(s, y).scalars(as: Double.self), [0, 1, 0.5])
    var g = SeededGenerator(seed: 8)
    let logits = Tensor.randn([4, 3], dtype: .float64, using: &g)
    let classes = Tensor([0, 2, 1, 2], dtype: .float64)
    for loss in [CrossEntropyLoss(), CrossEntropyLoss(labelSmoothing: 0.2)] {
      let first = gradientCheck(at: [logits]) { loss($0[0], classes) }
      XCTAssertTrue(first.passed, first.description)
      let second = gradGradCheck(at: [logits]) { loss($0[0], classes) }
      XCTAssertTrue(second.passed, second.description)
    }
    let p = Tensor.uniform([5], low: 0.1, high: 0.9, dtype: .float64, using: &g)
    let t = Tensor([0, 1, 1, 0, 1], dtype: .float64)
    XCTAssertTrue(gradientCheck(at: [p]) { BCELoss()($0[0], t) }.passed)
    XCTAssertTrue(gradGradCheck(at: [p]) { BCELoss()($0[0], t) }.passed)
    XCTAssertTrue(
      gradientCheck(at: [logits.reshape([12])]) {
        BCEWithLogitsLoss()($0[0], Tensor.ones([12], dtype: .float64))
      }.passed)
  }

  func testFloat32BCEKernelEqualsTheComposedFormulaBitForBit() {
    // 1,003 elements: several 256-element chunks and a tail shorter than one vector; some p at
    // exactly 0 and 1 (log clamped at −100, and vectors that fall back to the C library).
    var g = SeededGenerator(seed: 12)
    var values = Tensor.uniform([1003], low: 0.001, high: 0.999, using: &g).scalars(as: Float.self)
    for i in stride(from: 0, to: 1003, by: 97) { values[i] = i % 2 == 0 ? 0 : 1 }
    let p = Tensor(shape: [1003], values: values)
    let y = Tensor(shape: [1003], values: (0..<1003).map { Float(($0 * 7) % 3 == 0 ? 1 : 0) })
    let fused = BCELoss(reduction: .none)(p, y).scalars(as: Float.self)
    let composed = withoutGrad {
      -(y * p.log().clamp(min: -100) + (1 - y) * (1 - p).log().clamp(min: -100))
    }.scalars(as: Float.self)
    XCTAssertEqual(fused.map(\.bitPattern), composed.map(\.bitPattern))
    XCTAssertTrue(fused.contains(100))
  }
}
