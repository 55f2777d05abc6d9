/// Drives an optimiser's learning rate along a schedule, like a PyTorch scheduler: creating it
/// sets `optimizer.learningRate = η(0)`, and each `step()` advances t by one and sets
/// `optimizer.learningRate = η(t)`.
///
/// ```swift
/// let optimizer = SGD(parameters: parameters, learningRate: 0.1, momentum: 0.9)
/// let scheduler = LearningRateScheduler(
///   optimizer, schedule: StepLR(initial: 0.1, stepSize: 30, gamma: 0.1))
/// for epoch in 0..<100 {
///   trainOneEpoch(optimizer)
///   scheduler.step()  // after the epoch's optimizer steps, as in PyTorch
/// }
/// ```
public final class LearningRateScheduler {
  /// The optimiser whose `learningRate` is set.
  public let optimizer: any Optimizer
  /// The learning rate as a function of t.
  public let schedule: any LearningRateSchedule
  /// t: the number of `step()` calls so far (PyTorch's `last_epoch`).
  public private(set) var stepCount = 0

  /// Attaches `schedule` to `optimizer`, setting its learning rate to `η(0)`.
  public init(_ optimizer: any Optimizer, schedule: any LearningRateSchedule) {
    self.optimizer = optimizer
    self.schedule = schedule
    optimizer.learningRate = schedule.learningRate(at: 0)
  }

  /// Advances t by one and sets the optimiser's learning rate to `η(t)`.
  public func step() {
    stepCount += 1
    optimizer.learningRate = schedule.learningRate(at: stepCount)
  }

  /// The learning rate the schedule last set, `η(t)` (PyTorch's `get_last_lr()`).
  public var lastLearningRate: Double { schedule.learningRate(at: stepCount) }
}
