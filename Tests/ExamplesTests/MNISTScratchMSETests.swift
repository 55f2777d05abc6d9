import AutoGrad
import NN
import XCTest

@testable import Examples

/// E18's hand-written backpropagation (the four equations with the softmax Jacobian) against the
/// tape, on tiny float64 networks, and its training loop on synthetic data.
final class MNISTScratchMSETests: XCTestCase {
  /// A batch of `n` random inputs of width `inputs` with one-hot targets over 10 classes.
  private func batch(
    _ n: Int, inputs: Int, using generator: inout SeededGenerator
  ) -> (x: Tensor, labels: Tensor, y: Tensor) {
    let x = Tensor.uniform([n, inputs], low: -1, high: 1, dtype: .float64, using: &generator)
    let labels = Tensor((0..<n).map { Double(($0 * 7) % 10) }, dtype: .float64)
    return (x, labels, ScratchBackprop.oneHot(labels, classes: 10))
  }

  func testHandGradientsEqualTapeGradientsForAnyNumberOfHiddenLayers() {
    var generator = SeededGenerator(seed: 3)
    for hidden in [[], [4], [6, 5], [5, 4, 3]] {
      let model = makeMLP(
        inputSize: 7, hidden: hidden, outputSize: 10, activation: .sigmoid, dtype: .float64,
        using: &generator)
      let (x, _, y) = batch(6, inputs: 7, using: &generator)
      let hand = ScratchBackprop.handGradients(
        layers: linearLayers(of: model), inputs: x, targets: y)
      let tape = ScratchBackprop.tapeGradients(model: model, inputs: x, targets: y)
      XCTAssertEqual(hand.gradients.map(\.shape), model.parameters.map(\.shape), "\(hidden)")
      XCTAssertEqual(hand.cost, tape.cost, accuracy: 1e-15, "\(hidden)")
      XCTAssertLessThan(
        ScratchBackprop.maxDifference(hand.gradients, tape.gradients), 1e-10, "\(hidden)")
      // Not trivially zero: the gradients carry signal.
      XCTAssertGreaterThan(hand.gradients.reduce(0) { max($0, $1.abs().max().item()) }, 1e-6)
    }
  }

  func testHandGradientsMatchFiniteDifferences() {
    var generator = SeededGenerator(seed: 11)
    let model = makeMLP(
      inputSize: 3, hidden: [4], outputSize: 10, activation: .sigmoid, dtype: .float64,
      using: &generator)
    let layers = linearLayers(of: model)
    let (x, _, y) = batch(5, inputs: 3, using: &generator)
    let hand = ScratchBackprop.handGradients(layers: layers, inputs: x, targets: y).gradients
    let weight = layers[0].weight
    let epsilon = 1e-6
    for index in [0, 5, 11] {
      let original = weight[flat: index]
      weight[flat: index] = original + epsilon
      let up = ScratchBackprop.handGradients(layers: layers, inputs: x, targets: y).cost
      weight[flat: index] = original - epsilon
      let down = ScratchBackprop.handGradients(layers: layers, inputs: x, targets: y).cost
      weight[flat: index] = original
      XCTAssertEqual(hand[0][flat: index], (up - down) / (2 * epsilon), accuracy: 1e-9)
    }
  }

  func testOneHotMarksTheLabelColumn() {
    let y = ScratchBackprop.oneHot(Tensor([2, 0, 9], dtype: .float64), classes: 10)
    XCTAssertEqual(y.shape, [3, 10])
    XCTAssertEqual(y.sum().item(), 3)
    XCTAssertEqual(y[0, 2], 1)
    XCTAssertEqual(y[1, 0], 1)
    XCTAssertEqual(y[2, 9], 1)
  }

  func testScratchTrainerChecksEveryStepAndLearns() {
    var generator = SeededGenerator(seed: 5)
    // Ten separable clusters in 4 dimensions.
    var rows: [[Double]] = []
    var labels: [Double] = []
    for i in 0..<80 {
      let c = i % 10
      rows.append((0..<4).map { j in Double((c >> j) & 1) * 2 - 1 + 0.1 * generator.nextNormal() })
      rows[i].append(Double(c) / 5 - 1)
      labels.append(Double(c))
    }
    let data = TensorDataset(
      inputs: Tensor(rows, dtype: .float64), targets: Tensor(labels, dtype: .float64))
    let model = makeMLP(
      inputSize: 5, hidden: [16], outputSize: 10, activation: .sigmoid, dtype: .float64,
      using: &generator)
    let before = evaluate(model, head: .multiclass, on: data).accuracy
    let trainer = ScratchTrainer(
      model: model, epochs: 30, learningRate: 20, batchSize: 16, seed: 1, checkEvery: 1)
    let result = trainer.run(
      training: data, validation: data, console: Console(isTerminal: false))
    XCTAssertEqual(result.steps, 30 * 5)
    XCTAssertEqual(result.checkedSteps, result.steps)
    XCTAssertLessThan(result.maxGradientDifference, 1e-10)
    XCTAssertEqual(result.records.count, 30)
    XCTAssertGreaterThan(result.records.last?.training.accuracy ?? 0, max(0.5, before))
  }
}
