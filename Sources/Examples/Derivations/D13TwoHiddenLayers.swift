import AutoGrad

/// D13 (report 004 §1.5): `∂L/∂w⁽¹⁾ᵢⱼ` for a network with two ReLU hidden layers, a softmax
/// output and a quadratic loss.
///
/// `a⁽¹⁾ = W⁽¹⁾x + b⁽¹⁾`, `h⁽¹⁾ = g(a⁽¹⁾)`, `a⁽²⁾ = W⁽²⁾h⁽¹⁾ + b⁽²⁾`, `h⁽²⁾ = g(a⁽²⁾)`,
/// `a⁽³⁾ = W⁽³⁾h⁽²⁾ + b⁽³⁾`, `ŷ = softmax(a⁽³⁾)`, `g = ReLU`, and the loss the report
/// differentiates, `L = Σₖ (yₖ − ŷₖ)²` (its `∂L/∂f = −2(y − f)`). By the chain rule
///
/// `∂L/∂w⁽¹⁾ᵢⱼ = Σₘ Σₖ δ⁽³⁾ₖ w⁽³⁾ₖₘ g'(a⁽²⁾ₘ) w⁽²⁾ₘᵢ g'(a⁽¹⁾ᵢ) xⱼ`,
/// `δ⁽³⁾ = (diag(ŷ) − ŷŷᵀ) · 2(ŷ − y)`.
///
/// The report sets `∂f/∂a⁽³⁾ = o'(z) = 1`, i.e. replaces the softmax Jacobian
/// `diag(ŷ) − ŷŷᵀ` by the identity, so its `δ⁽³⁾` is `2(ŷ − y)`. (It also drops the indices —
/// `Σₘ w⁽³⁾ₘ w⁽²⁾ₘ x_ij` — and the ReLU derivatives, which are 1 only for active units; the
/// check gives it the benefit of the doubt on both and keeps the sums over k and the
/// indicators, so the softmax Jacobian is the one difference.) That variant must FAIL.
enum D13TwoHiddenLayers {
  /// The one-line reason the report's formula fails.
  static let explanation =
    "it takes ∂softmax/∂a⁽³⁾ = 1; the softmax Jacobian is diag(ŷ) − ŷŷᵀ, and since every ŷₖ "
    + "depends on every a⁽³⁾ₗ it cannot be dropped"

  /// Weights and biases `[W⁽¹⁾, b⁽¹⁾, W⁽²⁾, b⁽²⁾, W⁽³⁾, b⁽³⁾]`, an input and a one-hot target.
  struct Problem {
    var parameters: [Tensor]
    var x: Tensor
    var y: Tensor
  }

  /// The forward pass: pre-activations `a⁽¹⁾, a⁽²⁾` and the output ŷ, for first-layer weights
  /// `w1` (the other parameters from `problem`).
  static func forward(_ w1: Tensor, _ problem: Problem) -> (a1: Tensor, a2: Tensor, output: Tensor)
  {
    let p = problem.parameters
    let a1 = w1.matmul(problem.x) + p[1]
    let a2 = p[2].matmul(a1.relu()) + p[3]
    let output = (p[4].matmul(a2.relu()) + p[5]).softmax()
    return (a1, a2, output)
  }

  /// `L = Σₖ (yₖ − ŷₖ)²` as a function of `W⁽¹⁾`.
  static func loss(_ w1: Tensor, _ problem: Problem) -> Tensor {
    let residual = problem.y - forward(w1, problem).output
    return (residual * residual).sum()
  }

  /// `∂L/∂W⁽¹⁾` given the output error `δ⁽³⁾`: `δ⁽²⁾ = (W⁽³⁾ᵀδ⁽³⁾) ⊙ g'(a⁽²⁾)`,
  /// `δ⁽¹⁾ = (W⁽²⁾ᵀδ⁽²⁾) ⊙ g'(a⁽¹⁾)`, `∂L/∂w⁽¹⁾ᵢⱼ = δ⁽¹⁾ᵢ xⱼ`.
  private static func firstLayerGradient(
    outputError delta3: Tensor, a1: Tensor, a2: Tensor, _ problem: Problem
  ) -> Tensor {
    let p = problem.parameters
    let delta2 = p[4].T.matmul(delta3) * (a2 .> 0)
    let delta1 = p[2].T.matmul(delta2) * (a1 .> 0)
    return DerivationMath.outer(delta1, problem.x)
  }

  /// The report's formula: `δ⁽³⁾ = 2(ŷ − y)`, as if `∂ŷ/∂a⁽³⁾ = I`.
  static func reportGradient(_ w1: Tensor, _ problem: Problem) -> Tensor {
    let (a1, a2, output) = forward(w1, problem)
    return firstLayerGradient(outputError: 2 * (output - problem.y), a1: a1, a2: a2, problem)
  }

  /// The corrected formula: `δ⁽³⁾ = (diag(ŷ) − ŷŷᵀ) · 2(ŷ − y)`.
  static func correctedGradient(_ w1: Tensor, _ problem: Problem) -> Tensor {
    let (a1, a2, output) = forward(w1, problem)
    let softmaxJacobian = DerivationMath.diagonal(output) - DerivationMath.outer(output, output)
    let delta3 = softmaxJacobian.matmul(2 * (output - problem.y))
    return firstLayerGradient(outputError: delta3, a1: a1, a2: a2, problem)
  }

  /// A random 4-5-4-3 problem whose pre-activations are all at least 0.2 away from ReLU's kink,
  /// with at least one active unit per hidden layer.
  static func randomProblem(using generator: inout SeededGenerator) -> Problem {
    let problem = Problem(
      parameters: D03Backpropagation.randomParameters(sizes: [4, 5, 4, 3], using: &generator),
      x: DerivationMath.uniform([4], -1, 1, &generator),
      y: DerivationMath.oneHot(1, classes: 3, &generator).rows.reshape([3]))
    for layer in 0..<2 {
      let a = withoutGrad { forward(problem.parameters[0], problem) }
      let preactivation = layer == 0 ? a.a1 : a.a2
      let bias = problem.parameters[2 * layer + 1]
      for i in 0..<bias.count {
        let value = preactivation[flat: i]
        // Push toward the active side for the first unit, away from 0 for all.
        if i == 0 && value < 0.2 {
          bias[flat: i] += 0.2 - value + 0.3
        } else if Swift.abs(value) < 0.2 {
          bias[flat: i] += value >= 0 ? 0.3 : -0.3
        }
      }
    }
    return problem
  }

  /// The report's formula and the corrected one, with respect to all of `W⁽¹⁾`.
  static func checks(using generator: inout SeededGenerator) -> [DerivationResult] {
    let problem = randomProblem(using: &generator)
    let w1 = problem.parameters[0]
    let lossOf: ([Tensor]) -> Tensor = { loss($0[0], problem) }
    let report = checkDerivation("report", at: [w1], of: lossOf) {
      [reportGradient($0[0], problem)]
    }
    let corrected = checkDerivation("corrected", at: [w1], of: lossOf) {
      [correctedGradient($0[0], problem)]
    }
    return [
      DerivationResult(
        id: "D13", variant: "report",
        statement: "∂L/∂w⁽¹⁾ᵢⱼ = Σₖ 2(ŷₖ − yₖ) Σₘ w⁽³⁾ₖₘ g'(a⁽²⁾ₘ) w⁽²⁾ₘᵢ g'(a⁽¹⁾ᵢ) xⱼ  "
          + "(∂ŷ/∂a⁽³⁾ taken as 1)",
        check: report, expectedToPass: false, explanation: explanation),
      DerivationResult(
        id: "D13", variant: "corrected",
        statement: "the same with δ⁽³⁾ = (diag(ŷ) − ŷŷᵀ)·2(ŷ − y)", check: corrected),
    ]
  }
}
