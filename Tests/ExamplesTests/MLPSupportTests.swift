import AutoGrad
import NN
import Optim
import XCTest

@testable import Examples

/// The MLP builder, the option parsing of layer widths, the epoch-by-epoch driver, and the
/// schedule table and step arithmetic of `time-based-lr` and `generalization-curves`.
final class MLPSupportTests: XCTestCase {
  func testMakeMLPStacksLinearBatchNormAndActivation() {
    var generator = SeededGenerator(seed: 0)
    let model = makeMLP(
      inputSize: 3, hidden: [5, 4], outputSize: 2, activation: .sigmoid, batchNorm: true,
      using: &generator)
    XCTAssertEqual(model.layers.count, 7)
    XCTAssertTrue(model.layers[1] is BatchNorm1d)
    XCTAssertTrue(model.layers[2] is Sigmoid)
    XCTAssertEqual(linearLayers(of: model).map(\.outputSize), [5, 4, 2])
    XCTAssertEqual(model.parameterCount, (3 * 5 + 5) + 10 + (5 * 4 + 4) + 8 + (4 * 2 + 2))
    XCTAssertEqual(model(Tensor.zeros([6, 3])).shape, [6, 2])
  }

  func testMakeMLPWithSameSeedGivesSameWeightsWithOrWithoutBatchNorm() {
    var first = SeededGenerator(seed: 9)
    var second = SeededGenerator(seed: 9)
    let plain = makeMLP(
      inputSize: 4, hidden: [3, 3], outputSize: 2, activation: .relu, using: &first)
    let normed = makeMLP(
      inputSize: 4, hidden: [3, 3], outputSize: 2, activation: .relu, batchNorm: true,
      using: &second)
    let a = linearLayers(of: plain).map { $0.weight.scalars(as: Double.self) }
    let b = linearLayers(of: normed).map { $0.weight.scalars(as: Double.self) }
    XCTAssertEqual(a, b)
  }

  func testLayerSizesAcceptsWholeNumbersOnly() throws {
    XCTAssertEqual(try layerSizes([128, 64], option: "hidden"), [128, 64])
    XCTAssertThrowsError(try layerSizes([128, 6.5], option: "hidden"))
    XCTAssertThrowsError(try layerSizes([0], option: "hidden"))
  }

  func testEpochSeedsDifferPerEpochAndRun() {
    let seeds = (0..<5).map { EpochwiseTraining.epochSeed(0, $0) }
    XCTAssertEqual(Set(seeds).count, 5)
    XCTAssertNotEqual(EpochwiseTraining.epochSeed(1, 0), EpochwiseTraining.epochSeed(0, 0))
  }

  /// Two well-separated classes in two dimensions.
  private func separableData() -> TensorDataset {
    var generator = SeededGenerator(seed: 2)
    var rows: [[Double]] = []
    var labels: [Double] = []
    for i in 0..<64 {
      let c = Double(i % 2)
      rows.append([c * 2 - 1 + 0.3 * generator.nextNormal(), 0.3 * generator.nextNormal()])
      labels.append(c)
    }
    return TensorDataset(inputs: Tensor(rows), targets: Tensor(labels))
  }

  func testEpochwiseTrainingFollowsTheScheduleAndIsReproducible() {
    let data = separableData()
    func train() -> [EpochRecord] {
      var generator = SeededGenerator(seed: 4)
      let model = makeMLP(
        inputSize: 2, hidden: [8], outputSize: 2, activation: .tanh, batchNorm: true,
        using: &generator)
      let training = EpochwiseTraining(
        epochs: 4, batchSize: 10, learningRate: { CountdownLR(start: 3).learningRate(at: $0) / 10 },
        seed: 7)
      return training.run(
        model, training: data, validation: data, console: Console(isTerminal: false))
    }
    let records = train()
    XCTAssertEqual(records.map(\.learningRate), [0.3, 0.2, 0.1, 0.1])
    XCTAssertEqual(records.map(\.epoch), [1, 2, 3, 4])
    XCTAssertGreaterThan(records.last?.validation.accuracy ?? 0, 0.9)
    XCTAssertEqual(records.last?.training.count, 64)
    let again = train()
    XCTAssertEqual(again.map(\.validation.loss), records.map(\.validation.loss))
    XCTAssertEqual(again.map(\.meanLoss), records.map(\.meanLoss))
  }

  func testEvaluateInEvalModeRestoresTrainingMode() {
    var generator = SeededGenerator(seed: 1)
    let model = makeMLP(
      inputSize: 2, hidden: [3], outputSize: 2, activation: .relu, batchNorm: true,
      using: &generator)
    let norm = model.layers[1] as? BatchNorm1d
    let before = norm?.runningMean.scalars(as: Double.self)
    _ = evaluateInEvalMode(model, on: separableData())
    XCTAssertEqual(norm?.isTraining, true)
    XCTAssertEqual(norm?.runningMean.scalars(as: Double.self), before, "eval mode updated stats")
  }

  func testScheduleTablePrintsTheCountdownAndTheDecay() {
    let table = TimeBasedLR.scheduleTable(
      CountdownLR(start: 5), TimeBasedDecayLR(initial: 5, decay: 1), count: 7)
    XCTAssertEqual(table.rows.map { $0[1] }, ["5", "4", "3", "2", "1", "1", "1"])
    XCTAssertEqual(
      table.rows.map { $0[2] },
      ["5.0000", "2.5000", "1.6667", "1.2500", "1.0000", "0.8333", "0.7143"])
    XCTAssertEqual(table.rows.map { $0[0] }, (0..<7).map(String.init))
  }

  func testFixedStepsBecomeWholeEpochs() {
    XCTAssertEqual(
      GeneralizationCurves.epochs(forSteps: 4000, trainingCount: 100, batchSize: 32), 1000)
    XCTAssertEqual(
      GeneralizationCurves.epochs(forSteps: 4000, trainingCount: 50_000, batchSize: 32), 3)
    XCTAssertEqual(
      GeneralizationCurves.epochs(forSteps: 10, trainingCount: 50_000, batchSize: 32), 1)
  }
}
