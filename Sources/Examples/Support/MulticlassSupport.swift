import AutoGrad
import Foundation
import NN

// Shared by the OCTMNIST experiments of report 002 (`perceptron-multiclass`, `logreg-multiclass`,
// `mlp-one-hidden`, `logreg-batched`, `ffn-batch-size`, `ffn-learning-rate`,
// `ffn-regularization`): the data (OCTMNIST, or a stand-in with the same three roles), the
// homework skeleton's feed-forward network, an epoch-by-epoch driver around `trainClassifier`
// (TrainingLoop.swift) with PyTorch's weight decay and evaluation mode. The printed per-epoch
// lines and comparison tables are in MulticlassReport.swift, the multi-class perceptron in
// PerceptronMulticlass.swift.

// MARK: - Data

/// The datasets the report-002 experiments run on: OCTMNIST, or a stand-in when `octmnist.npz`
/// is not in the data directory (it cannot be fetched on these machines).
enum MulticlassDataset: String, CaseIterable, Sendable {
  case octmnist
  case fashionMNIST = "fashion-mnist"
  case mnist

  /// The stand-in used when `--dataset` is not given and OCTMNIST is absent.
  static let standIn = MulticlassDataset.fashionMNIST

  /// Images held out of the stand-in's 60,000 training images for validation (10 %).
  static let standInValidationCount = 6000
  /// Seed of the stand-in's validation split. It is fixed, not `--seed`, so that every run and
  /// every experiment sees the same three sets, as OCTMNIST's fixed splits do.
  static let standInSplitSeed: UInt64 = 2023

  /// The name printed in tables and notices.
  var displayName: String {
    switch self {
    case .octmnist: return "OCTMNIST"
    case .fashionMNIST: return "Fashion-MNIST"
    case .mnist: return "MNIST"
    }
  }

  /// Whether figures on this dataset can be compared with the report's.
  var isStandIn: Bool { self != .octmnist }

  /// The dataset `--dataset` names, or, without the flag, OCTMNIST when its file is present
  /// and the stand-in otherwise.
  ///
  /// - Throws: `OptionsError.invalidValue` for an unknown name, or for `octmnist` when the
  ///   file is absent.
  static func resolve(_ requested: String?, octmnistAvailable: Bool) throws(OptionsError)
    -> MulticlassDataset
  {
    guard let requested else { return octmnistAvailable ? .octmnist : standIn }
    guard let dataset = MulticlassDataset(rawValue: requested) else {
      throw .invalidValue(
        option: "dataset", value: requested,
        expected: "one of " + allCases.map(\.rawValue).joined(separator: ", "))
    }
    if dataset == .octmnist && !octmnistAvailable {
      throw .invalidValue(
        option: "dataset", value: requested,
        expected: "a dataset that is present (octmnist.npz is not in the data directory; "
          + OCTMNIST.remedy + ")")
    }
    return dataset
  }
}

/// A dataset's three roles: training, validation (model selection) and test, each images
/// `[N, 784]` in [0, 1] (pixel / 255) with class indices `[N]`.
struct MulticlassSplits {
  let dataset: MulticlassDataset
  let training: TensorDataset
  let validation: TensorDataset
  let test: TensorDataset
  let classCount: Int

  /// Pixels per image (784).
  var inputSize: Int { training.inputs.shape[1] }

  /// The stand-in's roles from a 60,000/10,000 dataset: `validationCount` training images
  /// drawn at random (seeded) for validation, the rest for training (both kept in file
  /// order), and the test file as the test set.
  static func standIn(
    _ dataset: MulticlassDataset, train: ImageDataset, test: ImageDataset,
    validationCount: Int = MulticlassDataset.standInValidationCount,
    seed: UInt64 = MulticlassDataset.standInSplitSeed
  ) -> MulticlassSplits {
    let all = TensorDataset(inputs: train.features(), targets: train.labelsTensor())
    let (training, validation) = all.split(.random(count: validationCount, seed: seed))
    return MulticlassSplits(
      dataset: dataset, training: training, validation: validation,
      test: TensorDataset(inputs: test.features(), targets: test.labelsTensor()),
      classCount: train.classCount)
  }

  /// The first `training`, `validation` and `test` samples of each set (`nil`: all of it).
  func prefixes(training: Int?, validation: Int?, test: Int?) -> MulticlassSplits {
    func cut(_ data: TensorDataset, _ n: Int?) -> TensorDataset {
      guard let n, n < data.count else { return data }
      return data.subset(Array(0..<n))
    }
    return MulticlassSplits(
      dataset: dataset, training: cut(self.training, training),
      validation: cut(self.validation, validation), test: cut(self.test, test),
      classCount: classCount)
  }
}

extension RunContext {
  /// The dataset of this run (see `MulticlassDataset.resolve`), recorded as `results.dataset`.
  /// Call it from `init(context:)`: it only checks whether `octmnist.npz` exists.
  func multiclassDataset() throws(OptionsError) -> MulticlassDataset {
    let dataset = try MulticlassDataset.resolve(
      options.dataset, octmnistAvailable: octmnistAvailable)
    results.dataset = dataset.rawValue
    return dataset
  }

  /// Whether `octmnist.npz` is in the data directory.
  private var octmnistAvailable: Bool {
    (try? dataDirectory.locate(dataset: "OCTMNIST", candidates: OCTMNIST.candidates)) != nil
  }

  /// Loads `dataset` in its three roles and keeps the first `trainSize` training images (0:
  /// all); `--quick` also keeps only the first 1,000 validation and test images. Prints the
  /// sizes, and for a stand-in a notice that the figures are not comparable with the report's.
  func loadMulticlassSplits(_ dataset: MulticlassDataset, trainSize: Int) throws
    -> MulticlassSplits
  {
    let full: MulticlassSplits
    switch dataset {
    case .octmnist:
      guard let train = try loadOCTMNIST(.train), let validation = try loadOCTMNIST(.validation),
        let test = try loadOCTMNIST(.test)
      else { throw DataSupportError.fetchFailed(OCTMNIST.remedy) }
      func tensors(_ images: ImageDataset) -> TensorDataset {
        TensorDataset(inputs: images.features(), targets: images.labelsTensor())
      }
      full = MulticlassSplits(
        dataset: dataset, training: tensors(train), validation: tensors(validation),
        test: tensors(test), classCount: train.classCount)
    case .fashionMNIST, .mnist:
      let variant: MNIST.Variant = dataset == .mnist ? .digits : .fashion
      full = MulticlassSplits.standIn(
        dataset, train: try loadMNIST(.train, variant: variant),
        test: try loadMNIST(.test, variant: variant))
    }
    let cap = quick ? 1000 : nil
    let splits = full.prefixes(
      training: trainSize > 0 ? trainSize : nil, validation: cap, test: cap)
    if dataset.isStandIn {
      console.notice(
        "running on the \(dataset.displayName) stand-in, not OCTMNIST (octmnist.npz is "
          + (octmnistAvailable ? "present but not chosen" : "not in the data directory")
          + "): the figures are NOT comparable with report 002's. Validation set: "
          + "\(MulticlassDataset.standInValidationCount) of the 60000 training images, drawn "
          + "with seed \(MulticlassDataset.standInSplitSeed).")
    }
    let role = dataset.isStandIn ? " (stand-in for OCTMNIST; not comparable)" : ""
    console.print(
      "Data: \(dataset.displayName)\(role), \(splits.classCount) classes; "
        + "\(splits.training.count) training, \(splits.validation.count) validation, "
        + "\(splits.test.count) test images")
    results.recordParameter("trainImages", splits.training.count)
    results.recordParameter("validationImages", splits.validation.count)
    results.recordParameter("testImages", splits.test.count)
    return splits
  }
}

// MARK: - Networks and training

/// The homework skeleton's `FeedforwardNetwork`: `layers` hidden layers of `hiddenSize` units,
/// each `Linear → activation → Dropout(p)` (no Dropout module when p = 0), then a `Linear` to
/// the classes; PyTorch's default initialisation drawn from `seed`, and each Dropout's masks
/// from its own seed drawn from a second generator, so that the weights are the same with and
/// without dropout.
func makeFeedforwardNetwork(
  inputSize: Int, hiddenSize: Int, layers: Int, classes: Int, activation: HiddenActivation,
  dropout: Double, seed: UInt64
) -> Sequential {
  var generator = SeededGenerator(seed: seed)
  var maskSeeds = SeededGenerator(seed: seed ^ 0xD509_D509_D509_D509)
  var modules: [any Module] = []
  var width = inputSize
  for _ in 0..<layers {
    modules.append(Linear(width, hiddenSize, using: &generator))
    modules.append(activation.module())
    if dropout > 0 { modules.append(Dropout(probability: dropout, seed: maskSeeds.next())) }
    width = hiddenSize
  }
  modules.append(Linear(width, classes, using: &generator))
  return Sequential(modules)
}

/// Mini-batch SGD driven one epoch at a time through `trainClassifier` (like `EpochwiseTraining`
/// in MLPSupport.swift, which has no weight decay): each epoch visits the training set in its
/// own seeded permutation, then the model is scored in evaluation mode (Dropout off) on the
/// validation set and, if asked, on the whole training set.
struct MulticlassTraining {
  var epochs: Int
  var batchSize: Int
  var learningRate: Double
  /// λ of PyTorch's `SGD(weight_decay=λ)`: `λ·θ` is added to every parameter's gradient. It is
  /// applied as the penalty `(λ/2)·Σ‖θ‖²` (`TrainingPlan.l2Penalty`), whose gradient is `λ·θ`;
  /// the recorded losses are the data term only.
  var weightDecay = 0.0
  var seed: UInt64
  /// Score the whole training set after each epoch (otherwise its figures are NaN).
  var scoresTrainingSet = false

  /// Trains `model` and returns one record per epoch; `onEpoch` sees each as it completes.
  func run(
    _ model: any Module, training: TensorDataset, validation: TensorDataset, console: Console,
    label: String = "", onEpoch: (EpochRecord) -> Void = { _ in }
  ) -> [EpochRecord] {
    var records: [EpochRecord] = []
    model.train()
    for epoch in 0..<epochs {
      var plan = TrainingPlan(epochs: 1, batchSize: batchSize, learningRate: learningRate)
      plan.shuffle = true
      plan.seed = EpochwiseTraining.epochSeed(seed, epoch)
      plan.l2Penalty = weightDecay / 2
      let epochLabel = (label.isEmpty ? "" : label + "  ") + "epoch \(epoch + 1)/\(epochs)"
      let history = trainClassifier(
        model, head: .multiclass, training: training, validation: [], plan: plan,
        console: console, label: epochLabel)
      let unscored = Evaluation(loss: .nan, correct: 0, count: 0)
      let record = EpochRecord(
        epoch: epoch + 1, learningRate: learningRate,
        meanLoss: history.epochs.first?.meanLoss ?? .nan,
        training: scoresTrainingSet ? evaluateInEvalMode(model, on: training) : unscored,
        validation: evaluateInEvalMode(model, on: validation),
        seconds: history.epochs.first?.seconds ?? 0)
      records.append(record)
      onEpoch(record)
    }
    return records
  }
}

/// The homework's feed-forward hyper-parameters (report 002's Table 3: 20 epochs, learning
/// rate 0.1, 2 hidden layers of 200 ReLU units, dropout 0, batch 16, L2 0, SGD).
struct FeedforwardSettings {
  var epochs = 20
  var learningRate = 0.1
  var hiddenSize = 200
  var layers = 2
  var dropout = 0.0
  var batchSize = 16
  var activation = HiddenActivation.relu
  /// SGD's weight decay λ (PyTorch's `weight_decay`, the report's "L2 regularization").
  var l2 = 0.0

  /// `lr 0.1, batch 16, 2×200 relu, dropout 0, L2 0, 20 epochs`.
  var summary: String {
    "lr \(Format.shortest(learningRate)), batch \(batchSize), \(layers)×\(hiddenSize) "
      + "\(activation.rawValue), dropout \(Format.shortest(dropout)), L2 \(Format.shortest(l2))"
      + ", \(epochs) epochs"
  }
}

/// What one feed-forward run produced.
struct FeedforwardRun {
  var records: [EpochRecord]
  /// Accuracy of the final model on the test set.
  var testAccuracy: Double
  /// Wall time of the training loop, the per-epoch validation included (as a timer around the
  /// skeleton's epoch loop measures it).
  var trainSeconds: Double
  /// CPU time the process spent in that loop: steadier than the wall time on a shared machine.
  var trainCPUSeconds: Double

  var bestValidationAccuracy: Double { records.validationAccuracies.max() ?? .nan }
  var lastValidationAccuracy: Double { records.last?.validation.accuracy ?? .nan }
}

extension FeedforwardSettings {
  /// Trains a fresh network (initialised from `seed`) on `splits`, printing a line per epoch.
  func run(on splits: MulticlassSplits, seed: UInt64, console: Console, label: String)
    -> FeedforwardRun
  {
    let model = makeFeedforwardNetwork(
      inputSize: splits.inputSize, hiddenSize: hiddenSize, layers: layers,
      classes: splits.classCount, activation: activation, dropout: dropout, seed: seed)
    console.heading("\(label): \(summary)")
    let training = MulticlassTraining(
      epochs: epochs, batchSize: batchSize, learningRate: learningRate, weightDecay: l2,
      seed: seed)
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = processCPUSeconds()
    let records = training.run(
      model, training: splits.training, validation: splits.validation, console: console,
      label: label
    ) { console.print(MulticlassReport.epochLine($0, of: epochs)) }
    let seconds = (clock.now - start).seconds
    let cpuSeconds = processCPUSeconds() - cpuStart
    let test = evaluateInEvalMode(model, on: splits.test).accuracy
    console.print(
      "Final test acc: " + Format.fixed(test, 4) + "  (training took "
        + Format.fixed(seconds, 2) + " s, " + Format.fixed(cpuSeconds, 2) + " s of CPU)")
    return FeedforwardRun(
      records: records, testAccuracy: test, trainSeconds: seconds, trainCPUSeconds: cpuSeconds)
  }
}

/// The CPU time this process has used so far, all threads, in seconds.
func processCPUSeconds() -> Double {
  var time = timespec()
  guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time) == 0 else { return .nan }
  return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// The flags of the hyper-parameters in `FeedforwardSettings`, shared by `ffn-batch-size`,
/// `ffn-learning-rate` and `ffn-regularization` (each lists those it does not sweep).
enum FeedforwardFlags {
  static let learningRate = Option<Double>(
    "lr", default: 0.1, range: 1e-9...100, help: "SGD learning rate")
  static let hiddenSize = Option<Int>(
    "hidden-size", default: 200, range: 1...100_000, help: "units per hidden layer")
  static let layers = Option<Int>("layers", default: 2, range: 1...100, help: "hidden layers")
  static let batchSize = Option<Int>(
    "batch-size", default: 16, range: 1...1_000_000, help: "mini-batch size")
  static let activation = Option<HiddenActivation>(
    "activation", default: .relu, help: "hidden activation")
  static let dropout = Option<Double>(
    "dropout", default: 0, range: 0...0.99, help: "dropout probability after each hidden layer")
  static let l2 = Option<Double>(
    "l2", default: 0, range: 0...100, help: "L2 regularisation (SGD weight decay)")
  static let trainSize = Option<Int>(
    "train-size", default: 0, quick: 2000, range: 0...1_000_000,
    help: "use the first N training images (0: all)")

  /// `epochs` with the given full and `--quick` defaults.
  static func epochs(default value: Int, quick: Int) -> Option<Int> {
    Option<Int>("epochs", default: value, quick: quick, range: 1...10_000, help: "epochs")
  }

  /// The defaults, overridden by those of the flags above that the experiment declares, and
  /// by `epochs`.
  static func settings(_ context: RunContext, epochs: Option<Int>) -> FeedforwardSettings {
    func value<Value>(_ option: Option<Value>) -> Value? {
      context.options.specs.contains(option.spec) ? context[option] : nil
    }
    var settings = FeedforwardSettings()
    settings.epochs = context[epochs]
    settings.learningRate = value(learningRate) ?? settings.learningRate
    settings.hiddenSize = value(hiddenSize) ?? settings.hiddenSize
    settings.layers = value(layers) ?? settings.layers
    settings.batchSize = value(batchSize) ?? settings.batchSize
    settings.activation = value(activation) ?? settings.activation
    settings.dropout = value(dropout) ?? settings.dropout
    settings.l2 = value(l2) ?? settings.l2
    return settings
  }
}
