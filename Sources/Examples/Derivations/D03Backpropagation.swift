import AutoGrad

/// D3 and D4 (report 001 §2): the four equations of backpropagation, implemented by hand on a
/// random 4-5-4-3 network and compared with the tape's gradients of every weight and bias.
///
/// Notation (Nielsen's): `zˡ = wˡaˡ⁻¹ + bˡ`, `aˡ = σ(zˡ)`, `a⁰ = x`, quadratic cost
/// `C = ½‖aᴸ − y‖²` so `∇ₐC = aᴸ − y`, and `Σ'(z) = diag(σ'(z))`.
///
/// - BP1: `δᴸ = ∇ₐC ⊙ σ'(zᴸ) = Σ'(zᴸ)∇ₐC`
/// - BP2: `δˡ = ((wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ'(zˡ) = Σ'(zˡ)(wˡ⁺¹)ᵀδˡ⁺¹`
/// - BP3: `∂C/∂bˡⱼ = δˡⱼ`
/// - BP4: `∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ`
///
/// and, unrolled (§2.3), `δˡ = Σ'(zˡ)(wˡ⁺¹)ᵀ Σ'(zˡ⁺¹) ⋯ (wᴸ)ᵀ Σ'(zᴸ) ∇ₐC`. With a linear
/// activation (§2.4) `σ'(z) = 1`, `Σ' = I`, and the equations lose their σ' factors.
enum D03Backpropagation {
  /// The activation of every layer.
  enum Activation {
    case sigmoid, linear

    /// `σ(z)`.
    func callAsFunction(_ z: Tensor) -> Tensor {
      self == .sigmoid ? z.sigmoid() : z
    }

    /// `σ'(z)`: `σ(z)(1 − σ(z))`, or 1 for the identity.
    func derivative(_ z: Tensor) -> Tensor {
      guard self == .sigmoid else { return Tensor.ones(like: z) }
      let s = z.sigmoid()
      return s * (1 - s)
    }
  }

  /// A network's parameters, `[w¹, b¹, w², b², …]`, `wˡ` of shape `[nₗ, nₗ₋₁]`.
  static func randomParameters(
    sizes: [Int], using generator: inout SeededGenerator
  ) -> [Tensor] {
    (1..<sizes.count).flatMap { l in
      [
        DerivationMath.uniform([sizes[l], sizes[l - 1]], -1, 1, &generator),
        DerivationMath.uniform([sizes[l]], -0.5, 0.5, &generator),
      ]
    }
  }

  /// The forward pass: pre-activations `[z¹, …, zᴸ]` and activations `[a⁰ = x, a¹, …, aᴸ]`.
  static func forward(
    _ parameters: [Tensor], x: Tensor, activation: Activation
  ) -> (z: [Tensor], a: [Tensor]) {
    var zs: [Tensor] = []
    var activations = [x]
    for l in 0..<parameters.count / 2 {
      let z = parameters[2 * l].matmul(activations[l]) + parameters[2 * l + 1]
      zs.append(z)
      activations.append(activation(z))
    }
    return (zs, activations)
  }

  /// The quadratic cost `C = ½‖aᴸ − y‖²`.
  static func cost(_ parameters: [Tensor], x: Tensor, y: Tensor, activation: Activation) -> Tensor {
    let a = forward(parameters, x: x, activation: activation).a
    let output = a[a.count - 1]
    return 0.5 * ((output - y) * (output - y)).sum()
  }

  /// The gradients `[∂C/∂w¹, ∂C/∂b¹, …]` by BP1–BP4, δ propagated one layer at a time.
  static func fourEquations(
    _ parameters: [Tensor], x: Tensor, y: Tensor, activation: Activation
  ) -> [Tensor] {
    let (z, a) = forward(parameters, x: x, activation: activation)
    let layers = z.count
    var grads = [Tensor](repeating: x, count: 2 * layers)
    var delta = (a[layers] - y) * activation.derivative(z[layers - 1])  // BP1
    for l in stride(from: layers - 1, through: 0, by: -1) {
      grads[2 * l + 1] = delta  // BP3
      grads[2 * l] = DerivationMath.outer(delta, a[l])  // BP4: aˡ⁻¹ₖ δˡⱼ
      if l > 0 {
        delta = parameters[2 * l].T.matmul(delta) * activation.derivative(z[l - 1])  // BP2
      }
    }
    return grads
  }

  /// The same gradients from the unrolled product (§2.3):
  /// `δˡ = Σ'(zˡ)(wˡ⁺¹)ᵀ ⋯ Σ'(zᴸ⁻¹)(wᴸ)ᵀ Σ'(zᴸ) ∇ₐC`, the matrix product formed explicitly
  /// with diagonal matrices, then BP3 and BP4.
  static func chainedProduct(
    _ parameters: [Tensor], x: Tensor, y: Tensor, activation: Activation
  ) -> [Tensor] {
    let (z, a) = forward(parameters, x: x, activation: activation)
    let layers = z.count
    let gradientOfCost = a[layers] - y
    var grads = [Tensor](repeating: x, count: 2 * layers)
    for l in 0..<layers {
      var product = DerivationMath.diagonal(activation.derivative(z[l]))
      for k in (l + 1)..<layers {
        product = product.matmul(parameters[2 * k].T)
          .matmul(DerivationMath.diagonal(activation.derivative(z[k])))
      }
      let delta = product.matmul(gradientOfCost)
      grads[2 * l + 1] = delta
      grads[2 * l] = DerivationMath.outer(delta, a[l])
    }
    return grads
  }

  /// The four equations as rewritten for `σ(z) = z` (§2.4): `δᴸ = ∇ₐC`,
  /// `δˡ = (wˡ⁺¹)ᵀδˡ⁺¹`, `∂C/∂bˡⱼ = δˡⱼ`, `∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ` — no σ' anywhere.
  static func linearEquations(_ parameters: [Tensor], x: Tensor, y: Tensor) -> [Tensor] {
    let a = forward(parameters, x: x, activation: .linear).a
    let layers = parameters.count / 2
    var grads = [Tensor](repeating: x, count: 2 * layers)
    var delta = a[layers] - y
    for l in stride(from: layers - 1, through: 0, by: -1) {
      grads[2 * l + 1] = delta
      grads[2 * l] = DerivationMath.outer(delta, a[l])
      if l > 0 { delta = parameters[2 * l].T.matmul(delta) }
    }
    return grads
  }

  /// D3: both forms on a random sigmoid network.
  static func sigmoidChecks(using generator: inout SeededGenerator) -> [DerivationResult] {
    let (parameters, x, y) = problem(using: &generator)
    let lossOf: ([Tensor]) -> Tensor = { cost($0, x: x, y: y, activation: .sigmoid) }
    let byLayer = checkDerivation("BP1–BP4", at: parameters, of: lossOf) {
      fourEquations($0, x: x, y: y, activation: .sigmoid)
    }
    let unrolled = checkDerivation("unrolled", at: parameters, of: lossOf) {
      chainedProduct($0, x: x, y: y, activation: .sigmoid)
    }
    return [
      DerivationResult(
        id: "D3", variant: "four-equations",
        statement: "δᴸ = ∇ₐC ⊙ σ'(zᴸ), δˡ = ((wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ'(zˡ), ∂C/∂bˡⱼ = δˡⱼ, "
          + "∂C/∂wˡⱼₖ = aˡ⁻¹ₖδˡⱼ  (sigmoid 4-5-4-3 net, all 6 parameter tensors)",
        check: byLayer),
      DerivationResult(
        id: "D3", variant: "chained-product",
        statement: "δˡ = Σ'(zˡ)(wˡ⁺¹)ᵀ ⋯ Σ'(zᴸ⁻¹)(wᴸ)ᵀ Σ'(zᴸ)∇ₐC  (§2.3)", check: unrolled),
    ]
  }

  /// D4: the equations for a linear activation, on the same kind of network.
  static func linearChecks(using generator: inout SeededGenerator) -> [DerivationResult] {
    let (parameters, x, y) = problem(using: &generator)
    let lossOf: ([Tensor]) -> Tensor = { cost($0, x: x, y: y, activation: .linear) }
    let check = checkDerivation("linear", at: parameters, of: lossOf) {
      linearEquations($0, x: x, y: y)
    }
    return [
      DerivationResult(
        id: "D4", variant: "linear",
        statement: "σ(z) = z, Σ' = I: δᴸ = ∇ₐC, δˡ = (wˡ⁺¹)ᵀδˡ⁺¹, ∂C/∂bˡⱼ = δˡⱼ, "
          + "∂C/∂wˡⱼₖ = aˡ⁻¹ₖδˡⱼ",
        check: check)
    ]
  }

  /// Parameters of a 4-5-4-3 network, an input and a target.
  private static func problem(
    using generator: inout SeededGenerator
  ) -> (parameters: [Tensor], x: Tensor, y: Tensor) {
    let parameters = randomParameters(sizes: [4, 5, 4, 3], using: &generator)
    let x = DerivationMath.uniform([4], -1, 1, &generator)
    let y = DerivationMath.uniform([3], 0, 1, &generator)
    return (parameters, x, y)
  }
}
