import AutoGrad

/// Weight initialisation, in place and outside the tape (like `torch.nn.init`). Fans are those of
/// a weight `[out, in, …]`: fanIn = in·receptive, fanOut = out·receptive.
public enum Init {
  /// Which fan the variance is scaled by.
  public enum FanMode: Sendable { case fanIn, fanOut }

  /// The non-linearity that follows the layer, which sets the recommended gain.
  public enum Nonlinearity: Sendable {
    case linear, sigmoid, tanh, relu
    /// Leaky ReLU with this negative slope (Kaiming's `a`).
    case leakyReLU(Double)

    /// PyTorch's `calculate_gain`: 1, 1, 5/3, √2, √(2/(1 + a²)).
    public var gain: Double {
      switch self {
      case .linear, .sigmoid: return 1
      case .tanh: return 5.0 / 3
      case .relu: return 2.0.squareRoot()
      case .leakyReLU(let a): return (2 / (1 + a * a)).squareRoot()
      }
    }
  }

  /// (fanIn, fanOut) of a weight of `shape`.
  public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
    precondition(shape.count >= 1, "Init: fans need at least one dimension, got \(shape)")
    if shape.count == 1 { return (shape[0], shape[0]) }
    let receptive = shape.dropFirst(2).reduce(1, *)
    return (shape[1] * receptive, shape[0] * receptive)
  }

  /// Fills `t` from U(−bound, bound).
  public static func uniform(_ t: Tensor, bound: Double, using generator: inout SeededGenerator) {
    for i in 0..<t.count { t[flat: i] = bound * (2 * generator.nextUnitDouble() - 1) }
  }

  /// Fills `t` from N(0, std²).
  public static func normal(_ t: Tensor, std: Double, using generator: inout SeededGenerator) {
    for i in 0..<t.count { t[flat: i] = std * generator.nextNormal() }
  }

  /// Kaiming (He) uniform: U(−b, b) with b = gain·√(3/fan), gain for leaky ReLU with slope `a`
  /// (a = 0: ReLU). PyTorch's `Linear` uses a = √5, which gives b = 1/√fanIn.
  public static func kaimingUniform(
    _ t: Tensor, a: Double = 0, mode: FanMode = .fanIn, using generator: inout SeededGenerator
  ) {
    let fan = Double(mode == .fanIn ? fans(t.shape).fanIn : fans(t.shape).fanOut)
    uniform(t, bound: Nonlinearity.leakyReLU(a).gain * (3 / fan).squareRoot(), using: &generator)
  }

  /// Kaiming (He) normal: N(0, σ²) with σ = gain/√fan.
  public static func kaimingNormal(
    _ t: Tensor, a: Double = 0, mode: FanMode = .fanIn, using generator: inout SeededGenerator
  ) {
    let fan = Double(mode == .fanIn ? fans(t.shape).fanIn : fans(t.shape).fanOut)
    normal(t, std: Nonlinearity.leakyReLU(a).gain / fan.squareRoot(), using: &generator)
  }

  /// Xavier (Glorot) uniform: U(−b, b) with b = gain·√(6/(fanIn + fanOut)).
  public static func xavierUniform(
    _ t: Tensor, gain: Double = 1, using generator: inout SeededGenerator
  ) {
    let (fanIn, fanOut) = fans(t.shape)
    uniform(t, bound: gain * (6 / Double(fanIn + fanOut)).squareRoot(), using: &generator)
  }

  /// Xavier (Glorot) normal: N(0, σ²) with σ = gain·√(2/(fanIn + fanOut)).
  public static func xavierNormal(
    _ t: Tensor, gain: Double = 1, using generator: inout SeededGenerator
  ) {
    let (fanIn, fanOut) = fans(t.shape)
    normal(t, std: gain * (2 / Double(fanIn + fanOut)).squareRoot(), using: &generator)
  }

  /// Fills `t` with `value`.
  public static func constant(_ t: Tensor, _ value: Double) { t.fill(value) }
  /// Fills `t` with zeros.
  public static func zeros(_ t: Tensor) { t.fill(0) }
  /// Fills `t` with ones.
  public static func ones(_ t: Tensor) { t.fill(1) }
}
