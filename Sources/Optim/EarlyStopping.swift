/// Stops training when a monitored value (a validation loss or accuracy) has not improved for
/// `patience` consecutive updates, with the semantics of Keras's and PyTorch Lightning's
/// `EarlyStopping`.
///
/// An update improves when its value is better than the best so far by *more than* `minDelta`:
///
/// - mode `.min`: `value < best − minDelta`
/// - mode `.max`: `value > best + minDelta`
///
/// A tie is not an improvement; neither is NaN. The first finite value always improves. After
/// k consecutive updates without improvement, `shouldStop` is `k ≥ max(patience, 1)`: patience 0
/// and 1 both stop at the first update that does not improve, as in Keras and Lightning.
///
/// ```swift
/// var stopper = EarlyStopping(mode: .min, patience: 10)
/// for step in 0..<maxSteps {
///   train(); let loss = validationLoss()
///   if stopper.update(loss, step: step) { saveCheckpoint() }  // a new best
///   if stopper.shouldStop { break }
/// }
/// print(stopper.best!, stopper.bestStep!)
/// ```
public struct EarlyStopping: Sendable {
  /// Whether a smaller or a larger monitored value is better.
  public enum Mode: Sendable {
    /// Smaller is better (losses).
    case min
    /// Larger is better (accuracies).
    case max
  }

  /// Whether smaller or larger values are better.
  public let mode: Mode
  /// The number of consecutive updates without improvement tolerated before stopping.
  public let patience: Int
  /// The margin by which a value must beat the best to count as an improvement (≥ 0).
  public let minDelta: Double

  /// The best value seen so far; `nil` before the first improvement.
  public private(set) var best: Double?
  /// The `step` passed with the best value; `nil` before the first improvement.
  public private(set) var bestStep: Int?
  /// The number of consecutive updates since the last improvement (or since the start).
  public private(set) var updatesWithoutImprovement = 0

  /// - Precondition: `patience ≥ 0`, `minDelta ≥ 0`.
  public init(mode: Mode = .min, patience: Int, minDelta: Double = 0) {
    precondition(patience >= 0, "EarlyStopping: patience must not be negative, got \(patience)")
    precondition(minDelta >= 0, "EarlyStopping: minDelta must not be negative, got \(minDelta)")
    self.mode = mode
    self.patience = patience
    self.minDelta = minDelta
  }

  /// Whether `updatesWithoutImprovement ≥ max(patience, 1)`: training should stop.
  public var shouldStop: Bool { updatesWithoutImprovement >= Swift.max(patience, 1) }

  /// Whether `value` beats the best so far by more than `minDelta` (any non-NaN value beats no
  /// best; ±∞ count like any other value).
  public func isImprovement(_ value: Double) -> Bool {
    guard let best else { return !value.isNaN }
    switch mode {
    case .min: return value < best - minDelta
    case .max: return value > best + minDelta
    }
  }

  /// Records the monitored `value` observed at `step` and returns whether it improved on the
  /// best (it then becomes the best, with `step` as `bestStep`; worth a checkpoint).
  @discardableResult
  public mutating func update(_ value: Double, step: Int) -> Bool {
    guard isImprovement(value) else {
      updatesWithoutImprovement += 1
      return false
    }
    best = value
    bestStep = step
    updatesWithoutImprovement = 0
    return true
  }

  /// Forgets the best value and the count, keeping the settings.
  public mutating func reset() {
    best = nil
    bestStep = nil
    updatesWithoutImprovement = 0
  }
}
