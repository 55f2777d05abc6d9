import AutoGrad
import Foundation

/// Adam (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization") with PyTorch's update
/// rule (`torch.optim.Adam`), including the optional AMSGrad variant (Reddi et al., 2018).
///
/// For each parameter `p` with gradient `∇`, at its step t = 1, 2, … (η learning rate,
/// β₁, β₂ `betas`, ε `eps`, λ weight decay, `m`, `v` the moment estimates, starting at 0):
///
/// - `g = ∇ + λ·p` (weight decay as an L2 penalty on the gradient; `AdamW` decouples it)
/// - `m = β₁·m + (1 − β₁)·g`, `v = β₂·v + (1 − β₂)·g²`
/// - with AMSGrad: `v̂ = max(v̂, v)`, else `v̂ = v`
/// - `p = p − (η / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)` (the bias corrections)
///
/// Each parameter counts its own steps: one without a gradient is skipped and does not advance.
/// Updates are in place, outside the tape, one pass over each parameter's elements; gradients
/// are only read.
public class Adam: Optimizer {
  public let parameters: [Tensor]
  /// η. Setting it to a negative value (or NaN) is a programmer error.
  public var learningRate: Double {
    didSet {
      if let message = learningRateError(learningRate) {
        preconditionFailure("\(name): \(message)")
      }
    }
  }
  /// (β₁, β₂): the decay rates of the first and second moment estimates.
  public let betas: (Double, Double)
  /// ε, added to the denominator for numerical stability.
  public let eps: Double
  /// λ: Adam adds `λ·p` to the gradient; AdamW multiplies the parameters by `1 − η·λ` each step.
  public let weightDecay: Double
  /// Whether the denominator uses the running maximum of `v` (AMSGrad).
  public let amsgrad: Bool
  /// Whether the weight decay is decoupled from the gradient (AdamW).
  let decoupled: Bool
  /// The moment estimates and step count of each parameter.
  private(set) var moments: AdamMoments

  /// The class's name in messages, as PyTorch's.
  var name: String { decoupled ? "AdamW" : "Adam" }

  /// Creates an optimiser over `parameters` (with PyTorch's defaults).
  ///
  /// - Precondition: `parameters` is non-empty and holds only leaf tensors; `learningRate`,
  ///   `eps` and `weightDecay` are not negative; both betas are in `[0, 1)`. The messages are
  ///   PyTorch's.
  public convenience init(
    parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
    eps: Double = 1e-8, weightDecay: Double = 0, amsgrad: Bool = false
  ) {
    self.init(
      parameters: parameters, learningRate: learningRate, betas: betas, eps: eps,
      weightDecay: weightDecay, amsgrad: amsgrad, decoupled: false)
  }

  init(
    parameters: [Tensor], learningRate: Double, betas: (Double, Double), eps: Double,
    weightDecay: Double, amsgrad: Bool, decoupled: Bool
  ) {
    self.parameters = parameters
    self.learningRate = learningRate
    self.betas = betas
    self.eps = eps
    self.weightDecay = weightDecay
    self.amsgrad = amsgrad
    self.decoupled = decoupled
    moments = AdamMoments(count: parameters.count)
    if let message = parameterListError(parameters)
      ?? AdamMoments.hyperparameterError(
        learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay)
    {
      preconditionFailure("\(name): \(message)")
    }
  }

  /// Updates every parameter that has a gradient (see the type's documentation).
  public func step() {
    moments.step(
      parameters, learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay,
      decoupled: decoupled, amsgrad: amsgrad, optimizer: name)
  }
}

/// AdamW (Loshchilov & Hutter, 2019, "Decoupled Weight Decay Regularization"): Adam whose
/// weight decay shrinks the parameters directly instead of entering the gradient, with PyTorch's
/// update rule (`torch.optim.AdamW`), including the optional AMSGrad variant.
///
/// For each parameter `p` with gradient `g` at its step t (symbols as in `Adam`):
///
/// - `p = p · (1 − η·λ)` (decoupled weight decay, before the Adam step)
/// - `m = β₁·m + (1 − β₁)·g`, `v = β₂·v + (1 − β₂)·g²`; `v̂ = max(v̂, v)` with AMSGrad, else `v`
/// - `p = p − (η / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)`
public final class AdamW: Adam {
  /// Creates an optimiser over `parameters` (with PyTorch's defaults, weight decay 0.01).
  ///
  /// - Precondition: as for `Adam`.
  public init(
    parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
    eps: Double = 1e-8, weightDecay: Double = 1e-2, amsgrad: Bool = false
  ) {
    super.init(
      parameters: parameters, learningRate: learningRate, betas: betas, eps: eps,
      weightDecay: weightDecay, amsgrad: amsgrad, decoupled: true)
  }
}

/// The state Adam and AdamW keep per parameter, and the update they share.
struct AdamMoments {
  /// One parameter's state, created on its first step.
  struct State {
    /// m, the first moment estimate.
    let mean: Tensor
    /// v, the second (uncentred) moment estimate.
    let squaredMean: Tensor
    /// v̂, the running maximum of v (AMSGrad only).
    let maxSquaredMean: Tensor?
    /// t, the number of steps taken by this parameter.
    var step: Int
  }

  /// The state of each parameter, in order; `nil` before its first step.
  private(set) var states: [State?]

  init(count: Int) { states = Array(repeating: nil, count: count) }

  /// The message PyTorch raises for these hyper-parameters, or `nil` when they are valid.
  static func hyperparameterError(
    learningRate: Double, betas: (Double, Double), eps: Double, weightDecay: Double
  ) -> String? {
    if let message = learningRateError(learningRate) { return message }
    if !(eps >= 0) { return "Invalid epsilon value: \(eps)" }
    if !(betas.0 >= 0 && betas.0 < 1) { return "Invalid beta parameter at index 0: \(betas.0)" }
    if !(betas.1 >= 0 && betas.1 < 1) { return "Invalid beta parameter at index 1: \(betas.1)" }
    if !(weightDecay >= 0) { return "Invalid weight_decay value: \(weightDecay)" }
    return nil
  }

  /// One Adam (or, when `decoupled`, AdamW) step for every parameter that has a gradient.
  mutating func step(
    _ parameters: [Tensor], learningRate: Double, betas: (Double, Double), eps: Double,
    weightDecay: Double, decoupled: Bool, amsgrad: Bool, optimizer: String
  ) {
    for (i, p) in parameters.enumerated() {
      guard let grad = checkedGradient(of: p, index: i, optimizer: optimizer) else { continue }
      var state =
        states[i]
        ?? State(
          mean: Tensor.zeros(like: p), squaredMean: Tensor.zeros(like: p),
          maxSquaredMean: amsgrad ? Tensor.zeros(like: p) : nil, step: 0)
      state.step += 1
      states[i] = state
      // Scalars in double precision, as PyTorch computes them in Python floats.
      let t = Double(state.step)
      let coefficients = Coefficients(
        beta1: betas.0, beta2: betas.1, eps: eps,
        stepSize: learningRate / (1 - Foundation.pow(betas.0, t)),
        correction2Root: (1 - Foundation.pow(betas.1, t)).squareRoot(),
        weightDecay: decoupled ? 0 : weightDecay,
        shrink: decoupled && weightDecay != 0 ? 1 - learningRate * weightDecay : nil)
      switch p.dtype {
      case .float32: Self.update(Float.self, p, grad, state, coefficients)
      case .float64: Self.update(Double.self, p, grad, state, coefficients)
      }
    }
  }

  /// The scalars of one step.
  private struct Coefficients {
    var beta1, beta2, eps: Double
    /// η / (1 − β₁ᵗ)
    var stepSize: Double
    /// √(1 − β₂ᵗ)
    var correction2Root: Double
    /// λ of the L2 penalty added to the gradient (0 for AdamW).
    var weightDecay: Double
    /// 1 − η·λ, AdamW's decoupled decay factor (`nil` for Adam or λ = 0).
    var shrink: Double?
  }

  /// One parameter's update, as a single pass over its elements in `T`. The element operations
  /// follow PyTorch's order (`mul_`, `lerp_`, `addcmul_`, `addcdiv_`), with the scalars rounded
  /// to `T`.
  private static func update<T: TensorScalar>(
    _: T.Type, _ parameter: Tensor, _ gradient: Tensor, _ state: State, _ c: Coefficients
  ) {
    let weight1 = T(1 - c.beta1)  // the lerp weight of the first moment
    let oneMinusWeight1 = 1 - weight1
    let smallWeight = Swift.abs(weight1) < 0.5  // lerp's two stable forms, as in ATen
    let beta2 = T(c.beta2)
    let weight2 = T(1 - c.beta2)
    let eps = T(c.eps)
    let negativeStepSize = T(-c.stepSize)
    let correction2Root = T(c.correction2Root)
    let decay = T(c.weightDecay)
    let hasDecay = c.weightDecay != 0
    let shrink = T(c.shrink ?? 1)  // multiplying by 1 is exact, for every value

    /// The new (p, m, v, v̂) of one element. Branch-free apart from selects on loop-invariant
    /// flags, so that the loops below vectorise.
    @inline(__always) func element(
      _ p: T, _ grad: T, _ m: T, _ v: T, _ vMax: T, amsgrad: Bool
    ) -> (p: T, m: T, v: T, vMax: T) {
      let p = p * shrink
      let g = hasDecay ? grad + decay * p : grad
      let m = smallWeight ? m + weight1 * (g - m) : g - (g - m) * oneMinusWeight1
      let v = v * beta2 + weight2 * g * g
      let vMax = amsgrad ? Swift.max(vMax, v) : v
      // v̂ ≥ 0 already; max(v̂, 0) tells the compiler so. Without it, on Linux, `squareRoot()`
      // keeps a call to the C library's sqrt for negative inputs (to set errno), and the loop
      // does not vectorise.
      let denominator = Swift.max(vMax, 0).squareRoot() / correction2Root + eps
      return (p + negativeStepSize * m / denominator, m, v, vMax)
    }

    parameter.withUnsafeMutableBufferPointer(as: T.self) { p in
      gradient.withUnsafeBufferPointer(as: T.self) { grad in
        state.mean.withUnsafeMutableBufferPointer(as: T.self) { m in
          state.squaredMean.withUnsafeMutableBufferPointer(as: T.self) { v in
            guard let maxSquaredMean = state.maxSquaredMean else {
              for j in 0..<p.count {
                (p[j], m[j], v[j], _) = element(p[j], grad[j], m[j], v[j], 0, amsgrad: false)
              }
              return
            }
            maxSquaredMean.withUnsafeMutableBufferPointer(as: T.self) { vMax in
              for j in 0..<p.count {
                (p[j], m[j], v[j], vMax[j]) = element(
                  p[j], grad[j], m[j], v[j], vMax[j], amsgrad: true)
              }
            }
          }
        }
      }
    }
  }
}
