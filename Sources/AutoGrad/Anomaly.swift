/// The first non-finite value (NaN or ±∞) seen inside `detectAnomaly`: which operation produced
/// it, in which direction, and the shapes involved.
public struct AnomalyError: Error, CustomStringConvertible, Sendable {
  /// Whether the value appeared in an operation's result or in a gradient it produced.
  public enum Phase: String, Sendable { case forward, backward }

  /// The operation's name, as printed on the tape (`log`, `matmul`, …).
  public let op: String
  public let phase: Phase
  /// The shapes of the operation's inputs.
  public let inputShapes: [[Int]]
  /// The shape of the tensor holding the non-finite value.
  public let shape: [Int]
  /// The first offending value (NaN or ±∞).
  public let value: Double

  public var description: String {
    let inputs = inputShapes.map { "\($0)" }.joined(separator: ", ")
    switch phase {
    case .forward:
      return "anomaly: '\(op)' produced \(value) in its result of shape \(shape) "
        + "(inputs \(inputs))"
    case .backward:
      return "anomaly: the backward of '\(op)' produced \(value) in a gradient of shape \(shape) "
        + "(inputs \(inputs))"
    }
  }
}

/// Runs `body` with anomaly detection on (like `torch.autograd.detect_anomaly`): every recorded
/// operation's result and every gradient computed by `backward()` is checked for NaN and ±∞, and
/// the first operation that produced one is reported by throwing an `AnomalyError` when `body`
/// returns. Checking costs a pass over every tensor, so use it for debugging only.
public func detectAnomaly<R>(_ body: () throws -> R) throws -> R {
  let saved = (GradMode.detectsAnomalies, GradMode.anomaly)
  GradMode.detectsAnomalies = true
  GradMode.anomaly = nil
  defer { (GradMode.detectsAnomalies, GradMode.anomaly) = saved }
  let result = try body()
  if let anomaly = GradMode.anomaly { throw anomaly }
  return result
}

extension GradMode {
  /// Records an anomaly if `tensor` holds a non-finite value and none was recorded yet.
  static func check(
    _ tensor: Tensor, op: String, phase: AnomalyError.Phase, inputs: SmallList<Tensor>
  ) {
    guard anomaly == nil, let bad = tensor.firstNonFinite() else { return }
    anomaly = AnomalyError(
      op: op, phase: phase, inputShapes: inputs.map(\.shape), shape: tensor.shape, value: bad)
  }
}

extension Tensor {
  /// The first NaN or infinite element, if any.
  func firstNonFinite() -> Double? {
    func scan<T: TensorScalar>(_: T.Type) -> Double? {
      let x = storage.pointer(as: T.self)
      for i in 0..<count where !x[i].isFinite { return Double(x[i]) }
      return nil
    }
    switch dtype {
    case .float32: return scan(Float.self)
    case .float64: return scan(Double.self)
    }
  }
}
