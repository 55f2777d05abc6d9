import Foundation

/// A learning rate as a function of the step (or epoch) count t = 0, 1, 2, …: `η(t)`.
///
/// Schedules are plain values, evaluated in closed form; a `LearningRateScheduler` applies one
/// to an optimiser, like `scheduler.step()` in PyTorch. Whether t counts epochs or iterations is
/// up to the training loop that steps it.
///
/// ```swift
/// let schedule = StepLR(initial: 0.1, stepSize: 2, gamma: 0.5)
/// schedule.learningRates(count: 5)  // [0.1, 0.1, 0.05, 0.05, 0.025]
/// ```
public protocol LearningRateSchedule {
  /// The learning rate at step t ≥ 0.
  func learningRate(at step: Int) -> Double
}

extension LearningRateSchedule {
  /// The learning rates at t = 0, 1, …, count − 1.
  public func learningRates(count: Int) -> [Double] {
    (0..<count).map { learningRate(at: $0) }
  }
}

/// Checks the step a schedule is asked about.
@inline(__always) private func checkStep(_ step: Int, _ schedule: String) {
  precondition(step >= 0, "\(schedule): step must not be negative, got \(step)")
}

/// Step decay: the initial rate multiplied by γ every `stepSize` steps (like
/// `torch.optim.lr_scheduler.StepLR`).
///
/// `η(t) = η₀ · γ^⌊t / stepSize⌋`
public struct StepLR: LearningRateSchedule, Sendable {
  /// η₀.
  public let initial: Double
  /// The number of steps between two decays.
  public let stepSize: Int
  /// γ, the factor applied at each decay.
  public let gamma: Double

  /// - Precondition: `initial ≥ 0`, `stepSize > 0`, `gamma ≥ 0`.
  public init(initial: Double, stepSize: Int, gamma: Double = 0.1) {
    precondition(initial >= 0, "StepLR: initial learning rate must not be negative, got \(initial)")
    precondition(stepSize > 0, "StepLR: stepSize must be positive, got \(stepSize)")
    precondition(gamma >= 0, "StepLR: gamma must not be negative, got \(gamma)")
    self.initial = initial
    self.stepSize = stepSize
    self.gamma = gamma
  }

  public func learningRate(at step: Int) -> Double {
    checkStep(step, "StepLR")
    return initial * Foundation.pow(gamma, Double(step / stepSize))
  }
}

/// Exponential decay: the initial rate multiplied by γ every step (like
/// `torch.optim.lr_scheduler.ExponentialLR`).
///
/// `η(t) = η₀ · γᵗ`
public struct ExponentialLR: LearningRateSchedule, Sendable {
  /// η₀.
  public let initial: Double
  /// γ, the factor applied each step.
  public let gamma: Double

  /// - Precondition: `initial ≥ 0`, `gamma ≥ 0`.
  public init(initial: Double, gamma: Double) {
    precondition(
      initial >= 0, "ExponentialLR: initial learning rate must not be negative, got \(initial)")
    precondition(gamma >= 0, "ExponentialLR: gamma must not be negative, got \(gamma)")
    self.initial = initial
    self.gamma = gamma
  }

  public func learningRate(at step: Int) -> Double {
    checkStep(step, "ExponentialLR")
    return initial * Foundation.pow(gamma, Double(step))
  }
}

/// Time-based decay, as Keras's `decay` argument applied it: the rate falls like 1/t.
///
/// `η(t) = η₀ / (1 + k·t)`
public struct TimeBasedDecayLR: LearningRateSchedule, Sendable {
  /// η₀.
  public let initial: Double
  /// k, the decay rate.
  public let decay: Double

  /// - Precondition: `initial ≥ 0`, `decay ≥ 0`.
  public init(initial: Double, decay: Double) {
    precondition(
      initial >= 0, "TimeBasedDecayLR: initial learning rate must not be negative, got \(initial)")
    precondition(decay >= 0, "TimeBasedDecayLR: decay must not be negative, got \(decay)")
    self.initial = initial
    self.decay = decay
  }

  public func learningRate(at step: Int) -> Double {
    checkStep(step, "TimeBasedDecayLR")
    return initial / (1 + decay * Double(step))
  }
}

/// The homework's integer schedule: it starts at a positive integer n and drops by 1 each step
/// until it reaches 1, where it stays (from 5: 5, 4, 3, 2, 1, 1, 1, …).
///
/// `η(t) = max(n − t, 1)`
public struct CountdownLR: LearningRateSchedule, Sendable {
  /// n, the rate at t = 0.
  public let start: Int

  /// - Precondition: `start ≥ 1`.
  public init(start: Int) {
    precondition(start >= 1, "CountdownLR: start must be a positive integer, got \(start)")
    self.start = start
  }

  public func learningRate(at step: Int) -> Double {
    checkStep(step, "CountdownLR")
    // start − step cannot overflow: both are non-negative.
    return Double(Swift.max(start - step, 1))
  }
}

/// The initial rate scaled by a function of the step (like
/// `torch.optim.lr_scheduler.LambdaLR`).
///
/// `η(t) = η₀ · f(t)`
///
/// ```swift
/// let warmup = LambdaLR(initial: 0.1) { t in min(1, Double(t + 1) / 5) }
/// ```
public struct LambdaLR: LearningRateSchedule {
  /// η₀.
  public let initial: Double
  /// f, the factor at each step.
  public let factor: (Int) -> Double

  /// - Precondition: `initial ≥ 0`; `factor` must not return a negative value (checked when
  ///   the schedule is evaluated).
  public init(initial: Double, factor: @escaping (Int) -> Double) {
    precondition(
      initial >= 0, "LambdaLR: initial learning rate must not be negative, got \(initial)")
    self.initial = initial
    self.factor = factor
  }

  public func learningRate(at step: Int) -> Double {
    checkStep(step, "LambdaLR")
    let f = factor(step)
    precondition(f >= 0, "LambdaLR: factor(\(step)) = \(f) is negative (or NaN)")
    return initial * f
  }
}
