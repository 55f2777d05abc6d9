import AutoGrad

/// A neural-network building block: a function of a batch with trainable parameters
/// (like `torch.nn.Module`). Layers are `final class`es whose trainable weights are stored
/// `let` tensors that require gradients; they are found automatically by reflection.
public protocol Module: AnyObject {
  /// Applies the module to a batch.
  func callAsFunction(_ input: Tensor) -> Tensor
}

/// A module whose behaviour differs between training and evaluation (Dropout, BatchNorm).
public protocol TrainingModeAware: AnyObject {
  /// Whether the module is in training mode (the default) rather than evaluation mode.
  var isTraining: Bool { get set }
}

extension Module {
  /// Every tensor reachable through stored properties, with dotted names in declaration order
  /// (`layers.0.weight`): tensors directly, sub-modules recursively, arrays of modules with their
  /// index. Tensors that require gradients are parameters; the others are buffers (such as
  /// BatchNorm's running statistics).
  public var namedTensors: [(name: String, tensor: Tensor)] {
    var result: [(String, Tensor)] = []
    visit(prefix: "") { name, value in
      if let t = value as? Tensor { result.append((name, t)) }
    }
    return result
  }

  /// The trainable tensors with their names.
  public var namedParameters: [(name: String, tensor: Tensor)] {
    namedTensors.filter { $0.tensor.requiresGrad }
  }

  /// The trainable tensors, in declaration order: what an optimiser updates.
  public var parameters: [Tensor] { namedParameters.map(\.tensor) }

  /// The number of trainable scalars.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

  /// This module and every module below it, depth first.
  public var modules: [any Module] {
    var result: [any Module] = [self]
    visit(prefix: "") { _, value in
      if let m = value as? any Module { result.append(m) }
    }
    return result
  }

  /// Switches this module and all below it to training mode (`model.train()`).
  public func train() { setTraining(true) }

  /// Switches this module and all below it to evaluation mode (`model.eval()`): Dropout becomes
  /// the identity and BatchNorm uses its running statistics.
  public func eval() { setTraining(false) }

  private func setTraining(_ flag: Bool) {
    for case let m as any TrainingModeAware in modules { m.isTraining = flag }
  }

  /// Walks stored properties: calls `body` with each tensor and each sub-module (then recurses
  /// into it), naming them by their dotted path.
  private func visit(prefix: String, _ body: (String, Any) -> Void) {
    for child in Mirror(reflecting: self).children {
      guard let label = child.label else { continue }
      let name = prefix + label
      Self.visitValue(child.value, name: name, body)
    }
  }

  private static func visitValue(_ value: Any, name: String, _ body: (String, Any) -> Void) {
    switch value {
    case let t as Tensor:
      body(name, t)
    case let m as any Module:
      body(name, m)
      m.visitChildren(prefix: name + ".", body)
    case let ms as [any Module]:
      for (i, m) in ms.enumerated() { visitValue(m, name: "\(name).\(i)", body) }
    case let ts as [Tensor]:
      for (i, t) in ts.enumerated() { body("\(name).\(i)", t) }
    default:
      break
    }
  }

  fileprivate func visitChildren(prefix: String, _ body: (String, Any) -> Void) {
    visit(prefix: prefix, body)
  }
}
