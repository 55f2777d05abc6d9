import AutoGrad

/// Activation functions as modules, for `Sequential`. Each applies the tensor operation of the
/// same name; see there for the forward and backward rules.

/// `max(x, 0)`; gradient 0 at x = 0.
public final class ReLU: Module {
  public init() {}
  public func callAsFunction(_ input: Tensor) -> Tensor { input.relu() }
}

/// `σ(x) = 1/(1 + e⁻ˣ)`.
public final class Sigmoid: Module {
  public init() {}
  public func callAsFunction(_ input: Tensor) -> Tensor { input.sigmoid() }
}

/// `tanh(x)`.
public final class Tanh: Module {
  public init() {}
  public func callAsFunction(_ input: Tensor) -> Tensor { input.tanh() }
}

/// Softmax along `axis` (default: the last, the classes of a `[batch, classes]` input).
public final class Softmax: Module {
  public let axis: Int
  public init(axis: Int = -1) { self.axis = axis }
  public func callAsFunction(_ input: Tensor) -> Tensor { input.softmax(axis: axis) }
}

/// Log-softmax along `axis`; pair it with `NLLLoss`.
public final class LogSoftmax: Module {
  public let axis: Int
  public init(axis: Int = -1) { self.axis = axis }
  public func callAsFunction(_ input: Tensor) -> Tensor { input.logSoftmax(axis: axis) }
}

/// The hard threshold `1[x ≥ threshold]` (a perceptron's step). Its gradient is 0 everywhere,
/// so networks using it are built by hand, not trained by backpropagation.
public final class HardThreshold: Module {
  public let threshold: Double
  public init(threshold: Double = 0) { self.threshold = threshold }
  public func callAsFunction(_ input: Tensor) -> Tensor { input.hardThreshold(threshold) }
}

/// `sign(x)` ∈ {−1, 0, 1}; gradient 0 everywhere.
public final class Sign: Module {
  public init() {}
  public func callAsFunction(_ input: Tensor) -> Tensor { input.sign() }
}

/// The identity, a placeholder (e.g. a linear activation).
public final class Identity: Module {
  public init() {}
  public func callAsFunction(_ input: Tensor) -> Tensor { input }
}
