/// Factory functions, as in PyTorch: constant fills, ranges, the identity, and seeded random
/// tensors. Random factories draw from `generator`, or from the default generator
/// (`manualSeed(_:)`) when none is given.
extension Tensor {
  /// A tensor of `shape` with every element `value`.
  public static func full(
    _ shape: [Int], _ value: Double, dtype: DType = .float32, requiresGrad: Bool = false
  ) -> Tensor {
    let t = Tensor(uninitializedShape: shape, dtype: dtype)
    t.fill(value)
    t.requiresGrad = requiresGrad
    return t
  }

  /// A tensor of zeros.
  public static func zeros(
    _ shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false
  ) -> Tensor {
    full(shape, 0, dtype: dtype, requiresGrad: requiresGrad)
  }

  /// A tensor of ones.
  public static func ones(
    _ shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false
  ) -> Tensor {
    full(shape, 1, dtype: dtype, requiresGrad: requiresGrad)
  }

  /// Zeros of the same shape and dtype as `other`.
  public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape, dtype: other.dtype) }
  /// Ones of the same shape and dtype as `other`.
  public static func ones(like other: Tensor) -> Tensor { ones(other.shape, dtype: other.dtype) }

  /// The values `start, start + step, …` below `end` (like `torch.arange`).
  public static func arange(
    _ start: Double = 0, _ end: Double, step: Double = 1, dtype: DType = .float32
  ) -> Tensor {
    precondition(step != 0, "arange: step must not be 0")
    let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
    return Tensor(shape: [n], doubles: (0..<n).map { start + Double($0) * step }, dtype: dtype)
  }

  /// `count` evenly spaced values from `start` to `end` inclusive (like `torch.linspace`).
  public static func linspace(
    _ start: Double, _ end: Double, count: Int, dtype: DType = .float32
  ) -> Tensor {
    precondition(count >= 0, "linspace: negative count \(count)")
    let step = count > 1 ? (end - start) / Double(count - 1) : 0
    let values = (0..<count).map { $0 == count - 1 && count > 1 ? end : start + Double($0) * step }
    return Tensor(shape: [count], doubles: values, dtype: dtype)
  }

  /// The n×n identity matrix.
  public static func eye(_ n: Int, dtype: DType = .float32) -> Tensor {
    let t = zeros([n, n], dtype: dtype)
    for i in 0..<n { t[flat: i * n + i] = 1 }
    return t
  }

  /// Uniform samples in `[low, high)`.
  public static func uniform(
    _ shape: [Int], low: Double = 0, high: Double = 1, dtype: DType = .float32,
    requiresGrad: Bool = false, using generator: inout SeededGenerator
  ) -> Tensor {
    let t = Tensor(uninitializedShape: shape, dtype: dtype)
    for i in 0..<t.count { t[flat: i] = low + (high - low) * generator.nextUnitDouble() }
    t.requiresGrad = requiresGrad
    return t
  }

  /// Normal samples with the given mean and standard deviation.
  public static func normal(
    _ shape: [Int], mean: Double = 0, std: Double = 1, dtype: DType = .float32,
    requiresGrad: Bool = false, using generator: inout SeededGenerator
  ) -> Tensor {
    let t = Tensor(uninitializedShape: shape, dtype: dtype)
    for i in 0..<t.count { t[flat: i] = mean + std * generator.nextNormal() }
    t.requiresGrad = requiresGrad
    return t
  }

  /// Uniform samples in [0, 1) from the default generator (like `torch.rand`).
  public static func rand(
    _ shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false
  ) -> Tensor {
    DefaultGenerator.withGenerator {
      uniform(shape, dtype: dtype, requiresGrad: requiresGrad, using: &$0)
    }
  }

  /// Standard normal samples from the default generator (like `torch.randn`).
  public static func randn(
    _ shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false
  ) -> Tensor {
    DefaultGenerator.withGenerator {
      normal(shape, dtype: dtype, requiresGrad: requiresGrad, using: &$0)
    }
  }

  /// Uniform samples in [0, 1) from `generator`.
  public static func rand(
    _ shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false,
    using generator: inout SeededGenerator
  ) -> Tensor {
    uniform(shape, dtype: dtype, requiresGrad: requiresGrad, using: &generator)
  }

  /// Standard normal samples from `generator`.
  public static func randn(
    _ shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false,
    using generator: inout SeededGenerator
  ) -> Tensor {
    normal(shape, dtype: dtype, requiresGrad: requiresGrad, using: &generator)
  }

  /// Sets every element to `value`, in place and outside the tape.
  public func fill(_ value: Double) {
    switch dtype {
    case .float32: storage.pointer(as: Float.self).update(repeating: Float(value), count: count)
    case .float64: storage.pointer(as: Double.self).update(repeating: value, count: count)
    }
  }

  /// A copy with its own memory, cut from the tape (like `tensor.detach().clone()`).
  public func copy() -> Tensor {
    let t = Tensor(uninitializedShape: shape, dtype: dtype)
    t.storage.base.copyMemory(from: storage.base, byteCount: count * dtype.byteSize)
    return t
  }

  /// Copies `source`'s elements into this tensor's memory, in place and outside the tape.
  /// - Precondition: same shape and dtype.
  public func assign(from source: Tensor) {
    precondition(
      source.shape == shape && source.dtype == dtype,
      "assign: \(source.shape) \(source.dtype) into \(shape) \(dtype)")
    switch dtype {
    case .float32:
      source.withUnsafeBufferPointer(as: Float.self) { src in
        withUnsafeMutableBufferPointer(as: Float.self) { dst in
          _ = dst.update(fromContentsOf: src)
        }
      }
    case .float64:
      source.withUnsafeBufferPointer(as: Double.self) { src in
        withUnsafeMutableBufferPointer(as: Double.self) { dst in
          _ = dst.update(fromContentsOf: src)
        }
      }
    }
  }
}
