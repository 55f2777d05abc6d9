import AutoGrad
import NN
import XCTest

@testable import Examples

/// The shared classification loop: prediction and scoring, the evaluation schedule of report
/// 003's trainer, early stopping, the L2 penalty, and reproducibility — on tiny synthetic data.
final class TrainingLoopTests: XCTestCase {
  // MARK: - Heads

  func testMulticlassPredictionsTakeTheFirstLargestLogit() {
    let logits = Tensor([[0.1, 2, -1], [3, 3, 0], [-5, -4, -6]])
    XCTAssertEqual(ClassifierHead.multiclass.predictions(logits), [1, 0, 1])
    XCTAssertEqual(ClassifierHead.multiclass.correctCount(logits, Tensor([1, 1, 1])), 2)
  }

  func testBinaryPredictionIsClassOneForPositiveLogits() {
    let logits = Tensor([[2], [-0.5], [0], [0.01]])
    XCTAssertEqual(ClassifierHead.binary.predictions(logits), [1, 0, 0, 1])
    XCTAssertEqual(ClassifierHead.binary.correctCount(logits, Tensor([1, 0, 1, 1])), 3)
  }

  func testBinaryLossEqualsCrossEntropyOfTheSigmoid() {
    let logits = Tensor([[0.3], [-1.2], [2.5]], dtype: .float64)
    let targets = Tensor([1, 0, 0], dtype: .float64)
    let p = logits.reshape([3]).sigmoid()
    let expected = -(targets * p.log() + (1 - targets) * (1 - p).log()).mean()
    let loss = ClassifierHead.binary.loss(logits, targets)
    XCTAssertEqual(loss.item(), expected.item(), accuracy: 1e-12)
  }

  // MARK: - Evaluation

  func testEvaluateAveragesTheLossOverSamplesAcrossBatches() {
    let layer = Linear(2, 3, using: &generator)
    let data = TensorDataset(
      inputs: Tensor([[1, 0], [0, 1], [1, 1], [-1, 2], [0.5, 0.5]]),
      targets: Tensor([0, 1, 2, 1, 0]))
    let whole = ClassifierHead.multiclass.loss(layer(data.inputs), data.targets).item()
    let inPieces = evaluate(layer, head: .multiclass, on: data, batchSize: 2)
    XCTAssertEqual(inPieces.loss, whole, accuracy: 1e-6)
    XCTAssertEqual(inPieces.count, 5)
    XCTAssertEqual(
      inPieces.correct, ClassifierHead.multiclass.correctCount(layer(data.inputs), data.targets))
    XCTAssertEqual(Evaluation(loss: 0, correct: 3, count: 4).accuracy, 0.75)
  }

  // MARK: - Schedule

  func testReport003ScheduleScoresEveryFifthOfAnEpochCountedOverTheRun() {
    // 28 batches per epoch, 5 evaluations per epoch: every 5 steps of the global count, so
    // epoch boundaries line up with evaluations only every 5 epochs (the report's "10 spikes").
    XCTAssertEqual(
      EvaluationSchedule.stepsBetweenEvaluations(batchesPerEpoch: 28, timesPerEpoch: 5), 5)
    let schedule = EvaluationSchedule.timesPerEpoch(5)
    let steps = (0..<56).filter {
      schedule.evaluates(step: $0, stepInEpoch: $0 % 28, batchesPerEpoch: 28)
    }
    XCTAssertEqual(steps, [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55])
    XCTAssertEqual(
      EvaluationSchedule.stepsBetweenEvaluations(batchesPerEpoch: 3, timesPerEpoch: 5), 1)
  }

  func testEndOfEpochScheduleScoresAfterTheLastBatch() {
    let steps = (0..<9).filter {
      EvaluationSchedule.endOfEpoch.evaluates(step: $0, stepInEpoch: $0 % 3, batchesPerEpoch: 3)
    }
    XCTAssertEqual(steps, [2, 5, 8])
  }

  // MARK: - Training

  func testTrainingSeparatesTwoBlobsAndRecordsEveryStepAndEpoch() {
    let data = blobs(count: 64)
    var plan = TrainingPlan(epochs: 5, batchSize: 16, learningRate: 0.5)
    plan.evaluateTrainingSet = true
    let history = trainClassifier(
      zeroInitializedLinear(2, 1), head: .binary, training: data, validation: [data], plan: plan,
      console: quiet)
    XCTAssertEqual(history.batchesPerEpoch, 4)
    XCTAssertEqual(history.stepLosses.count, 20)
    XCTAssertEqual(history.epochs.map(\.epoch), [1, 2, 3, 4, 5])
    XCTAssertEqual(history.evaluations.map(\.step), [3, 7, 11, 15, 19])
    XCTAssertEqual(history.evaluations.map(\.epoch), [1, 2, 3, 4, 5])
    XCTAssertEqual(history.finalAccuracy(), 1)
    XCTAssertEqual(history.evaluations.last?.training?.accuracy, 1)
    XCTAssertLessThan(history.stepLosses.last ?? 1, history.stepLosses[0])
    XCTAssertNil(history.stopStep)
  }

  func testDropLastSkipsThePartialBatch() {
    var plan = TrainingPlan(epochs: 1, batchSize: 10, learningRate: 0.1)
    plan.dropLast = true
    let history = trainClassifier(
      zeroInitializedLinear(2, 1), head: .binary, training: blobs(count: 64), validation: [],
      plan: plan, console: quiet)
    XCTAssertEqual(history.stepLosses.count, 6)
  }

  func testEarlyStoppingStopsAfterPatienceEvaluationsWithoutImprovement() {
    // Learning rate 0: the validation loss never changes, so the first evaluation is the best
    // and the stop comes `patience` evaluations later.
    let data = blobs(count: 32)
    var plan = TrainingPlan(epochs: 20, batchSize: 8, learningRate: 0)
    plan.evaluation = .timesPerEpoch(2)
    plan.earlyStoppingPatience = 3
    let stopped = trainClassifier(
      zeroInitializedLinear(2, 1), head: .binary, training: data, validation: [data], plan: plan,
      console: quiet)
    XCTAssertEqual(stopped.evaluations.map(\.step), [0, 2, 4, 6])
    XCTAssertEqual(stopped.stopStep, 6)
    XCTAssertEqual(stopped.bestStep, 0)
    XCTAssertEqual(stopped.bestLoss ?? 0, 0.693_147, accuracy: 1e-5)
    XCTAssertTrue(stopped.stoppedEarly)
    XCTAssertEqual(stopped.stepLosses.count, 7)

    plan.continueAfterStopping = true
    let full = trainClassifier(
      zeroInitializedLinear(2, 1), head: .binary, training: data, validation: [data], plan: plan,
      console: quiet)
    XCTAssertEqual(full.stopStep, 6)
    XCTAssertFalse(full.stoppedEarly)
    XCTAssertEqual(full.stepLosses.count, 80)
  }

  func testAccuracyMonitorTreatsATieAsNoImprovement() {
    let data = blobs(count: 32)
    var plan = TrainingPlan(epochs: 10, batchSize: 8, learningRate: 0.5)
    plan.earlyStoppingPatience = 2
    plan.earlyStoppingMonitor = .accuracy
    let history = trainClassifier(
      zeroInitializedLinear(2, 1), head: .binary, training: data, validation: [data], plan: plan,
      console: quiet)
    // Perfect after the first epoch, then two ties: stop at the end of epoch 3.
    XCTAssertEqual(history.bestValue, 1)
    XCTAssertEqual(history.bestStep, 3)
    XCTAssertEqual(history.stopStep, 11)
  }

  func testSameSeedGivesTheSameShuffledRunAndAnotherSeedAnotherOne() {
    let data = blobs(count: 48)
    func run(seed: UInt64) -> [Double] {
      var plan = TrainingPlan(epochs: 3, batchSize: 8, learningRate: 0.3)
      plan.shuffle = true
      plan.seed = seed
      return trainClassifier(
        zeroInitializedLinear(2, 1), head: .binary, training: data, validation: [], plan: plan,
        console: quiet
      ).stepLosses
    }
    XCTAssertEqual(run(seed: 4), run(seed: 4))
    XCTAssertNotEqual(run(seed: 4), run(seed: 5))
  }

  // MARK: - Penalty

  func testSquaredNormGradientIsTwiceTheParameters() {
    let w = Tensor([[1, -2], [0.5, 3]], dtype: .float64, requiresGrad: true)
    let b = Tensor([-1, 4], dtype: .float64, requiresGrad: true)
    let norm = squaredNorm([w, b])
    XCTAssertEqual(norm.item(), 31.25)  // 1 + 4 + 0.25 + 9 + 1 + 16
    XCTAssertEqual(squaredNormValue([w, b]), norm.item())
    norm.backward()
    XCTAssertEqual(w.grad?.scalars(as: Double.self), [2, -4, 1, 6])
    XCTAssertEqual(b.grad?.scalars(as: Double.self), [-2, 8])
  }

  func testL2PenaltyAloneShrinksWeightsGeometrically() {
    // With a learning rate η and a data gradient of 0 (zero inputs, balanced targets, zero
    // bias), each step multiplies the weights by 1 − 2ηλ.
    let layer = zeroInitializedLinear(2, 1)
    layer.weight.assign(from: Tensor([[1, -2]]))
    let data = TensorDataset(inputs: Tensor.zeros([4, 2]), targets: Tensor([0, 1, 0, 1]))
    var plan = TrainingPlan(epochs: 3, batchSize: 4, learningRate: 0.1)
    plan.l2Penalty = 0.5
    _ = trainClassifier(
      layer, head: .binary, training: data, validation: [], plan: plan, console: quiet)
    let factor = 0.9 * 0.9 * 0.9
    let weights = layer.weight.scalars(as: Double.self)
    XCTAssertEqual(weights[0], factor, accuracy: 1e-6)
    XCTAssertEqual(weights[1], -2 * factor, accuracy: 1e-6)
  }

  // MARK: - Data and charts

  func testSignedPixelsMapZeroToMinusOneAndFullToOne() {
    let images = ImageDataset(
      images: [0, 255, 51, 204], labels: [3], rows: 2, cols: 2, classCount: 10)
    let signed = PixelRange.signed.features(images).scalars(as: Double.self)
    let unit = PixelRange.unit.features(images).scalars(as: Double.self)
    for (value, expected) in zip(signed, [-1, 1, -0.6, 0.6]) {
      XCTAssertEqual(value, expected, accuracy: 1e-6)
    }
    for (value, expected) in zip(unit, [0, 1, 0.2, 0.8]) {
      XCTAssertEqual(value, expected, accuracy: 1e-6)
    }
  }

  func testZeroInitializedLinearStartsAtZero() {
    let layer = zeroInitializedLinear(784, 10)
    XCTAssertEqual(squaredNormValue(layer.parameters), 0)
    XCTAssertEqual(layer.parameters.map(\.shape), [[10, 784], [10]])
  }

  func testAccuracyZoomLeavesRoomBelowTheLowestValue() {
    let zoom = TrainingHistory.accuracyZoom([0.9, 0.95, .nan])
    XCTAssertEqual(zoom?.lowerBound ?? 0, 0.88, accuracy: 1e-12)
    XCTAssertEqual(zoom?.upperBound, 1)
    XCTAssertNil(TrainingHistory.accuracyZoom([]))
    XCTAssertNil(TrainingHistory.accuracyZoom([1, 1]))
  }

  func testThinningAveragesWindowsAtTheirMiddleStep() {
    let (x, y, window) = TrainingHistory.thinned([1, 2, 3, 4, 5, 6, 7], maxPoints: 3)
    XCTAssertEqual(window, 3)
    XCTAssertEqual(x, [1, 4, 6])
    XCTAssertEqual(y, [2, 5, 7])
    XCTAssertEqual(TrainingHistory.thinned([4, 5], maxPoints: 3).window, 1)
  }

  // MARK: - Helpers

  private var generator = SeededGenerator(seed: 11)
  private let quiet = Console(isTerminal: false)

  /// Two separable blobs: class 1 around (1, 1), class 0 around (−1, −1), interleaved.
  private func blobs(count: Int) -> TensorDataset {
    var random = SeededGenerator(seed: 3)
    var inputs: [Double] = []
    var targets: [Double] = []
    for index in 0..<count {
      let sign: Double = index % 2 == 0 ? 1 : -1
      inputs += [
        sign + Double.random(in: -0.3...0.3, using: &random),
        sign + Double.random(in: -0.3...0.3, using: &random),
      ]
      targets.append(index % 2 == 0 ? 1 : 0)
    }
    return TensorDataset(
      inputs: Tensor(shape: [count, 2], doubles: inputs), targets: Tensor(targets))
  }
}
