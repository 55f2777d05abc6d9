import AutoGrad

/// Binary cross-entropy of probabilities,
/// `ℓᵢ = −(yᵢ·log pᵢ + (1 − yᵢ)·log(1 − pᵢ))` (like `torch.nn.BCELoss`).
///
/// As in PyTorch, each log is clamped at −100, so p = 0 or 1 gives a finite loss (100 per
/// element at most), and the gradient `p̄ = ȳ·(p − y)/max(p(1 − p), 10⁻¹²)` stays finite.
public struct BCELoss: Sendable {
  public var reduction: Reduction
  public init(reduction: Reduction = .mean) { self.reduction = reduction }

  public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
    precondition(
      input.shape == target.shape, "BCELoss: input \(input.shape) vs target \(target.shape)")
    let p = input
    let y = target
    let losses = BinaryCrossEntropyKernel.losses.apply(p, y)
    // Own backward: the composition would multiply 0 by ∞ at p ∈ {0, 1}.
    return reduction.apply(
      losses.recorded("binaryCrossEntropy", "p̄ = ȳ(p − y)/max(p(1−p), 1e-12)", from: p) {
        dy, _, p in
        guard isGradEnabled else {
          return BinaryCrossEntropyKernel.gradient.apply(p, y, dy)
        }
        // Recording the backward (double backward): the same formula as differentiable ops.
        return dy * (p - y) / (p * (1 - p)).clamp(min: 1e-12)
      })
  }
}

/// The element-wise kernels of `BCELoss`, one pass each; they compute exactly what the tensor
/// formulas beside them in comments compute, operation for operation.
enum BinaryCrossEntropyKernel {
  /// `−(y·max(log p, −100) + (1 − y)·max(log(1 − p), −100))`
  case losses
  /// `ȳ·(p − y) / max(p(1 − p), 10⁻¹²)`
  case gradient

  @inline(__always)
  func callAsFunction<T: TensorScalar>(_ p: T, _ y: T, _ dy: T) -> T {
    switch self {
    case .losses: return Self.loss(y, logP: T.log(p), logQ: T.log(1 - p))
    case .gradient: return dy * (p - y) / Swift.max(p * (1 - p), T(1e-12))
    }
  }

  /// The loss of one element from its two logarithms, `log p` and `log(1 − p)`.
  @inline(__always)
  static func loss<T: TensorScalar>(_ y: T, logP: T, logQ: T) -> T {
    -(y * Swift.max(logP, -100) + (1 - y) * Swift.max(logQ, -100))
  }

  /// The kernel over tensors of one shape and dtype (`dy` only for `.gradient`).
  func apply(_ p: Tensor, _ y: Tensor, _ dy: Tensor? = nil) -> Tensor {
    precondition(
      p.dtype == y.dtype && dy.map { $0.dtype == p.dtype && $0.shape == p.shape } ?? true,
      "BCELoss: dtypes differ: \(p.dtype) vs \(y.dtype)")
    let out = Tensor(uninitializedShape: p.shape, dtype: p.dtype)
    func run<T: TensorScalar>(_: T.Type) {
      if T.self == Float.self && self == .losses { return floatLosses(p, y, into: out) }
      p.withUnsafeBufferPointer(as: T.self) { p in
        y.withUnsafeBufferPointer(as: T.self) { y in
          out.withUnsafeMutableBufferPointer(as: T.self) { out in
            guard let dy else {
              for i in out.indices { out[i] = self(p[i], y[i], 0) }
              return
            }
            dy.withUnsafeBufferPointer(as: T.self) { dy in
              for i in out.indices { out[i] = self(p[i], y[i], dy[i]) }
            }
          }
        }
      }
    }
    switch p.dtype {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    }
    return out
  }

  /// `.losses` on float32, with the logarithms taken 16 lanes at a time by `VectorMath` (the
  /// C library's `log` per element cost more than everything else in the loss), in chunks that
  /// stay in L1: `log p` is written to `out` first, `log(1 − p)` to a scratch buffer.
  private func floatLosses(_ p: Tensor, _ y: Tensor, into out: Tensor) {
    let chunk = 256
    p.withUnsafeBufferPointer(as: Float.self) { p in
      y.withUnsafeBufferPointer(as: Float.self) { y in
        out.withUnsafeMutableBufferPointer(as: Float.self) { out in
          guard let (pp, yp, op) = zip3(p.baseAddress, y.baseAddress, out.baseAddress) else {
            return
          }
          withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * chunk) { scratch in
            guard let q = scratch.baseAddress else { return }
            let logQ = q + chunk
            for start in stride(from: 0, to: out.count, by: chunk) {
              let count = Swift.min(chunk, out.count - start)
              for i in 0..<count { q[i] = 1 - pp[start + i] }
              VectorMath.log(pp + start, op + start, count: count)
              VectorMath.log(q, logQ, count: count)
              for i in 0..<count {
                op[start + i] = Self.loss(yp[start + i], logP: op[start + i], logQ: logQ[i])
              }
            }
          }
        }
      }
    }
  }
}

private func zip3<A, B, C>(_ a: A?, _ b: B?, _ c: C?) -> (A, B, C)? {
  guard let a, let b, let c else { return nil }
  return (a, b, c)
}

/// Binary cross-entropy of logits, `ℓᵢ = −(yᵢ·log σ(zᵢ) + (1 − yᵢ)·log(1 − σ(zᵢ)))`, computed
/// stably as `max(z, 0) − z·y + log(1 + e^(−|z|))` (like `torch.nn.BCEWithLogitsLoss`): finite
/// for logits of ±1000, and more accurate than `BCELoss` after a `Sigmoid`.
///
/// - Backward: `z̄ = ȳ·(σ(z) − y)`
public struct BCEWithLogitsLoss: Sendable {
  public var reduction: Reduction
  public init(reduction: Reduction = .mean) { self.reduction = reduction }

  public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
    precondition(
      input.shape == target.shape,
      "BCEWithLogitsLoss: input \(input.shape) vs target \(target.shape)")
    let z = input
    let y = target
    let losses = withoutGrad { z.relu() - z * y + ((-z.abs()).exp() + 1).log() }
    return reduction.apply(
      losses.recorded("binaryCrossEntropyWithLogits", "z̄ = ȳ(σ(z) − y)", from: z) { dy, _, z in
        dy * (z.sigmoid() - y)
      })
  }
}
