import AutoGrad

/// A fully connected layer `y = x·Wᵀ + b` (like `torch.nn.Linear`).
///
/// - Shapes: input `[batch, inputSize]`, output `[batch, outputSize]`; weight
///   `[outputSize, inputSize]`, bias `[outputSize]`.
/// - Initialisation (PyTorch's default): W ~ U(−1/√inputSize, 1/√inputSize) — Kaiming-uniform
///   with a = √5 — and b ~ U(−1/√inputSize, 1/√inputSize).
/// - Backward: `x̄ = ȳ·W`, `W̄ = ȳᵀ·x`, `b̄ = Σ_batch ȳ` (one fused op, see `Tensor.linear`).
public final class Linear: Module {
  public let weight: Tensor
  public let bias: Tensor?
  public let inputSize: Int
  public let outputSize: Int

  /// Creates a layer initialised from `generator`.
  public init(
    _ inputSize: Int, _ outputSize: Int, bias: Bool = true, dtype: DType = .float32,
    using generator: inout SeededGenerator
  ) {
    precondition(
      inputSize > 0 && outputSize > 0,
      "Linear: sizes must be positive, got \(inputSize)→\(outputSize)")
    self.inputSize = inputSize
    self.outputSize = outputSize
    weight = Tensor.zeros([outputSize, inputSize], dtype: dtype, requiresGrad: true)
    Init.kaimingUniform(weight, a: 5.0.squareRoot(), using: &generator)
    let bound = 1 / Double(inputSize).squareRoot()
    self.bias =
      bias
      ? Tensor.uniform(
        [outputSize], low: -bound, high: bound, dtype: dtype, requiresGrad: true, using: &generator)
      : nil
  }

  /// Creates a layer initialised from the default generator (seed it with `manualSeed(_:)`).
  public convenience init(
    _ inputSize: Int, _ outputSize: Int, bias: Bool = true, dtype: DType = .float32
  ) {
    var generator = DefaultGenerator.split()
    self.init(inputSize, outputSize, bias: bias, dtype: dtype, using: &generator)
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(
      input.rank == 2 && input.shape[1] == inputSize,
      "Linear: expected input [batch, \(inputSize)], got \(input.shape)")
    return Tensor.linear(input, weight: weight, bias: bias)
  }
}
