import AutoGrad

/// D6 (report 001 §3.2–3.3): the cross-entropies are negative log-likelihoods.
///
/// - Bernoulli: with `P(y | x, θ) = ŷʸ(1 − ŷ)¹⁻ʸ`, `−(1/N) Σ log P(yᵢ) =
///   −(1/N) Σ [yᵢ log ŷᵢ + (1 − yᵢ) log(1 − ŷᵢ)]`, the BCE.
/// - Categorical: with `P(y | x, θ) = Πₖ ŷₖ^[y=k]`, the NLL is `−Σₙ Σₖ yₙₖ log ŷₙₖ`, the CE
///   (the report writes `yᵢ log ŷⱼ`; the label carries both indices, `yᵢⱼ`).
///
/// Each identity is checked on values and on gradients: the likelihood is written as a
/// probability (powers, or picking the observed class), differentiated by the tape and by finite
/// differences, and compared with the hand gradient of the cross-entropy with respect to the
/// logits, `(σ(z) − y)/N` and `(softmax(z) − y)/N`.
enum D06CrossEntropyLikelihood {
  /// `−(1/N) Σ log(ŷʸ(1 − ŷ)¹⁻ʸ)`, `ŷ = σ(z)`: the Bernoulli negative log-likelihood.
  static func bernoulliNLL(logits z: Tensor, y: Tensor) -> Tensor {
    let p = z.sigmoid()
    return -(p.pow(y) * (1 - p).pow(1 - y)).log().mean()
  }

  /// `−(1/N) Σ [y log ŷ + (1 − y) log(1 − ŷ)]`, `ŷ = σ(z)`: the binary cross-entropy.
  static func binaryCrossEntropy(logits z: Tensor, y: Tensor) -> Tensor {
    let p = z.sigmoid()
    return -(y * p.log() + (1 - y) * (1 - p).log()).mean()
  }

  /// `∂BCE/∂z = (σ(z) − y)/N`.
  static func binaryCrossEntropyGradient(logits z: Tensor, y: Tensor) -> Tensor {
    (z.sigmoid() - y) / Double(z.count)
  }

  /// `−(1/N) Σₙ log ŷₙ,cₙ`: the probability of each observed class `cₙ`, picked from
  /// `ŷ = softmax(z)`; `Πₖ ŷₖ^[y=k]` is that entry.
  static func categoricalNLL(logits z: Tensor, classes: Tensor) -> Tensor {
    -z.softmax(axis: 1).gather(axis: 1, indices: classes).log().mean()
  }

  /// `−(1/N) Σₙ Σₖ yₙₖ log ŷₙₖ`: the categorical cross-entropy with one-hot rows `y`.
  static func crossEntropy(logits z: Tensor, y: Tensor) -> Tensor {
    -(y * z.softmax(axis: 1).log()).sum() / Double(z.shape[0])
  }

  /// `∂CE/∂z = (softmax(z) − y)/N`.
  static func crossEntropyGradient(logits z: Tensor, y: Tensor) -> Tensor {
    (z.softmax(axis: 1) - y) / Double(z.shape[0])
  }

  /// Both identities, on 10 binary and 8 four-class samples.
  static func checks(using generator: inout SeededGenerator) -> [DerivationResult] {
    let z = DerivationMath.uniform([10], -3, 3, &generator)
    let y = DerivationMath.binaryLabels(10, &generator)
    let valueGap = withoutGrad {
      Swift.abs(bernoulliNLL(logits: z, y: y).item() - binaryCrossEntropy(logits: z, y: y).item())
    }
    let bernoulliOf: ([Tensor]) -> Tensor = { bernoulliNLL(logits: $0[0], y: y) }
    let bernoulli = checkDerivation("Bernoulli", at: [z], of: bernoulliOf) {
      [binaryCrossEntropyGradient(logits: $0[0], y: y)]
    }

    let logits = DerivationMath.uniform([8, 4], -3, 3, &generator)
    let (oneHot, labels) = DerivationMath.oneHot(8, classes: 4, &generator)
    let classes = Tensor(shape: [8, 1], doubles: labels.map(Double.init), dtype: .float64)
    let categoricalGap = withoutGrad {
      Swift.abs(
        categoricalNLL(logits: logits, classes: classes).item()
          - crossEntropy(logits: logits, y: oneHot).item())
    }
    let categoricalOf: ([Tensor]) -> Tensor = { categoricalNLL(logits: $0[0], classes: classes) }
    let categorical = checkDerivation("categorical", at: [logits], of: categoricalOf) {
      [crossEntropyGradient(logits: $0[0], y: oneHot)]
    }

    return [
      DerivationResult(
        id: "D6", variant: "bernoulli",
        statement: "−(1/N)Σ log(ŷʸ(1 − ŷ)¹⁻ʸ) = −(1/N)Σ[y log ŷ + (1 − y) log(1 − ŷ)] (BCE); "
          + "both have gradient (σ(z) − y)/N",
        check: bernoulli, alsoRequires: valueGap <= 1e-12,
        notes: ["|NLL − BCE| = \(DerivationMath.sci(valueGap)) on the values"]),
      DerivationResult(
        id: "D6", variant: "categorical",
        statement: "−(1/N)Σₙ log Πₖ ŷₙₖ^[yₙ=k] = −(1/N)ΣₙΣₖ yₙₖ log ŷₙₖ (CE); "
          + "both have gradient (softmax(z) − y)/N",
        check: categorical, alsoRequires: categoricalGap <= 1e-12,
        notes: ["|NLL − CE| = \(DerivationMath.sci(categoricalGap)) on the values"]),
    ]
  }
}
