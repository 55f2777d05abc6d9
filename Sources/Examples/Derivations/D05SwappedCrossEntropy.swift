import AutoGrad

/// D5 (report 001 §3.1): the cross-entropy with `y` and `a` swapped,
/// `−[a ln y + (1 − a) ln(1 − y)]`, is undefined at the labels `y ∈ {0, 1}` (it takes `ln 0`),
/// while the correct `−[y ln a + (1 − y) ln(1 − a)]` is finite for every `a ∈ (0, 1)`.
///
/// This is a statement about values, so the swapped form is checked numerically (IEEE
/// arithmetic gives `ln 0 = −∞`, hence `+∞`); the correct form is also differentiated:
/// `∂/∂a = −y/a + (1 − y)/(1 − a) = (a − y) / (a(1 − a))`.
enum D05SwappedCrossEntropy {
  /// `−[a ln y + (1 − a) ln(1 − y)]`, element-wise: the report's "incorrect formula".
  static func swapped(a: Tensor, y: Tensor) -> Tensor {
    -(a * y.log() + (1 - a) * (1 - y).log())
  }

  /// `−[y ln a + (1 − y) ln(1 − a)]`, element-wise.
  static func correct(a: Tensor, y: Tensor) -> Tensor {
    -(y * a.log() + (1 - y) * (1 - a).log())
  }

  /// `∂/∂a −[y ln a + (1 − y) ln(1 − a)] = (a − y) / (a(1 − a))`.
  static func derivative(a: Tensor, y: Tensor) -> Tensor {
    (a - y) / (a * (1 - a))
  }

  /// Both forms at 10 outputs `a ∈ [0.05, 0.95)` with labels 0 and 1.
  static func checks(using generator: inout SeededGenerator) -> [DerivationResult] {
    let a = DerivationMath.uniform([10], 0.05, 0.95, &generator)
    let y = DerivationMath.binaryLabels(10, &generator)
    let swappedValues = withoutGrad { swapped(a: a, y: y) }
    let correctValues = withoutGrad { correct(a: a, y: y) }
    let swappedNonFinite = (0..<10).filter { !swappedValues[flat: $0].isFinite }.count
    let correctFinite = (0..<10).filter { correctValues[flat: $0].isFinite }.count
    let total: ([Tensor]) -> Tensor = { correct(a: $0[0], y: y).sum() }
    let check = checkDerivation("correct", at: [a], of: total) {
      [derivative(a: $0[0], y: y)]
    }
    let sample = (0..<2).map { i in
      "a = \(Format.fixed(a[flat: i], 3)), y = \(Int(y[flat: i])): swapped "
        + "\(swappedValues[flat: i]), correct \(Format.fixed(correctValues[flat: i], 4))"
    }
    return [
      DerivationResult(
        id: "D5", variant: "swapped",
        statement: "−[a ln y + (1 − a) ln(1 − y)] is non-finite at y ∈ {0, 1} (ln 0)",
        passed: swappedNonFinite == 10,
        notes: ["non-finite at \(swappedNonFinite) of 10 labelled samples: confirmed"] + sample),
      DerivationResult(
        id: "D5", variant: "correct",
        statement: "−[y ln a + (1 − y) ln(1 − a)] is finite at y ∈ {0, 1}; "
          + "∂/∂a = (a − y)/(a(1 − a))",
        check: check, alsoRequires: correctFinite == 10,
        notes: ["finite at \(correctFinite) of 10 labelled samples"]),
    ]
  }
}
