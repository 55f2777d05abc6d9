import AutoGrad
import Foundation
import NN
import Optim

// The classification training loop shared by the MNIST experiments of reports 001 and 003
// (`mlp-two-hidden`, `online-vs-minibatch`, `logreg-early-stopping`, `softmax-regression`,
// `softmax-l2`): mini-batch SGD, evaluation on a schedule, early stopping, timing, curves.

/// How a classifier's outputs are read: the loss that trains it and the class it predicts.
enum ClassifierHead {
  /// One logit per sample (`[N, 1]` or `[N]`), targets 0/1: sigmoid + binary cross-entropy,
  /// computed stably from the logit (`BCEWithLogitsLoss`, equal to `BCELoss` after a sigmoid);
  /// the prediction is class 1 when σ(z) > 0.5, i.e. z > 0.
  case binary
  /// One logit per class (`[N, C]`), targets class indices: softmax + cross-entropy; the
  /// prediction is the class with the largest logit (the first among ties).
  case multiclass

  /// The loss over a batch, summed or averaged over its samples.
  func loss(_ logits: Tensor, _ targets: Tensor, reduction: Reduction = .mean) -> Tensor {
    switch self {
    case .binary:
      return BCEWithLogitsLoss(reduction: reduction)(logits.reshape([logits.shape[0]]), targets)
    case .multiclass:
      return CrossEntropyLoss(reduction: reduction)(logits, targets)
    }
  }

  /// The predicted class of each row of `logits`.
  func predictions(_ logits: Tensor) -> [Int] {
    let values = logits.scalars(as: Double.self)
    let rows = logits.shape[0]
    switch self {
    case .binary:
      return values.map { $0 > 0 ? 1 : 0 }
    case .multiclass:
      let width = values.count / max(rows, 1)
      return (0..<rows).map { row in
        let scores = values[row * width..<(row + 1) * width]
        var best = scores.startIndex
        for index in scores.indices where scores[index] > scores[best] { best = index }
        return best - row * width
      }
    }
  }

  /// How many rows of `logits` predict their target (targets hold class indices or 0/1).
  func correctCount(_ logits: Tensor, _ targets: Tensor) -> Int {
    zip(predictions(logits), targets.scalars(as: Double.self)).count { Double($0) == $1 }
  }
}

/// Loss and accuracy of a model on a dataset.
struct Evaluation: Equatable {
  /// Mean loss per sample (the data term only, without any penalty).
  var loss: Double
  /// Correctly classified samples.
  var correct: Int
  /// Samples scored.
  var count: Int
  /// `correct / count`.
  var accuracy: Double { count == 0 ? .nan : Double(correct) / Double(count) }
}

/// Scores `model` on `data` without recording a tape, `batchSize` samples at a time. The
/// model's training mode is left as it is (switch Dropout and BatchNorm off first if needed).
func evaluate(
  _ model: any Module, head: ClassifierHead, on data: TensorDataset, batchSize: Int = 1000
) -> Evaluation {
  withoutGrad {
    var total = 0.0
    var correct = 0
    for (x, y) in DataLoader(data, batchSize: batchSize) {
      let logits = model(x)
      total += head.loss(logits, y, reduction: .sum).item()
      correct += head.correctCount(logits, y)
    }
    return Evaluation(
      loss: data.count == 0 ? .nan : total / Double(data.count), correct: correct,
      count: data.count)
  }
}

/// The validation figure early stopping watches.
enum StoppingMonitor: String, CaseIterable, OptionChoice {
  /// The validation loss, which must fall (report 003's criterion).
  case loss
  /// The validation accuracy, which must rise (a tie is no improvement).
  case accuracy
}

/// When the loop scores the model on its validation sets.
enum EvaluationSchedule: Equatable {
  /// After the last step of every epoch.
  case endOfEpoch
  /// Report 003's trainer: after every step whose global index (0, 1, 2, … over the whole
  /// run, not reset per epoch) is a multiple of `⌊batches per epoch / n⌋`, so about `n` times
  /// per epoch, starting after the very first step.
  case timesPerEpoch(Int)

  /// The steps between evaluations for the `timesPerEpoch` schedule (at least 1).
  static func stepsBetweenEvaluations(batchesPerEpoch: Int, timesPerEpoch: Int) -> Int {
    max(1, batchesPerEpoch / max(1, timesPerEpoch))
  }

  /// Whether to evaluate after global step `step` (0-based), which is step `stepInEpoch` of an
  /// epoch of `batchesPerEpoch` steps.
  func evaluates(step: Int, stepInEpoch: Int, batchesPerEpoch: Int) -> Bool {
    switch self {
    case .endOfEpoch:
      return stepInEpoch == batchesPerEpoch - 1
    case .timesPerEpoch(let n):
      let every = Self.stepsBetweenEvaluations(batchesPerEpoch: batchesPerEpoch, timesPerEpoch: n)
      return step % every == 0
    }
  }
}

/// Everything that defines one training run apart from the model and the data.
struct TrainingPlan {
  var epochs: Int
  var batchSize: Int
  var learningRate: Double
  /// Visit each epoch in a fresh seeded permutation (`DataLoader`'s shuffle).
  var shuffle = false
  /// Seed of the shuffles.
  var seed: UInt64 = 0
  /// Skip a final partial batch (report 003's trainer does: `N // batch_size` steps).
  var dropLast = false
  var evaluation = EvaluationSchedule.endOfEpoch
  /// Also score the whole training set at each evaluation (report 003's curves); otherwise the
  /// training figures are the running means over the epoch's batches.
  var evaluateTrainingSet = false
  /// λ of an L2 penalty `λ·Σ‖θ‖²` over every parameter, added to the loss that is
  /// differentiated (its gradient is `2λθ`); the recorded losses are the data term only.
  var l2Penalty = 0.0
  /// Patience, in evaluations, of early stopping on the first validation set; `nil` for none.
  var earlyStoppingPatience: Int?
  /// What early stopping watches on the first validation set.
  var earlyStoppingMonitor = StoppingMonitor.loss
  /// Keep training after early stopping fires (to draw the whole curves); the step where it
  /// fired is recorded either way. Training is deterministic, so the stopped run is exactly
  /// this run's beginning.
  var continueAfterStopping = false
}

/// The figures of one evaluation.
struct EvaluationPoint {
  /// Global step (0-based) after which the model was scored.
  var step: Int
  /// Epochs done, fractional: `(step + 1) / batches per epoch`.
  var epoch: Double
  /// The whole training set, when the plan asks for it.
  var training: Evaluation?
  /// One per validation set, in the order given.
  var validation: [Evaluation]
}

/// The figures of one epoch of training.
struct EpochSummary {
  /// 1-based.
  var epoch: Int
  /// Mean mini-batch loss (data term) over the epoch.
  var meanLoss: Double
  /// Fraction of the epoch's training samples classified correctly when their batch was seen.
  var runningAccuracy: Double
  /// Time spent in the epoch's training steps (evaluations excluded).
  var seconds: Double
  /// The evaluation at the end of the epoch, if one happened there.
  var evaluation: EvaluationPoint?
}

/// What a training run produced.
struct TrainingHistory {
  var batchesPerEpoch = 0
  /// The mini-batch loss (data term) of every step, in order.
  var stepLosses: [Double] = []
  var epochs: [EpochSummary] = []
  var evaluations: [EvaluationPoint] = []
  /// The global step at which early stopping fired, if it did.
  var stopStep: Int?
  /// The step of the best monitored value seen up to the stop (or the end).
  var bestStep: Int?
  /// The best monitored value itself (validation loss or accuracy).
  var bestValue: Double?
  /// The first validation set's loss at `bestStep` (equal to `bestValue` when the loss is
  /// monitored).
  var bestLoss: Double? {
    evaluations.first { $0.step == bestStep }?.validation.first?.loss
  }
  /// Whether the loop ended at `stopStep` rather than after the last epoch.
  var stoppedEarly = false

  /// Training seconds per epoch.
  var epochSeconds: [Double] { epochs.map(\.seconds) }
  /// The last evaluation's accuracy on validation set `index`.
  func finalAccuracy(_ index: Int = 0) -> Double {
    evaluations.last.map { $0.validation[index].accuracy } ?? .nan
  }
}

/// Trains `model` with plain mini-batch SGD and returns its history.
///
/// Each step is `zeroGrad`, forward, loss (+ penalty), `backward`, `step`. The progress line
/// shows `label`, the epoch, and the running loss; `onEpoch` is called after every epoch (to
/// print a line while a long run goes on).
func trainClassifier(
  _ model: any Module, head: ClassifierHead, training: TensorDataset,
  validation: [TensorDataset], plan: TrainingPlan, console: Console, label: String = "",
  onEpoch: (EpochSummary) -> Void = { _ in }
) -> TrainingHistory {
  let parameters = model.parameters
  let optimizer = SGD(parameters: parameters, learningRate: plan.learningRate)
  let loader = DataLoader(
    training, batchSize: plan.batchSize, shuffle: plan.shuffle, seed: plan.seed,
    dropLast: plan.dropLast)
  var stopper = plan.earlyStoppingPatience.map {
    EarlyStopping(mode: plan.earlyStoppingMonitor == .loss ? .min : .max, patience: $0)
  }
  precondition(
    loader.batchCount > 0,
    "trainClassifier: \(training.count) samples make no batch of \(plan.batchSize)")
  var history = TrainingHistory(batchesPerEpoch: loader.batchCount)
  let clock = ContinuousClock()
  let prefix = label.isEmpty ? "" : label + "  "
  var step = 0

  epochs: for epoch in 1...plan.epochs {
    var seconds = 0.0
    var lossSum = 0.0
    var correct = 0
    var seen = 0
    func summary(_ evaluation: EvaluationPoint?) -> EpochSummary {
      EpochSummary(
        epoch: epoch, meanLoss: lossSum / Double(seen),
        runningAccuracy: Double(correct) / Double(seen), seconds: seconds, evaluation: evaluation)
    }
    var endOfEpochEvaluation: EvaluationPoint?
    for (stepInEpoch, (x, y)) in loader.batches(epoch: epoch - 1).enumerated() {
      let start = clock.now
      optimizer.zeroGrad()
      let logits = model(x)
      let loss = head.loss(logits, y)
      let objective = plan.l2Penalty > 0 ? loss + plan.l2Penalty * squaredNorm(parameters) : loss
      objective.backward()
      optimizer.step()
      seconds += (clock.now - start).seconds
      let value = loss.item()
      history.stepLosses.append(value)
      lossSum += value * Double(x.shape[0])
      correct += head.correctCount(logits, y)
      seen += x.shape[0]
      console.progress(
        "\(prefix)epoch \(epoch)/\(plan.epochs)", completed: stepInEpoch + 1,
        total: history.batchesPerEpoch, "loss \(Format.fixed(lossSum / Double(seen), 4))")

      if plan.evaluation.evaluates(
        step: step, stepInEpoch: stepInEpoch, batchesPerEpoch: history.batchesPerEpoch)
      {
        let point = EvaluationPoint(
          step: step, epoch: Double(step + 1) / Double(history.batchesPerEpoch),
          training: plan.evaluateTrainingSet ? evaluate(model, head: head, on: training) : nil,
          validation: validation.map { evaluate(model, head: head, on: $0) })
        history.evaluations.append(point)
        if stepInEpoch == history.batchesPerEpoch - 1 { endOfEpochEvaluation = point }
        if var current = stopper, history.stopStep == nil, let first = point.validation.first {
          current.update(
            plan.earlyStoppingMonitor == .loss ? first.loss : first.accuracy, step: step)
          stopper = current
          history.bestStep = current.bestStep
          history.bestValue = current.best
          if current.shouldStop {
            history.stopStep = step
            if !plan.continueAfterStopping {
              history.stoppedEarly = true
              history.epochs.append(summary(point))
              onEpoch(summary(point))
              break epochs
            }
          }
        }
      }
      step += 1
    }
    let finished = summary(endOfEpochEvaluation)
    history.epochs.append(finished)
    onEpoch(finished)
  }
  console.clearProgress()
  return history
}

/// `Σ‖θ‖²` over `parameters`, on the tape.
func squaredNorm(_ parameters: [Tensor]) -> Tensor {
  parameters.dropFirst().reduce(parameters[0].square().sum()) { $0 + $1.square().sum() }
}

/// `Σ‖θ‖²` as a number.
func squaredNormValue(_ parameters: [Tensor]) -> Double {
  parameters.reduce(0) { total, p in total + p.scalars(as: Double.self).reduce(0) { $0 + $1 * $1 } }
}

extension Duration {
  /// The duration in seconds, as a `Double`.
  var seconds: Double {
    let (whole, attoseconds) = components
    return Double(whole) + Double(attoseconds) * 1e-18
  }
}

/// A linear layer `inputs → outputs` with every weight and bias 0: report 003's initialisation,
/// also used by report 002's `logreg-multiclass` (the model is then the same for every seed;
/// only shuffling draws random numbers).
func zeroInitializedLinear(_ inputs: Int, _ outputs: Int) -> Linear {
  var generator = SeededGenerator(seed: 0)
  let layer = Linear(inputs, outputs, using: &generator)
  Init.zeros(layer.weight)
  if let bias = layer.bias { Init.zeros(bias) }
  return layer
}
