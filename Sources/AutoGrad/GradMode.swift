/// Process-wide switches of the tape: whether operations are recorded, and anomaly detection.
///
/// The tape, like a training loop, is driven from one thread at a time; these flags are plain
/// process-wide state (not per thread), read on every operation, so they are kept as cheap as a
/// load. Change them only through the scoped functions below.
enum GradMode {
  /// Whether new operations are recorded on the tape.
  @exclusivity(unchecked) nonisolated(unsafe) static var isEnabled = true
  /// Whether every recorded result and every gradient is checked for NaN and infinity.
  @exclusivity(unchecked) nonisolated(unsafe) static var detectsAnomalies = false
  /// The first anomaly seen inside `detectAnomaly`.
  @exclusivity(unchecked) nonisolated(unsafe) static var anomaly: AnomalyError?

  /// Runs `body` with recording switched to `enabled`, restoring the previous mode afterwards.
  @inline(__always) static func with<R>(enabled: Bool, _ body: () throws -> R) rethrows -> R {
    let saved = isEnabled
    isEnabled = enabled
    defer { isEnabled = saved }
    return try body()
  }
}

/// Runs `body` without recording operations on the tape (like `torch.no_grad()`): results do not
/// require gradients, and no memory is kept for a backward pass. Use it for evaluation and for
/// in-place parameter updates.
public func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
  try GradMode.with(enabled: false, body)
}

/// Runs `body` with recording on, even inside `withoutGrad` (like `torch.enable_grad()`).
public func withGrad<R>(_ body: () throws -> R) rethrows -> R {
  try GradMode.with(enabled: true, body)
}

/// Whether operations are currently recorded on the tape.
public var isGradEnabled: Bool { GradMode.isEnabled }
