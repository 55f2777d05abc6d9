import AutoGrad

/// Modules applied one after another (like `torch.nn.Sequential`); parameters are named
/// `layers.<index>.<name>`.
///
/// ```swift
/// let model = Sequential(Linear(784, 200), ReLU(), Linear(200, 10))
/// ```
public final class Sequential: Module {
  public let layers: [any Module]

  public init(_ layers: [any Module]) { self.layers = layers }
  public convenience init(_ layers: any Module...) { self.init(layers) }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    layers.reduce(input) { x, layer in layer(x) }
  }
}

/// Flattens every dimension after the first: `[batch, d₁, d₂, …] → [batch, d₁·d₂·…]`.
public final class Flatten: Module {
  public init() {}
  public func callAsFunction(_ input: Tensor) -> Tensor { input.flattened(from: 1) }
}
