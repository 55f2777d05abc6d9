import AutoGrad
import Foundation
import NN

// Shared by the MNIST experiments of report 004 and the written answers measured
// (`mnist-scratch-mse`, `mnist-ce`, `time-based-lr`, `generalization-curves`, `batchnorm`):
// an MLP builder, MNIST split into training, validation and test sets, and an epoch-by-epoch
// driver around `trainClassifier` (TrainingLoop.swift) that can change the learning rate
// between epochs and scores the model in evaluation mode (BatchNorm's running statistics).

/// The activation of an MLP's hidden layers.
enum HiddenActivation: String, CaseIterable, OptionChoice {
  case sigmoid, relu, tanh

  /// A fresh activation module.
  func module() -> any Module {
    switch self {
    case .sigmoid: return Sigmoid()
    case .relu: return ReLU()
    case .tanh: return Tanh()
    }
  }
}

/// A multi-layer perceptron `inputSize → hidden[0] → … → outputSize` giving logits: each hidden
/// layer is `Linear`, then `BatchNorm1d` if asked (before the activation, as in Ioffe &
/// Szegedy), then the activation; the last layer is a bare `Linear`. Layers take PyTorch's
/// default initialisation from `generator`.
func makeMLP(
  inputSize: Int, hidden: [Int], outputSize: Int, activation: HiddenActivation,
  batchNorm: Bool = false, dtype: DType = .float32, using generator: inout SeededGenerator
) -> Sequential {
  var layers: [any Module] = []
  var width = inputSize
  for size in hidden {
    layers.append(Linear(width, size, dtype: dtype, using: &generator))
    if batchNorm { layers.append(BatchNorm1d(size, dtype: dtype)) }
    layers.append(activation.module())
    width = size
  }
  layers.append(Linear(width, outputSize, dtype: dtype, using: &generator))
  return Sequential(layers)
}

/// The `Linear` layers of a model built by `makeMLP`, in order.
func linearLayers(of model: Sequential) -> [Linear] {
  model.layers.compactMap { $0 as? Linear }
}

/// Reads `--hidden`-style lists of layer widths: whole numbers ≥ 1.
func layerSizes(_ values: [Double], option: String) throws(OptionsError) -> [Int] {
  guard values.allSatisfy({ $0 >= 1 && $0 == $0.rounded() && $0 <= 1_000_000 }) else {
    throw OptionsError.invalidValue(
      option: option, value: values.map(Format.shortest).joined(separator: ","),
      expected: "a comma-separated list of positive whole numbers")
  }
  return values.map { Int($0) }
}

/// MNIST as three labelled sets: images `[N, 784]` in [0, 1] and class indices `[N]`.
struct MNISTSplits {
  /// The sizes of the three sets, as options shared by the report-004 experiments.
  static let trainSize = Option<Int>(
    "train-size", default: 10_000, quick: 1000, range: 10...50_000,
    help: "first N training images")
  static let validationSize = Option<Int>(
    "validation-size", default: 10_000, quick: 1000, range: 10...10_000,
    help: "last N training images, for validation")
  static let testSize = Option<Int>(
    "test-size", default: 10_000, quick: 1000, range: 10...10_000, help: "first N test images")

  /// The first `trainingSize` images of the training file.
  let training: TensorDataset
  /// The last `validationSize` images of the training file (never among the training images).
  let validation: TensorDataset
  /// The first `testSize` images of the test file.
  let test: TensorDataset
}

extension RunContext {
  /// Loads MNIST (fetching it on first use) and cuts it into `MNISTSplits`.
  ///
  /// - Precondition: `trainingSize + validationSize ≤ 60,000`.
  func loadMNISTSplits(
    trainingSize: Int, validationSize: Int, testSize: Int, dtype: DType = .float32
  ) throws -> MNISTSplits {
    let trainFile = try loadMNIST(.train)
    precondition(
      trainingSize + validationSize <= trainFile.count,
      "loadMNISTSplits: \(trainingSize) + \(validationSize) images from \(trainFile.count)")
    func tensors(_ images: ImageDataset) -> TensorDataset {
      TensorDataset(
        inputs: images.features(dtype: dtype), targets: images.labelsTensor(dtype: dtype))
    }
    return MNISTSplits(
      training: tensors(trainFile.prefix(trainingSize)),
      validation: tensors(trainFile.suffix(validationSize)),
      test: tensors(try loadMNIST(.test).prefix(testSize)))
  }
}

/// The figures of one epoch, as the report-004 notebook prints them.
struct EpochRecord {
  /// 1-based.
  var epoch: Int
  /// The learning rate used during the epoch.
  var learningRate: Double
  /// Mean mini-batch loss over the epoch (the loss that was minimised).
  var meanLoss: Double
  /// The whole training set, scored after the epoch.
  var training: Evaluation
  /// The validation set, scored after the epoch.
  var validation: Evaluation
  /// Training time of the epoch, evaluations excluded.
  var seconds: Double

  /// `Epoch: 3, Training Time: 4.21s, Training Accuracy: 91.20%, Validation Accuracy: 90.85%`
  /// — the layout of the notebook's `_print_learning_progress` (its time is cumulative).
  func line(cumulativeSeconds: Double, showsLearningRate: Bool = false) -> String {
    var text = "Epoch: \(epoch), "
    if showsLearningRate { text += "Learning Rate: " + Format.fixed(learningRate, 4) + ", " }
    text += "Training Time: " + Format.fixed(cumulativeSeconds, 2) + "s, "
    text += "Training Accuracy: " + Format.fixed(training.accuracy * 100, 2) + "%, "
    text += "Validation Accuracy: " + Format.fixed(validation.accuracy * 100, 2) + "%"
    return text
  }
}

/// Scores `model` in evaluation mode (BatchNorm on its running statistics, Dropout off), then
/// puts it back in training mode.
func evaluateInEvalMode(
  _ model: any Module, head: ClassifierHead = .multiclass, on data: TensorDataset
) -> Evaluation {
  model.eval()
  defer { model.train() }
  return evaluate(model, head: head, on: data)
}

/// Mini-batch SGD driven one epoch at a time through `trainClassifier`, so that the learning
/// rate can change between epochs (`learningRate(epoch)`, epoch counted from 0) and the model
/// is scored in evaluation mode on the whole training set and the validation set after each
/// epoch. Plain SGD keeps no state between steps, so this is the same as one long run with a
/// scheduler stepped per epoch. Each epoch visits the samples in its own seeded permutation.
///
/// A last batch smaller than `batchSize` is skipped (`dropLast`): a handful of samples gives
/// BatchNorm noisy batch statistics, and at a high learning rate such a step, taken right before
/// the evaluation, can cost tens of points of accuracy.
struct EpochwiseTraining {
  var epochs: Int
  var batchSize: Int
  /// η as a function of the epoch index t = 0, 1, …
  var learningRate: (Int) -> Double
  var seed: UInt64
  var shuffle = true
  /// Skip a final partial batch in every epoch.
  var dropLast = true
  /// Score the whole training set after each epoch (otherwise its figures are NaN).
  var scoresTrainingSet = true

  /// Trains `model` and returns one record per epoch; `onEpoch` sees each as it completes.
  func run(
    _ model: any Module, head: ClassifierHead = .multiclass, training: TensorDataset,
    validation: TensorDataset, console: Console, label: String = "",
    onEpoch: (EpochRecord) -> Void = { _ in }
  ) -> [EpochRecord] {
    var records: [EpochRecord] = []
    model.train()
    for epoch in 0..<epochs {
      let rate = learningRate(epoch)
      let plan = TrainingPlan(
        epochs: 1, batchSize: batchSize, learningRate: rate, shuffle: shuffle,
        seed: Self.epochSeed(seed, epoch), dropLast: dropLast)
      let epochLabel = (label.isEmpty ? "" : label + "  ") + "epoch \(epoch + 1)/\(epochs)"
      let history = trainClassifier(
        model, head: head, training: training, validation: [], plan: plan, console: console,
        label: epochLabel)
      let unscored = Evaluation(loss: .nan, correct: 0, count: 0)
      let record = EpochRecord(
        epoch: epoch + 1, learningRate: rate, meanLoss: history.epochs.first?.meanLoss ?? .nan,
        training: scoresTrainingSet
          ? evaluateInEvalMode(model, head: head, on: training) : unscored,
        validation: evaluateInEvalMode(model, head: head, on: validation),
        seconds: history.epochs.first?.seconds ?? 0)
      records.append(record)
      onEpoch(record)
    }
    return records
  }

  /// The shuffling seed of epoch `epoch`: the run's seed mixed with the epoch (SplitMix64's
  /// finaliser), so that every epoch has its own permutation.
  static func epochSeed(_ seed: UInt64, _ epoch: Int) -> UInt64 {
    var z = seed &+ UInt64(epoch + 1) &* 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

extension [EpochRecord] {
  /// Training and validation accuracy per epoch for several runs: each run in its own colour,
  /// training solid, validation dashed.
  static func accuracyChart(
    title: String, runs: [(name: String, records: [EpochRecord])], yLabel: String = "accuracy"
  ) -> SVGChart {
    var chart = SVGChart(title: title, xLabel: "epoch", yLabel: yLabel)
    for (index, run) in runs.enumerated() {
      let prefix = runs.count > 1 ? run.name + ", " : ""
      chart.add(prefix + "training", y: run.records.map(\.training.accuracy), colorIndex: index)
      chart.add(
        prefix + "validation", y: run.records.map(\.validation.accuracy), colorIndex: index,
        dashed: true)
    }
    return chart
  }

  /// Validation accuracy per epoch.
  var validationAccuracies: [Double] { map(\.validation.accuracy) }
  /// Training-set accuracy per epoch.
  var trainingAccuracies: [Double] { map(\.training.accuracy) }
}
