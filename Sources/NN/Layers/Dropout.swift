import AutoGrad

/// Inverted dropout (Srivastava et al., 2014, "Dropout: A Simple Way to Prevent Neural Networks
/// from Overfitting"): in training, each element is zeroed with probability p and the survivors
/// are scaled by 1/(1 − p), so the expected value is unchanged; in evaluation it is the identity.
///
/// - Forward (training): `y = x ⊙ m / (1 − p)`, mᵢ ~ Bernoulli(1 − p), drawn from the layer's own
///   seeded generator (the same seed gives the same masks).
/// - Backward: `x̄ = ȳ ⊙ m / (1 − p)`
public final class Dropout: Module, TrainingModeAware {
  /// The probability of zeroing an element.
  public let probability: Double
  public var isTraining = true
  private var generator: SeededGenerator

  /// - Parameters:
  ///   - probability: p in [0, 1).
  ///   - seed: seeds this layer's masks; `nil` draws a seed from the default generator.
  public init(probability: Double = 0.5, seed: UInt64? = nil) {
    precondition(
      probability >= 0 && probability < 1,
      "Dropout: probability must be in [0, 1), got \(probability)")
    self.probability = probability
    generator = seed.map { SeededGenerator(seed: $0) } ?? DefaultGenerator.split()
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard isTraining && probability > 0 else { return input }
    let mask = Tensor.zeros(input.shape, dtype: input.dtype)
    switch input.dtype {
    case .float32: fill(mask, as: Float.self)
    case .float64: fill(mask, as: Double.self)
    }
    return input * mask
  }

  /// Sets each element of `mask` to 1/(1 − p) with probability 1 − p (it starts at 0).
  private func fill<T: TensorScalar>(_ mask: Tensor, as _: T.Type) {
    let scale = T(1 / (1 - probability))
    // Compare 53-bit integers rather than doubles: u ≥ p ⇔ ⌊u·2⁵³⌋ ≥ ⌈p·2⁵³⌉.
    let threshold = UInt64((probability * 0x1.0p53).rounded(.up))
    mask.withUnsafeMutableBufferPointer(as: T.self) { m in
      for i in m.indices where generator.next() >> 11 >= threshold { m[i] = scale }
    }
  }
}
