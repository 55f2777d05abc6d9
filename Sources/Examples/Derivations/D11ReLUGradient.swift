import AutoGrad

/// D11 (report 004 §1.2): the gradient of `f(b, w) = ReLU(b + xw)` with `x, b, w ∈ ℝ`:
/// `∂f/∂b = 1[b + xw ≥ 0]` and `∂f/∂w = x·1[b + xw ≥ 0]`.
///
/// Away from the kink this is checked on both sides of 0. At `b + xw = 0` ReLU has no
/// derivative: its one-sided derivatives are 0 (left) and 1 (right), and any value in [0, 1] is
/// a subgradient. The report's cases (`≥ 0`) pick 1 there; the tape, like PyTorch, picks 0.
/// Central differences straddle the kink and give ½.
enum D11ReLUGradient {
  /// `Σᵢ ReLU(bᵢ + xᵢwᵢ)`: many independent copies of the report's scalar function.
  static func f(b: Tensor, w: Tensor, x: Tensor) -> Tensor {
    (b + x * w).relu().sum()
  }

  /// `[∂f/∂b, ∂f/∂w] = [1[b + xw ≥ 0], x·1[b + xw ≥ 0]]`, the report's cases.
  static func gradient(b: Tensor, w: Tensor, x: Tensor) -> [Tensor] {
    let active = (b + x * w) .>= 0
    return [active, x * active]
  }

  /// Both sides of 0, and the kink itself.
  static func checks(using generator: inout SeededGenerator) -> [DerivationResult] {
    // b + xw = ±(0.2 … 2), alternating in sign: half the units active, none near the kink.
    let count = 10
    let x = DerivationMath.uniform([count], -2, 2, &generator)
    let w = DerivationMath.uniform([count], -2, 2, &generator)
    let target = DerivationMath.uniform([count], 0.2, 2, &generator)
    for i in stride(from: 1, to: count, by: 2) { target[flat: i] = -target[flat: i] }
    let b = target - x * w
    let value: ([Tensor]) -> Tensor = { f(b: $0[0], w: $0[1], x: x) }
    let sides = checkDerivation("both sides", at: [b, w], of: value) {
      gradient(b: $0[0], w: $0[1], x: x)
    }

    // At the kink: b + xw = 0.5 + 2·(−0.25) = 0 exactly.
    let kink = (b: 0.5, w: -0.25, x: 2.0)
    let relu: (Double) -> Double = { Swift.max(0, $0) }
    let h = 0x1p-20  // a power of 2: every sum below is exact
    let at: (Double) -> Double = { relu(kink.b + $0 + kink.x * kink.w) }  // f at b + δ
    let left = (at(0) - at(-h)) / h
    let right = (at(h) - at(0)) / h
    let central = (at(h) - at(-h)) / (2 * h)
    let point = [Tensor([kink.b], dtype: .float64), Tensor([kink.w], dtype: .float64)]
    let xs = Tensor([kink.x], dtype: .float64)
    let tape = gradients(at: point) { f(b: $0[0], w: $0[1], x: xs) }
    let report = withoutGrad { gradient(b: point[0], w: point[1], x: xs) }
    let (tapeB, reportB) = (tape[0][flat: 0], report[0][flat: 0])
    let isSubgradient = (left...right).contains(tapeB) && (left...right).contains(reportB)
    return [
      DerivationResult(
        id: "D11", variant: "both-sides",
        statement: "∂f/∂b = 1[b + xw ≥ 0], ∂f/∂w = x·1[b + xw ≥ 0]  (b + xw = ±0.2…±2)",
        check: sides),
      DerivationResult(
        id: "D11", variant: "at-zero",
        statement: "at b + xw = 0 there is no derivative; one-sided 0 and 1, any value in "
          + "[0, 1] is a subgradient",
        passed: left == 0 && right == 1 && isSubgradient,
        notes: [
          "one-sided ∂f/∂b: left \(Format.shortest(left)), right \(Format.shortest(right)); "
            + "central differences \(Format.fixed(central, 3))",
          "convention at 0: the tape (like PyTorch) uses \(Format.shortest(tapeB)), the "
            + "report's cases use \(Format.shortest(reportB)) — both subgradients",
        ]),
    ]
  }
}
