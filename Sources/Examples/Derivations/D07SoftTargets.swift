import AutoGrad

/// D7 (report 001 §3.4): with soft targets `y ∈ (0, 1)`, the cross-entropy
/// `C = −(1/N) Σ [y ln σ(z) + (1 − y) ln(1 − σ(z))]`, `z = wᵀx + b`, has zero gradient where
/// `σ(z) = y` for every sample, since `∂C/∂w_j = (1/N) Σ x_j(σ(z) − y)` and
/// `∂C/∂b = (1/N) Σ (σ(z) − y)`.
///
/// The targets are made from a random model, `y = σ(Xw + b)`, so that point exists. The report
/// writes both gradients with a leading minus, `−(1/N) Σ x_j(σ(z) − y)`; that sign is wrong in
/// general but vanishes with the gradient at `σ(z) = y`, so the claim it is used for stands. The
/// note printed with the check measures it away from that point.
enum D07SoftTargets {
  /// The soft-target cross-entropy as a function of `w` `[d]` and `b` `[1]`.
  static func loss(w: Tensor, b: Tensor, x: Tensor, y: Tensor) -> Tensor {
    let p = (x.matmul(w) + b).sigmoid()
    return -(y * p.log() + (1 - y) * (1 - p).log()).mean()
  }

  /// `[∂C/∂w, ∂C/∂b] = [(1/N) Xᵀ(σ(z) − y), (1/N) Σ (σ(z) − y)]`.
  static func gradient(w: Tensor, b: Tensor, x: Tensor, y: Tensor) -> [Tensor] {
    let residual = (x.matmul(w) + b).sigmoid() - y
    let n = Double(x.shape[0])
    return [x.T.matmul(residual) / n, residual.sum().reshape([1]) / n]
  }

  /// The check at `σ(z) = y`, with the report's sign measured elsewhere.
  static func checks(using generator: inout SeededGenerator) -> [DerivationResult] {
    let x = DerivationMath.uniform([8, 3], -2, 2, &generator)
    let w = DerivationMath.uniform([3], -1, 1, &generator)
    let b = DerivationMath.uniform([1], -0.5, 0.5, &generator)
    let y = withoutGrad { (x.matmul(w) + b).sigmoid() }
    let lossOf: ([Tensor]) -> Tensor = { loss(w: $0[0], b: $0[1], x: x, y: y) }
    let check = checkDerivation("soft targets", at: [w, b], of: lossOf) {
      gradient(w: $0[0], b: $0[1], x: x, y: y)
    }
    let tape = gradients(at: [w, b], of: lossOf)
    let largest = Swift.max(DerivationMath.maxAbs(tape[0]), DerivationMath.maxAbs(tape[1]))

    // Elsewhere (targets from another model) the report's −(1/N)Σ x_j(σ(z) − y) is off.
    let elsewhere = DerivationMath.uniform([8], 0.05, 0.95, &generator)
    let report = withoutGrad { gradient(w: w, b: b, x: x, y: elsewhere).map { -$0 } }
    let truth = gradients(at: [w, b]) { loss(w: $0[0], b: $0[1], x: x, y: elsewhere) }
    let reportSignError = Swift.max(
      DerivationMath.maxAbsDifference(report[0], truth[0]),
      DerivationMath.maxAbsDifference(report[1], truth[1]))
    return [
      DerivationResult(
        id: "D7", variant: "zero-at-target",
        statement: "∂C/∂w_j = (1/N)Σ x_j(σ(z) − y) and ∂C/∂b = (1/N)Σ(σ(z) − y) vanish where "
          + "σ(z) = y",
        check: check, alsoRequires: largest <= 1e-12,
        notes: [
          "max |tape gradient| at σ(z) = y: \(DerivationMath.sci(largest))",
          "the report's sign, −(1/N)Σ x_j(σ(z) − y), is off by up to "
            + "\(DerivationMath.sci(reportSignError)) where σ(z) ≠ y; harmless at σ(z) = y",
        ])
    ]
  }
}
