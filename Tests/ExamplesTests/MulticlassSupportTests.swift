import AutoGrad
import NN
import Optim
import XCTest

@testable import Examples

/// The helpers of the report-002 experiments (E6–E12): the multi-class perceptron, the choice
/// of dataset, the stand-in's splits, the feed-forward network, and weight decay through the
/// shared training loop.
final class MulticlassSupportTests: XCTestCase {
  func testPerceptronUpdateAddsInputToTrueRowAndSubtractsFromPredictedRow() {
    let perceptron = MulticlassPerceptron(classes: 3, features: 3)
    let x = Tensor([[1, 2, -1]])
    // All scores are 0: the prediction is class 0 (the first among ties), a mistake for 2.
    XCTAssertTrue(perceptron.update(x, label: 2))
    XCTAssertEqual(perceptron.weights.scalars(as: Double.self), [-1, -2, 1, 0, 0, 0, 1, 2, -1])
    // Now class 2 scores 1 + 4 + 1 = 6 and is predicted: no change.
    XCTAssertFalse(perceptron.update(x, label: 2))
    XCTAssertEqual(perceptron.weights.scalars(as: Double.self), [-1, -2, 1, 0, 0, 0, 1, 2, -1])
    // A mistake between classes 2 (predicted) and 1 moves only those two rows.
    XCTAssertTrue(perceptron.update(x, label: 1))
    XCTAssertEqual(perceptron.weights.scalars(as: Double.self), [-1, -2, 1, 1, 2, -1, 0, 0, 0])
  }

  func testPerceptronSeparatesLinearlySeparableClasses() {
    // Three clusters around (4, 0), (−4, 0) and (0, 4), with a bias input.
    let centres: [(Double, Double)] = [(4, 0), (-4, 0), (0, 4)]
    let offsets: [(Double, Double)] = [(0.5, 0.5), (-0.5, 0.3), (0.2, -0.6), (-0.3, -0.2)]
    var rows: [[Double]] = []
    var labels: [Double] = []
    for (label, centre) in centres.enumerated() {
      for offset in offsets {
        rows.append([centre.0 + offset.0, centre.1 + offset.1])
        labels.append(Double(label))
      }
    }
    let data = TensorDataset(inputs: withBiasColumn(Tensor(rows)), targets: Tensor(labels))
    XCTAssertEqual(data.inputs.shape, [12, 3])
    let perceptron = MulticlassPerceptron(classes: 3, features: 3)
    var mistakes: [Int] = []
    for epoch in 0..<20 {
      mistakes.append(
        perceptron.trainEpoch(
          data, epoch: epoch, seed: 1, console: Console(isTerminal: false), label: ""))
    }
    XCTAssertEqual(mistakes.last, 0, "mistakes per epoch: \(mistakes)")
    XCTAssertEqual(perceptron.accuracy(on: data), 1)
  }

  func testDatasetChoice() throws {
    XCTAssertEqual(try MulticlassDataset.resolve(nil, octmnistAvailable: true), .octmnist)
    XCTAssertEqual(try MulticlassDataset.resolve(nil, octmnistAvailable: false), .fashionMNIST)
    XCTAssertEqual(try MulticlassDataset.resolve("mnist", octmnistAvailable: true), .mnist)
    XCTAssertEqual(
      try MulticlassDataset.resolve("fashion-mnist", octmnistAvailable: false), .fashionMNIST)
    XCTAssertThrowsError(try MulticlassDataset.resolve("octmnist", octmnistAvailable: false))
    XCTAssertThrowsError(try MulticlassDataset.resolve("cifar", octmnistAvailable: true)) {
      guard case .invalidValue(let option, let value, _) = $0 as? OptionsError else {
        return XCTFail("expected invalidValue, got \($0)")
      }
      XCTAssertEqual(option, "dataset")
      XCTAssertEqual(value, "cifar")
    }
  }

  func testStandInSplitsAreDisjointSeededAndKeepTheTestFile() {
    // 20 one-pixel "images" whose pixel encodes the index, 10 test images.
    let train = ImageDataset(
      images: (0..<20).map { UInt8($0) }, labels: (0..<20).map { $0 % 3 }, rows: 1, cols: 1,
      classCount: 3)
    let test = ImageDataset(
      images: (100..<110).map { UInt8($0) }, labels: Array(repeating: 1, count: 10), rows: 1,
      cols: 1, classCount: 3)
    let splits = MulticlassSplits.standIn(
      .fashionMNIST, train: train, test: test, validationCount: 5, seed: 7)
    func indices(_ data: TensorDataset) -> [Int] {
      data.inputs.scalars(as: Double.self).map { Int(($0 * 255).rounded()) }
    }
    let training = indices(splits.training)
    let validation = indices(splits.validation)
    XCTAssertEqual(training.count, 15)
    XCTAssertEqual(validation.count, 5)
    XCTAssertEqual(Set(training + validation), Set(0..<20))
    XCTAssertEqual(training, training.sorted(), "kept in file order")
    XCTAssertEqual(indices(splits.test), Array(100..<110))
    XCTAssertEqual(splits.classCount, 3)
    let again = MulticlassSplits.standIn(
      .fashionMNIST, train: train, test: test, validationCount: 5, seed: 7)
    XCTAssertEqual(indices(again.validation), validation)
    let cut = splits.prefixes(training: 4, validation: nil, test: 3)
    XCTAssertEqual(indices(cut.training), Array(training.prefix(4)))
    XCTAssertEqual(cut.validation.count, 5)
    XCTAssertEqual(cut.test.count, 3)
  }

  func testFeedforwardNetworkLayout() {
    let plain = makeFeedforwardNetwork(
      inputSize: 784, hiddenSize: 200, layers: 2, classes: 4, activation: .relu, dropout: 0,
      seed: 0)
    XCTAssertEqual(plain.layers.count, 5)
    XCTAssertEqual(plain.parameterCount, 784 * 200 + 200 + 200 * 200 + 200 + 200 * 4 + 4)
    let dropped = makeFeedforwardNetwork(
      inputSize: 784, hiddenSize: 200, layers: 2, classes: 4, activation: .relu, dropout: 0.2,
      seed: 0)
    XCTAssertEqual(dropped.layers.count, 7)
    XCTAssertTrue(dropped.layers[2] is Dropout && dropped.layers[5] is Dropout)
    XCTAssertEqual(dropped.parameterCount, plain.parameterCount)
    // Same seed, same initial weights, with or without dropout layers.
    let same = zip(plain.parameters, dropped.parameters).allSatisfy {
      $0.scalars(as: Float.self) == $1.scalars(as: Float.self)
    }
    XCTAssertTrue(same, "the dropout layers changed the initial weights")
  }

  func testWeightDecayMatchesSGDWeightDecay() {
    // One epoch of one batch: the loop's (λ/2)‖θ‖² penalty must give PyTorch's weight_decay λ.
    let inputs = Tensor([[0.5, -1, 2], [1, 0.25, -0.5]], dtype: .float64)
    let data = TensorDataset(inputs: inputs, targets: Tensor([1, 0], dtype: .float64))
    func model() -> Linear {
      var generator = SeededGenerator(seed: 3)
      return Linear(3, 2, dtype: .float64, using: &generator)
    }
    let looped = model()
    let training = MulticlassTraining(
      epochs: 1, batchSize: 2, learningRate: 0.5, weightDecay: 0.1, seed: 0)
    _ = training.run(
      looped, training: data, validation: data, console: Console(isTerminal: false))

    let reference = model()
    let optimizer = SGD(parameters: reference.parameters, learningRate: 0.5, weightDecay: 0.1)
    CrossEntropyLoss()(reference(inputs), data.targets).backward()
    optimizer.step()
    for (a, b) in zip(looped.parameters, reference.parameters) {
      for (x, y) in zip(a.scalars(as: Double.self), b.scalars(as: Double.self)) {
        XCTAssertEqual(x, y, accuracy: 1e-12)
      }
    }
  }

  func testBestAndWorstIndexTakeTheFirstAmongEqualsAndSkipNaN() {
    XCTAssertEqual(MulticlassReport.bestIndex([0.5, 0.8, 0.8, 0.1]), 1)
    XCTAssertEqual(MulticlassReport.worstIndex([0.5, 0.1, 0.8, 0.1]), 1)
    XCTAssertEqual(MulticlassReport.bestIndex([.nan, 0.3, 0.2]), 1)
  }

  func testLongRunWarningOnlyAboveFiveMinutes() {
    XCTAssertNil(MulticlassReport.longRunWarning(elapsed: 10, fractionDone: 0.05))
    XCTAssertNotNil(MulticlassReport.longRunWarning(elapsed: 20, fractionDone: 0.05))
  }
}
