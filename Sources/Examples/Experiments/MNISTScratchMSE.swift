import AutoGrad
import Foundation
import NN
import Optim

/// E18 (report 004 §2, part a): the "network from scratch" — any number of sigmoid hidden
/// layers, a softmax output and the mean squared error on one-hot targets — trained on MNIST
/// with gradients from the four backpropagation equations written by hand with tensors (no
/// tape), checked against the tape's gradients at every step.
///
/// Everything runs in float64, so that the two gradients can be compared to 1e-10. The hand
/// gradients are the ones the optimiser applies; the tape only checks them.
struct MNISTScratchMSE: Experiment {
  static let name = "mnist-scratch-mse"
  static let summary =
    "Sigmoid MLP, softmax, MSE on MNIST: hand-written backprop checked against the tape"

  static let hidden = Option<[Double]>(
    "hidden", default: [128, 64], help: "hidden-layer widths (sigmoid), e.g. 128,64")
  static let epochs = Option<Int>(
    "epochs", default: 30, quick: 2, range: 1...10_000, help: "epochs")
  static let learningRate = Option<Double>(
    "lr", default: 10, range: 1e-9...1000, help: "SGD learning rate")
  static let batchSize = Option<Int>(
    "batch-size", default: 32, range: 1...60_000, help: "mini-batch size")
  static let trainSize = MNISTSplits.trainSize
  static let validationSize = MNISTSplits.validationSize
  static let testSize = MNISTSplits.testSize
  static let checkEvery = Option<Int>(
    "check-every", default: 1, range: 1...1_000_000,
    help: "compare hand and tape gradients every N steps (1: every step)")
  static let tolerance = Option<Double>(
    "tolerance", default: 1e-10, range: 0...1, help: "largest accepted gradient difference")

  static var extraOptions: [OptionSpec] {
    [
      hidden.spec, epochs.spec, learningRate.spec, batchSize.spec, trainSize.spec,
      validationSize.spec, testSize.spec, checkEvery.spec, tolerance.spec,
    ]
  }

  /// The hand gradients differed from the tape's by more than the tolerance.
  struct GradientMismatch: Error, CustomStringConvertible {
    let difference: Double
    let tolerance: Double
    var description: String {
      "hand-written and tape gradients differ by \(difference) (tolerance \(tolerance))"
    }
  }

  let context: RunContext
  let hiddenSizes: [Int]

  init(context: RunContext) throws {
    self.context = context
    hiddenSizes = try layerSizes(context[Self.hidden], option: Self.hidden.spec.name)
    context.results.recordParameter("dtype", "float64")
    context.results.recordParameter("layerSizes", [784] + hiddenSizes + [10])
  }

  func run() throws {
    let console = context.console
    let splits = try context.loadMNISTSplits(
      trainingSize: context[Self.trainSize], validationSize: context[Self.validationSize],
      testSize: context[Self.testSize], dtype: .float64)
    var generator = SeededGenerator(seed: context.seed)
    let model = makeMLP(
      inputSize: 784, hidden: hiddenSizes, outputSize: 10, activation: .sigmoid, dtype: .float64,
      using: &generator)
    let trainer = ScratchTrainer(
      model: model, epochs: context[Self.epochs], learningRate: context[Self.learningRate],
      batchSize: context[Self.batchSize], seed: context.seed,
      checkEvery: context[Self.checkEvery])

    console.heading(
      "Training \(([784] + hiddenSizes + [10]).map(String.init).joined(separator: "-")) "
        + "(sigmoid, softmax, MSE) with hand-written backprop, checked against the tape:")
    let result = trainer.run(
      training: splits.training, validation: splits.validation, console: console)
    let test = evaluate(model, head: .multiclass, on: splits.test)

    let tolerance = context[Self.tolerance]
    let agree = result.maxGradientDifference <= tolerance
    console.heading("Gradient check (float64):")
    console.print(
      "  steps checked: \(result.checkedSteps) of \(result.steps); largest |hand − tape| over "
        + "every weight and bias: \(Self.scientific(result.maxGradientDifference))")
    console.print(
      "  largest |gradient| seen: \(Self.scientific(result.maxGradientMagnitude)); "
        + "tolerance \(Self.scientific(tolerance)): \(agree ? "PASS" : "FAIL")")
    console.heading("Results:")
    console.print(
      "  final training accuracy " + Format.fixed(result.records.last?.training.accuracy ?? .nan, 4)
        + ", validation accuracy "
        + Format.fixed(result.records.last?.validation.accuracy ?? .nan, 4))
    console.print(
      "  test accuracy " + Format.fixed(test.accuracy, 4) + " (\(test.correct)/\(test.count))")

    let chart = [EpochRecord].accuracyChart(
      title: "Sigmoid MLP, softmax + MSE (hand-written backprop)",
      runs: [("MSE", result.records)])
    try context.save(chart, as: "accuracy")
    var loss = SVGChart(title: "Training loss (MSE)", xLabel: "epoch", yLabel: "mean squared error")
    loss.add("training (mean over batches)", y: result.records.map(\.meanLoss))
    try context.save(loss, as: "loss")

    context.record("maxGradientDifference", result.maxGradientDifference)
    context.record("testAccuracy", test.accuracy)
    context.record("gradientsAgree", agree)
    context.record("checkedSteps", result.checkedSteps)
    context.record("trainAccuracy", result.records.trainingAccuracies)
    context.record("valAccuracy", result.records.validationAccuracies)
    context.record("trainLoss", result.records.map(\.meanLoss))
    if !agree {
      throw GradientMismatch(difference: result.maxGradientDifference, tolerance: tolerance)
    }
  }

  /// `1.23e-17`.
  static func scientific(_ value: Double) -> String {
    String(format: "%.2e", value)
  }
}

/// The report-004 network's gradients by the four backpropagation equations, with tensors and
/// no tape, for a model built by `makeMLP` with sigmoid hidden layers and a softmax output.
///
/// Rows are samples, so the column-vector equations appear transposed. For a batch of n samples
/// with one-hot targets y, the cost is `MSELoss`'s mean over the n·K outputs,
/// `C = (1/n) Σᵢ Cᵢ` with `Cᵢ = (1/K)‖aᴸᵢ − yᵢ‖²`, so `∇ₐCᵢ = (2/K)(aᴸᵢ − yᵢ)`, and:
///
/// - BP1: `δᴸᵢ = Σ'(zᴸᵢ)·∇ₐCᵢ`, with the softmax Jacobian `Σ'(zᴸ) = diag(aᴸ) − aᴸ(aᴸ)ᵀ`
/// - BP2: `δˡ = ((wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ'(zˡ)`, `σ'(z) = σ(z)(1 − σ(z))`
/// - BP3: `∂C/∂bˡ = (1/n) Σᵢ δˡᵢ`
/// - BP4: `∂C/∂wˡ = (1/n) Σᵢ δˡᵢ (aˡ⁻¹ᵢ)ᵀ`
enum ScratchBackprop {
  /// The cost `C` and its gradients `[∂C/∂w¹, ∂C/∂b¹, ∂C/∂w², …]` (the order of
  /// `model.parameters`), by the four equations.
  static func handGradients(
    layers: [Linear], inputs x: Tensor, targets y: Tensor
  ) -> (cost: Double, gradients: [Tensor]) {
    withoutGrad {
      // Forward: zˡ = aˡ⁻¹(wˡ)ᵀ + bˡ, aˡ = σ(zˡ); softmax at the output.
      var activations = [x]
      for (l, layer) in layers.enumerated() {
        let z = Tensor.linear(activations[l], weight: layer.weight, bias: layer.bias)
        activations.append(l == layers.count - 1 ? z.softmax(axis: 1) : z.sigmoid())
      }
      let output = activations[layers.count]
      let (n, classes) = (Double(x.shape[0]), output.shape[1])
      let difference = output - y
      let cost = difference.square().mean().item()

      // BP1 with the explicit Jacobian, one K×K matrix per sample: [n, K, K] · [n, K, 1].
      let gradientOfCost = difference * (2 / Double(classes))
      let column = output.unsqueezed(at: 2)
      let jacobian =
        column * Tensor.eye(classes, dtype: x.dtype) - column * output.unsqueezed(at: 1)
      var delta = Tensor.matmul(jacobian, gradientOfCost.unsqueezed(at: 2)).squeezed(at: 2)

      var gradients = [Tensor](repeating: x, count: 2 * layers.count)
      for l in stride(from: layers.count - 1, through: 0, by: -1) {
        gradients[2 * l] = Tensor.matmul(delta, activations[l], transposeA: true) / n  // BP4
        gradients[2 * l + 1] = delta.mean(axis: 0)  // BP3
        if l > 0 {
          let a = activations[l]  // σ(zˡ) of the layer below
          delta = delta.matmul(layers[l].weight) * (a * (1 - a))  // BP2
        }
      }
      return (cost, gradients)
    }
  }

  /// The same cost and gradients from the tape: the model, a softmax and `MSELoss`, then
  /// `gradients(of:withRespectTo:)`.
  static func tapeGradients(
    model: Sequential, inputs x: Tensor, targets y: Tensor
  ) -> (cost: Double, gradients: [Tensor]) {
    let cost = MSELoss()(model(x).softmax(axis: 1), y)
    return (cost.item(), gradients(of: cost, withRespectTo: model.parameters))
  }

  /// The largest `|a − b|` over corresponding elements of two gradient lists.
  static func maxDifference(_ a: [Tensor], _ b: [Tensor]) -> Double {
    precondition(a.count == b.count, "maxDifference: \(a.count) vs \(b.count) tensors")
    return zip(a, b).reduce(0) { Swift.max($0, ($1.0 - $1.1).abs().max().item()) }
  }

  /// One-hot rows `[n, classes]` for class indices `[n]`, in the labels' dtype.
  static func oneHot(_ labels: Tensor, classes: Int) -> Tensor {
    withoutGrad {
      labels.reshape([labels.count, 1]) .== Tensor.arange(0, Double(classes), dtype: labels.dtype)
    }
  }
}

/// Mini-batch SGD on the report-004 network with the hand gradients (`ScratchBackprop`),
/// optionally comparing them with the tape's every `checkEvery` steps; scored like the
/// notebook after every epoch (accuracy on the whole training and validation sets).
struct ScratchTrainer {
  let model: Sequential
  var epochs: Int
  var learningRate: Double
  var batchSize: Int
  var seed: UInt64
  /// Steps between two gradient checks; `nil` never checks.
  var checkEvery: Int?

  /// What a run produced.
  struct Result {
    var records: [EpochRecord] = []
    var steps = 0
    var checkedSteps = 0
    /// Largest |hand − tape| over every checked step and every parameter element.
    var maxGradientDifference = 0.0
    /// Largest |hand gradient| element at a checked step, for scale.
    var maxGradientMagnitude = 0.0
  }

  /// Trains and returns the per-epoch records, printing one line per epoch.
  func run(
    training: TensorDataset, validation: TensorDataset, console: Console, label: String = ""
  ) -> Result {
    let layers = linearLayers(of: model)
    let parameters = model.parameters
    let optimizer = SGD(parameters: parameters, learningRate: learningRate)
    let clock = ContinuousClock()
    var result = Result()
    var elapsed = 0.0
    for epoch in 0..<epochs {
      let start = clock.now
      var costSum = 0.0
      var seen = 0
      // The same batches as `EpochwiseTraining` (its permutation per epoch, no partial last
      // batch), so that runs compare batch for batch.
      let loader = DataLoader(
        training, batchSize: batchSize, shuffle: true,
        seed: EpochwiseTraining.epochSeed(seed, epoch), dropLast: true)
      for (index, (x, labels)) in loader.batches(epoch: 0).enumerated() {
        let y = ScratchBackprop.oneHot(labels, classes: 10)
        let (cost, hand) = ScratchBackprop.handGradients(layers: layers, inputs: x, targets: y)
        if let checkEvery, result.steps % checkEvery == 0 {
          let tape = ScratchBackprop.tapeGradients(model: model, inputs: x, targets: y).gradients
          result.maxGradientDifference = max(
            result.maxGradientDifference, ScratchBackprop.maxDifference(hand, tape))
          result.maxGradientMagnitude = hand.reduce(result.maxGradientMagnitude) {
            max($0, $1.abs().max().item())
          }
          result.checkedSteps += 1
        }
        for (parameter, gradient) in zip(parameters, hand) { parameter.grad = gradient }
        optimizer.step()
        result.steps += 1
        costSum += cost * Double(x.shape[0])
        seen += x.shape[0]
        console.progress(
          (label.isEmpty ? "" : label + "  ") + "epoch \(epoch + 1)/\(epochs)",
          completed: index + 1, total: loader.batchCount,
          "MSE \(Format.fixed(costSum / Double(seen), 5))  max |hand − tape| "
            + MNISTScratchMSE.scientific(result.maxGradientDifference))
      }
      let seconds = (clock.now - start).seconds
      elapsed += seconds
      let record = EpochRecord(
        epoch: epoch + 1, learningRate: learningRate, meanLoss: costSum / Double(max(seen, 1)),
        training: evaluate(model, head: .multiclass, on: training),
        validation: evaluate(model, head: .multiclass, on: validation), seconds: seconds)
      result.records.append(record)
      console.print((label.isEmpty ? "" : label + "  ") + record.line(cumulativeSeconds: elapsed))
    }
    return result
  }
}
