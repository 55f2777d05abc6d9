import Foundation

/// Element-wise functions. Each backward uses the saved result `y` where that is cheaper than
/// recomputing from `x` (exp, sigmoid, tanh, sqrt), and is written with tensor operations so it
/// can be differentiated again.
extension Tensor {
  /// `eˣ`.
  ///
  /// - Backward: `x̄ = ȳ ⊙ y`
  public func exp() -> Tensor {
    mapped(.exp).recorded("exp", "x̄ = ȳ⊙y", from: self) { dy, y, _ in dy * y }
  }

  /// Natural logarithm.
  ///
  /// - Backward: `x̄ = ȳ / x`
  public func log() -> Tensor {
    mapped(.log).recorded("log", "x̄ = ȳ/x", from: self) { dy, _, x in dy / x }
  }

  /// Square root.
  ///
  /// - Backward: `x̄ = ȳ / (2y)`
  public func sqrt() -> Tensor {
    mapped(.sqrt).recorded("sqrt", "x̄ = ȳ/(2y)", from: self) { dy, y, _ in dy / (y * 2) }
  }

  /// Absolute value.
  ///
  /// - Backward: `x̄ = ȳ ⊙ sign(x)` (0 at x = 0, as in PyTorch)
  public func abs() -> Tensor {
    mapped(.abs).recorded("abs", "x̄ = ȳ⊙sign(x)", from: self) { dy, _, x in
      dy * x.sign()
    }
  }

  /// Rectified linear unit `max(x, 0)`.
  ///
  /// - Backward: `x̄ = ȳ ⊙ 1[x > 0]`; at exactly 0 the subgradient 0 is used, as in PyTorch.
  public func relu() -> Tensor {
    mapped(.relu).recorded("relu", "x̄ = ȳ⊙1[x>0]", from: self) { dy, y, _ in
      // One pass, ȳ where y > 0 and 0 elsewhere (PyTorch's `threshold_backward`); recording the
      // backward (double backward), the same as differentiable ops, the mask a constant.
      GradMode.isEnabled
        ? dy * y.mapped(.positive) : Tensor.zipped(.passedWherePositive, dy, y, op: "relu")
    }
  }

  /// Logistic sigmoid `σ(x) = 1 / (1 + e⁻ˣ)`, computed stably for large |x|.
  ///
  /// - Backward: `x̄ = ȳ ⊙ y(1 − y)`
  public func sigmoid() -> Tensor {
    mapped(.sigmoid).recorded("sigmoid", "x̄ = ȳ⊙y(1−y)", from: self) { dy, y, _ in
      dy * (y * (1 - y))
    }
  }

  /// Hyperbolic tangent.
  ///
  /// - Backward: `x̄ = ȳ ⊙ (1 − y²)`
  public func tanh() -> Tensor {
    mapped(.tanh).recorded("tanh", "x̄ = ȳ⊙(1−y²)", from: self) { dy, y, _ in
      dy * (1 - y * y)
    }
  }

  /// The sign: −1, 0 or 1. Piecewise constant, so its gradient is 0 everywhere (as in PyTorch).
  ///
  /// - Backward: `x̄ = 0`
  public func sign() -> Tensor {
    mapped(.sign).recorded("sign", "x̄ = 0", from: self) { dy, _, _ in Tensor.zeros(like: dy) }
  }

  /// The hard threshold (Heaviside step) `1[x ≥ threshold]`: 1 where x ≥ threshold, else 0.
  /// Piecewise constant, so its gradient is 0 everywhere — why it cannot be trained by backprop.
  ///
  /// - Backward: `x̄ = 0`
  public func hardThreshold(_ threshold: Double = 0) -> Tensor {
    mapped(.step(threshold: threshold)).recorded("hardThreshold", "x̄ = 0", from: self) {
      dy, _, _ in Tensor.zeros(like: dy)
    }
  }

  /// `x` limited to `[min, max]`.
  ///
  /// - Backward: `x̄ = ȳ ⊙ 1[min ≤ x ≤ max]`
  public func clamp(min: Double = -.infinity, max: Double = .infinity) -> Tensor {
    mapped(.clamp(min: min, max: max)).recorded("clamp", "x̄ = ȳ⊙1[min≤x≤max]", from: self) {
      dy, _, x in
      dy * (x.mapped(.step(threshold: min)) * (-x).mapped(.step(threshold: -max)))
    }
  }

  /// `x²`, the same as `pow(2)`.
  public func square() -> Tensor { pow(2) }
}
