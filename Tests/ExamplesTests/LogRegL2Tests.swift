import AutoGrad
import Foundation
import NN
import XCTest

@testable import Examples

/// E5: the confidence formula, the choice of mistakes and of the best grid cell, one training
/// step against the hand-derived gradient, and the checkpoint round trip (no MNIST needed).
final class LogRegL2Tests: XCTestCase {
  private func assertClose(
    _ tensor: Tensor, _ expected: [Double], file: StaticString = #filePath, line: UInt = #line
  ) {
    let values = tensor.scalars(as: Double.self)
    XCTAssertEqual(values.count, expected.count, file: file, line: line)
    for (value, want) in zip(values, expected) {
      XCTAssertEqual(
        value, want, accuracy: 1e-6, "\(values) vs \(expected)", file: file, line: line)
    }
  }

  func testStandardizedPixelsUseTheTrainingStatistics() {
    // Two 1×3 images: pixel 0 never varies, pixel 1 is 0 or 255, pixel 2 is 51 or 153.
    let train = ImageDataset(
      images: [0, 0, 51, 0, 255, 153], labels: [0, 1], rows: 1, cols: 3, classCount: 2)
    let test = ImageDataset(images: [255, 255, 102], labels: [1], rows: 1, cols: 3, classCount: 2)
    let (x, testX) = PixelScale.standardized.designMatrices(train: train, test: test)
    // Mean 0 and deviation 1 per varying pixel; a constant pixel stays 0 (deviation taken as 1).
    assertClose(x, [0, -1, -1, 0, 1, 1])
    // Test pixels with the training mean and deviation: (1 − 0)/1, (1 − 0.5)/0.5, (0.4 − 0.4)/0.2.
    assertClose(testX, [1, 1, 0])
    let (withBias, _) = PixelScale.standardized.designMatrices(
      train: train, test: test, biasColumn: true)
    XCTAssertEqual(withBias.shape, [2, 4])
    assertClose(withBias, [1, 0, -1, -1, 1, 0, 1, 1])
    let (unit, _) = PixelScale.unit.designMatrices(train: train, test: test)
    assertClose(unit, [0, 0, 0.2, 0, 1, 0.6])
  }

  func testConfidenceIsDistanceFromTheThresholdPlusOneHalf() {
    XCTAssertEqual(BinaryClassifiers.confidence(probability: 0.9), 0.9, accuracy: 1e-12)
    XCTAssertEqual(BinaryClassifiers.confidence(probability: 0.1), 0.9, accuracy: 1e-12)
    XCTAssertEqual(BinaryClassifiers.confidence(probability: 0.5), 0.5)
    XCTAssertEqual(BinaryClassifiers.confidence(probability: 0), 1)
    XCTAssertEqual(BinaryClassifiers.confidence(probability: 1), 1)
  }

  func testMostConfidentMistakesAreSortedAndOnlyMistakes() {
    let probabilities = [0.99, 0.2, 0.7, 0.05, 0.5, 0.95, 0.3]
    let positives = [false, true, false, false, true, false, true]
    // Mistakes: 0 (p .99 for a 4), 1 (.2 for a 9), 2 (.7 for a 4), 4 (.5 is not > .5: a 4),
    // 5 (.95 for a 4), 6 (.3 for a 9). Index 3 is right.
    XCTAssertEqual(
      BinaryClassifiers.mostConfidentMistakes(
        probabilities: probabilities, positives: positives, limit: 10),
      [0, 5, 1, 2, 6, 4])
    XCTAssertEqual(
      BinaryClassifiers.mostConfidentMistakes(
        probabilities: probabilities, positives: positives, limit: 2),
      [0, 5])
  }

  func testBestCellIsTheFirstMaximumRowMajor() {
    // The report's sweep: 974 at (λ 0.01, lr 1) and at (λ 0.5, lr 1); it keeps the first.
    let grid = [[972, 972, 974], [971, 973, 974], [970, 972, 884]]
    XCTAssertTrue(BinaryClassifiers.bestCell(grid) == (row: 0, column: 2))
    XCTAssertTrue(BinaryClassifiers.bestCell([[1, 2], [3, 0]]) == (row: 1, column: 0))
  }

  func testOneStepFollowsTheRegularizedGradient() {
    // ∂/∂w [BCE + λ‖w‖²] = (1/n) Σ (σ(z) − y) x + 2λw; the bias is not penalised.
    let x = Tensor(shape: [3, 2], values: [Float(0.5), 1, -1, 0.25, 0.75, -0.5])
    let y = Tensor(shape: [3, 1], values: [Float(1), 0, 1])
    let (lambda, rate) = (0.3, 0.5)
    var generator = SeededGenerator(seed: 11)
    let initial = Linear(2, 1, using: &generator)
    let w0 = initial.weight.scalars(as: Double.self)
    let b0 = initial.bias!.item()
    let trained = LogRegL2.train(
      x: x, y: y, lambda: lambda, learningRate: rate, epochs: 1, seed: 11)
    let xs = x.scalars(as: Double.self)
    let ys = y.scalars(as: Double.self)
    var gradW = [0.0, 0.0]
    var gradB = 0.0
    for i in 0..<3 {
      let z = w0[0] * xs[2 * i] + w0[1] * xs[2 * i + 1] + b0
      let error = 1 / (1 + exp(-z)) - ys[i]
      gradW[0] += error * xs[2 * i] / 3
      gradW[1] += error * xs[2 * i + 1] / 3
      gradB += error / 3
    }
    let w1 = trained.model.weight.scalars(as: Double.self)
    for j in 0..<2 {
      XCTAssertEqual(w1[j], w0[j] - rate * (gradW[j] + 2 * lambda * w0[j]), accuracy: 1e-6)
    }
    XCTAssertEqual(trained.model.bias!.item(), b0 - rate * gradB, accuracy: 1e-6)
    XCTAssertEqual(
      trained.losses[0], trained.finalCrossEntropy + trained.finalPenalty, accuracy: 1e-6)
    XCTAssertEqual(
      trained.finalPenalty, lambda * (w0[0] * w0[0] + w0[1] * w0[1]), accuracy: 1e-6)
  }

  func testCheckpointReloadsIntoAFreshModelWithIdenticalPredictions() throws {
    var generator = SeededGenerator(seed: 3)
    let model = Linear(784, 1, using: &generator)
    let x = Tensor.rand([16, 784], using: &generator)
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("LogRegL2Tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent(LogRegL2.checkpointName).path
    try model.save(to: path)
    var other = SeededGenerator(seed: 4)
    let fresh = Linear(784, 1, using: &other)
    XCTAssertNotEqual(LogRegL2.probabilities(fresh, x), LogRegL2.probabilities(model, x))
    try fresh.load(from: path)
    XCTAssertEqual(
      LogRegL2.probabilities(fresh, x).map(\.bitPattern),
      LogRegL2.probabilities(model, x).map(\.bitPattern))
  }
}
