/// Broadcasting arithmetic. Every gradient is summed back to its input's shape (`sum(toShape:)`),
/// which undoes the broadcast; a scalar operand is a constant 0-d tensor.
extension Tensor {
  /// Element-wise sum with broadcasting.
  ///
  /// - Backward: `ā = sumToShape(ȳ)`, `b̄ = sumToShape(ȳ)`
  public static func + (a: Tensor, b: Tensor) -> Tensor {
    zipped(.add, a, b, op: "add").recorded("add", "ā = ȳ, b̄ = ȳ", from: a, b) { dy, _, a, b in
      (
        a.requiresGrad ? dy.sum(toShape: a.shape) : nil,
        b.requiresGrad ? dy.sum(toShape: b.shape) : nil
      )
    }
  }

  /// Element-wise difference with broadcasting.
  ///
  /// - Backward: `ā = ȳ`, `b̄ = −ȳ` (each summed to its input's shape)
  public static func - (a: Tensor, b: Tensor) -> Tensor {
    zipped(.subtract, a, b, op: "sub").recorded("sub", "ā = ȳ, b̄ = −ȳ", from: a, b) { dy, _, a, b in
      (
        a.requiresGrad ? dy.sum(toShape: a.shape) : nil,
        b.requiresGrad ? (-dy).sum(toShape: b.shape) : nil
      )
    }
  }

  /// Element-wise (Hadamard) product with broadcasting.
  ///
  /// - Backward: `ā = ȳ ⊙ b`, `b̄ = ȳ ⊙ a`
  public static func * (a: Tensor, b: Tensor) -> Tensor {
    zipped(.multiply, a, b, op: "mul").recorded("mul", "ā = ȳ⊙b, b̄ = ȳ⊙a", from: a, b) {
      dy, _, a, b in
      (
        a.requiresGrad ? (dy * b).sum(toShape: a.shape) : nil,
        b.requiresGrad ? (dy * a).sum(toShape: b.shape) : nil
      )
    }
  }

  /// Element-wise quotient with broadcasting.
  ///
  /// - Backward: `ā = ȳ / b`, `b̄ = −ȳ ⊙ y / b`
  public static func / (a: Tensor, b: Tensor) -> Tensor {
    zipped(.divide, a, b, op: "div").recorded("div", "ā = ȳ/b, b̄ = −ȳ⊙y/b", from: a, b) {
      dy, y, a, b in
      (
        a.requiresGrad ? (dy / b).sum(toShape: a.shape) : nil,
        b.requiresGrad ? (-(dy * y) / b).sum(toShape: b.shape) : nil
      )
    }
  }

  /// Negation.
  ///
  /// - Backward: `x̄ = −ȳ`
  public static prefix func - (x: Tensor) -> Tensor {
    x.mapped(.negate).recorded("neg", "x̄ = −ȳ", from: x) { dy, _, _ in -dy }
  }

  /// Element-wise power `aᵇ` with broadcasting (a > 0 where b is not an integer).
  ///
  /// - Backward: `ā = ȳ ⊙ b ⊙ aᵇ⁻¹`, `b̄ = ȳ ⊙ y ⊙ log a`
  public func pow(_ exponent: Tensor) -> Tensor {
    let a = self
    let b = exponent
    return Tensor.zipped(.power, a, b, op: "pow").recorded(
      "pow", "ā = ȳ⊙b⊙a^(b−1), b̄ = ȳ⊙y⊙log a", from: a, b
    ) { dy, y, a, b in
      (
        a.requiresGrad ? (dy * b * a.pow(b - 1)).sum(toShape: a.shape) : nil,
        b.requiresGrad ? (dy * y * a.log()).sum(toShape: b.shape) : nil
      )
    }
  }

  /// Element-wise power `xᵖ` for a constant exponent.
  ///
  /// - Backward: `x̄ = ȳ ⊙ p·xᵖ⁻¹`
  public func pow(_ p: Double) -> Tensor {
    mapped(.power(p)).recorded("pow", "x̄ = ȳ⊙p·x^(p−1)", from: self) { dy, _, x in
      p == 1 ? dy : dy * (x.pow(p - 1) * p)
    }
  }

  // MARK: Scalars (constants broadcast as 0-d tensors)

  public static func + (a: Tensor, b: Double) -> Tensor { a + a.scalar(b) }
  public static func + (a: Double, b: Tensor) -> Tensor { b.scalar(a) + b }
  public static func - (a: Tensor, b: Double) -> Tensor { a - a.scalar(b) }
  public static func - (a: Double, b: Tensor) -> Tensor { b.scalar(a) - b }
  public static func * (a: Tensor, b: Double) -> Tensor { a * a.scalar(b) }
  public static func * (a: Double, b: Tensor) -> Tensor { b.scalar(a) * b }
  public static func / (a: Tensor, b: Double) -> Tensor { a / a.scalar(b) }
  public static func / (a: Double, b: Tensor) -> Tensor { b.scalar(a) / b }

  public static func += (a: inout Tensor, b: Tensor) { a = a + b }
  public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
  public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
  public static func /= (a: inout Tensor, b: Tensor) { a = a / b }
}
