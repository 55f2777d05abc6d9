import AutoGrad

/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight
/// decay — the update rule of `torch.optim.SGD`, step for step.
///
/// For each parameter `p` with gradient `∇` (μ momentum, τ dampening, λ weight decay, η learning
/// rate, `b` the parameter's momentum buffer):
///
/// - `g = ∇ + λ·p`
/// - when μ ≠ 0: `b = g` on the parameter's first step, afterwards `b = μ·b + (1 − τ)·g`;
///   then `g = g + μ·b` with Nesterov, else `g = b`
/// - `p = p − η·g`
///
/// The update is written into the parameters' memory, outside the tape, by one loop per
/// parameter over its raw elements (float32 or float64). Gradients are only read: they may be
/// shared between parameters. Parameters whose `grad` is `nil` are skipped, and their momentum
/// buffer starts on the first step that has a gradient.
///
/// ```swift
/// let optimizer = SGD(parameters: [w, b], learningRate: 0.1, momentum: 0.9, nesterov: true)
/// optimizer.zeroGrad()
/// loss(w, b).backward()
/// optimizer.step()
/// ```
public final class SGD: Optimizer {
  public let parameters: [Tensor]
  /// η. Setting it to a negative value (or NaN) is a programmer error.
  public var learningRate: Double {
    didSet {
      if let message = learningRateError(learningRate) { preconditionFailure("SGD: \(message)") }
    }
  }
  /// μ, the momentum factor (0 for plain SGD).
  public let momentum: Double
  /// τ, the dampening applied to the gradient in the momentum update.
  public let dampening: Double
  /// λ, the L2 penalty coefficient added to the gradient as `λ·p`.
  public let weightDecay: Double
  /// Whether the step uses Nesterov momentum `g + μ·b` instead of `b`.
  public let nesterov: Bool
  /// The momentum buffer `b` of each parameter, in the order of `parameters`; `nil` before the
  /// parameter's first step (or always, when μ = 0).
  private(set) var momentumBuffers: [Tensor?]

  /// Creates an optimiser over `parameters` (with PyTorch's defaults).
  ///
  /// - Precondition: `parameters` is non-empty and holds only leaf tensors; `learningRate`,
  ///   `momentum` and `weightDecay` are not negative; `nesterov` needs `momentum > 0` and
  ///   `dampening == 0`. The messages are PyTorch's.
  public init(
    parameters: [Tensor], learningRate: Double = 1e-3, momentum: Double = 0,
    dampening: Double = 0, weightDecay: Double = 0, nesterov: Bool = false
  ) {
    if let message = parameterListError(parameters)
      ?? Self.hyperparameterError(
        learningRate: learningRate, momentum: momentum, dampening: dampening,
        weightDecay: weightDecay, nesterov: nesterov)
    {
      preconditionFailure("SGD: \(message)")
    }
    self.parameters = parameters
    self.learningRate = learningRate
    self.momentum = momentum
    self.dampening = dampening
    self.weightDecay = weightDecay
    self.nesterov = nesterov
    momentumBuffers = Array(repeating: nil, count: parameters.count)
  }

  /// The message PyTorch raises for these hyper-parameters, or `nil` when they are valid.
  static func hyperparameterError(
    learningRate: Double, momentum: Double, dampening: Double, weightDecay: Double,
    nesterov: Bool
  ) -> String? {
    if let message = learningRateError(learningRate) { return message }
    if !(momentum >= 0) { return "Invalid momentum value: \(momentum)" }
    if !(weightDecay >= 0) { return "Invalid weight_decay value: \(weightDecay)" }
    if nesterov && (momentum <= 0 || dampening != 0) {
      return "Nesterov momentum requires a momentum and zero dampening"
    }
    return nil
  }

  /// Updates every parameter that has a gradient: `p = p − η·g` (see the type's documentation).
  public func step() {
    for (i, p) in parameters.enumerated() {
      guard let grad = checkedGradient(of: p, index: i, optimizer: "SGD") else { continue }
      switch p.dtype {
      case .float32: update(Float.self, parameter: p, gradient: grad, index: i)
      case .float64: update(Double.self, parameter: p, gradient: grad, index: i)
      }
    }
  }

  /// One parameter's update, as a single pass over its elements in `T`.
  private func update<T: TensorScalar>(
    _: T.Type, parameter: Tensor, gradient: Tensor, index: Int
  ) {
    let lr = T(learningRate)
    let mu = T(momentum)
    let keep = T(1 - dampening)  // (1 − τ), rounded once as PyTorch's `alpha` is
    let decay = T(weightDecay)
    let hasDecay = weightDecay != 0
    let nesterov = nesterov
    // The buffer is created on the parameter's first step, as a copy of g (no dampening).
    let isFirstStep = momentum != 0 && momentumBuffers[index] == nil
    if isFirstStep { momentumBuffers[index] = Tensor.zeros(like: parameter) }

    // Every element is loaded unconditionally and the flags only select between values, so
    // that the compiler vectorises the loops. Large parameters are split between threads.
    parameter.withUnsafeMutableBufferPointer(as: T.self) { p in
      gradient.withUnsafeBufferPointer(as: T.self) { grad in
        guard let buffer = momentumBuffers[index] else {
          WorkerPool.forEachChunk(count: p.count) { range in
            for j in range {
              let (pj, gj) = (p[j], grad[j])
              p[j] = pj - lr * (hasDecay ? gj + decay * pj : gj)
            }
          }
          return
        }
        buffer.withUnsafeMutableBufferPointer(as: T.self) { b in
          WorkerPool.forEachChunk(count: p.count) { range in
            for j in range {
              let (pj, gj, bj) = (p[j], grad[j], b[j])
              let g = hasDecay ? gj + decay * pj : gj
              let m = isFirstStep ? g : mu * bj + keep * g
              b[j] = m
              p[j] = pj - lr * (nesterov ? g + mu * m : m)
            }
          }
        }
      }
    }
  }
}
