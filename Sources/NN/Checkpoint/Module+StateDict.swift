import AutoGrad

/// What was wrong when a state dict did not fit a module; every problem is listed at once.
public struct StateDictError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Names the module has but the state dict lacks.
  public var missing: [String] = []
  /// Names in the state dict the module does not have.
  public var unexpected: [String] = []
  /// Names whose shapes or dtypes differ, with what the module expects and what was given.
  public var mismatched: [Mismatch] = []

  public struct Mismatch: Equatable, Sendable, CustomStringConvertible {
    public let name: String
    public let expectedShape: [Int]
    public let expectedDType: DType
    public let shape: [Int]
    public let dtype: DType
    public var description: String {
      "\(name): expected \(expectedShape) \(expectedDType), got \(shape) \(dtype)"
    }
  }

  public var isEmpty: Bool { missing.isEmpty && unexpected.isEmpty && mismatched.isEmpty }

  public var description: String {
    var parts: [String] = []
    if !missing.isEmpty { parts.append("missing: \(missing.joined(separator: ", "))") }
    if !unexpected.isEmpty { parts.append("unexpected: \(unexpected.joined(separator: ", "))") }
    if !mismatched.isEmpty {
      parts.append("mismatched: " + mismatched.map(\.description).joined(separator: "; "))
    }
    return "state dict does not fit the module — " + parts.joined(separator: "; ")
  }
}

extension Module {
  /// Every parameter and buffer by dotted name, in declaration order (like `state_dict()`).
  /// The tensors are the module's own: copy them to keep a snapshot.
  public func stateDict() -> [(name: String, tensor: Tensor)] { namedTensors }

  /// Copies the values of `stateDict` into this module's tensors, in place (like
  /// `load_state_dict(strict=True)`). Nothing is changed unless every name, shape and dtype fits.
  ///
  /// - Throws: `StateDictError` listing every missing, unexpected and mismatched tensor.
  public func load(stateDict: [(name: String, tensor: Tensor)]) throws {
    let own = namedTensors
    var error = StateDictError()
    var given: [String: Tensor] = [:]
    for (name, tensor) in stateDict {
      if given[name] != nil { error.unexpected.append(name + " (duplicate)") }
      given[name] = tensor
    }
    let ownNames = Set(own.map(\.name))
    error.unexpected += stateDict.map(\.name).filter { !ownNames.contains($0) }
    for (name, tensor) in own {
      guard let source = given[name] else {
        error.missing.append(name)
        continue
      }
      if source.shape != tensor.shape || source.dtype != tensor.dtype {
        error.mismatched.append(
          .init(
            name: name, expectedShape: tensor.shape, expectedDType: tensor.dtype,
            shape: source.shape, dtype: source.dtype))
      }
    }
    guard error.isEmpty else { throw error }
    for (name, tensor) in own {
      guard let source = given[name] else { continue }
      tensor.assign(from: source)
    }
  }
}
