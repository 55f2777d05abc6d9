import AutoGrad
import XCTest

@testable import Examples

/// D1–D14: every hand formula agrees with the tape and finite differences (float64, random
/// inputs from a seeded generator), except the two the reports got wrong, which must FAIL.
final class DerivationTests: XCTestCase {
  /// D14 exhaustively up to D = 6 here (the experiment goes to 10), with two draws.
  let quick = DerivationSuite.Configuration(booleanMaxDimension: 6, perturbationDraws: 2)

  /// The results of derivation `id` with the inputs E23 draws for `seed`.
  private func run(_ id: String, seed: UInt64 = 0) -> [DerivationResult] {
    guard let derivation = DerivationSuite.derivation(id) else {
      XCTFail("no derivation \(id)")
      return []
    }
    return DerivationSuite.run(derivation, seed: seed, configuration: quick)
  }

  /// Asserts that every variant passes, and that there is at least one.
  private func assertAllPass(
    _ id: String, file: StaticString = #filePath, line: UInt = #line
  ) {
    let results = run(id)
    XCTAssertFalse(results.isEmpty, "\(id): no checks", file: file, line: line)
    for result in results {
      XCTAssertTrue(
        result.passed && result.expectedToPass,
        "\(id) \(result.variant): \(result.verdict), tape "
          + "\(DerivationMath.sci(result.maxDiffTape)), numeric "
          + "\(DerivationMath.sci(result.maxDiffNumeric)); \(result.notes)",
        file: file, line: line)
    }
  }

  /// The verdict of each variant of `id`.
  private func verdicts(_ id: String) -> [String: Bool] {
    Dictionary(uniqueKeysWithValues: run(id).map { ($0.variant, $0.passed) })
  }

  func testD01SigmoidDerivativeMatchesTape() { assertAllPass("D1") }

  func testD02LogisticGradientSummedAndPerSampleMatchTape() { assertAllPass("D2") }

  func testD03FourBackpropEquationsMatchTapeOnSigmoidNet() { assertAllPass("D3") }

  func testD04LinearActivationBackpropMatchesTape() { assertAllPass("D4") }

  func testD05SwappedCrossEntropyIsNonFiniteAtLabels() {
    assertAllPass("D5")
    var generator = SeededGenerator(seed: 3)
    let a = DerivationMath.uniform([4], 0.1, 0.9, &generator)
    let y = Tensor([0, 1, 0, 1], dtype: .float64)
    let swapped = D05SwappedCrossEntropy.swapped(a: a, y: y)
    let correct = D05SwappedCrossEntropy.correct(a: a, y: y)
    for i in 0..<4 {
      XCTAssertFalse(swapped[flat: i].isFinite, "swapped form at y = \(y[flat: i])")
      XCTAssertTrue(correct[flat: i].isFinite, "correct form at y = \(y[flat: i])")
    }
  }

  func testD06CrossEntropiesEqualNegativeLogLikelihoods() { assertAllPass("D6") }

  func testD07SoftTargetGradientVanishesAtTarget() { assertAllPass("D7") }

  func testD08OutputErrorIsActivationMinusTarget() { assertAllPass("D8") }

  func testD09ReportFormulaFailsAndCorrectedPasses() {
    XCTAssertEqual(verdicts("D9"), ["report": false, "corrected": true, "softmax-003": true])
    let report = run("D9").first { $0.variant == "report" }
    XCTAssertEqual(report?.expectedToPass, false)
    XCTAssertNotNil(report?.explanation)
    // The report's data term is the negated true one: far off, not a rounding effect.
    XCTAssertGreaterThan(report?.maxDiffTape ?? 0, 1e-2)
  }

  func testD10GradientHessianAndTheReportsFourthPoint() {
    assertAllPass("D10")
    let g = D10CriticalPoints.gradientOnTape(Tensor([[1.5, 3], [2, 2]], dtype: .float64))
    XCTAssertEqual(g[0, 0], 0, accuracy: 1e-12)
    XCTAssertEqual(g[0, 1], 2.25, accuracy: 1e-12)
    XCTAssertEqual(g[1, 0], 0, accuracy: 1e-12)
    XCTAssertEqual(g[1, 1], 0, accuracy: 1e-12)
    XCTAssertEqual(D10CriticalPoints.hessian(x: 2, y: 2), [[4, 2], [2, 4]])
    XCTAssertEqual(D10CriticalPoints.hessian(x: 1.5, y: 3), [[6, 3], [3, 3]])
  }

  func testD11ReLUGradientBothSidesAndConventionAtZero() { assertAllPass("D11") }

  func testD12LinearUnitsCannotMakeProductAndSquaredUnitsDo() {
    assertAllPass("D12")
    XCTAssertEqual(D12ProductLogit.bestAffineResidual(), 0.5, accuracy: 1e-12)
    XCTAssertEqual(
      D12ProductLogit.mixedDifference(D12ProductLogit.squaredUnitsLogit), 2, accuracy: 1e-12)
  }

  func testD13ReportFormulaFailsAndSoftmaxJacobianPasses() {
    XCTAssertEqual(verdicts("D13"), ["report": false, "corrected": true])
    let report = run("D13").first { $0.variant == "report" }
    XCTAssertEqual(report?.expectedToPass, false)
    XCTAssertGreaterThan(report?.maxDiffTape ?? 0, 1e-2)
  }

  func testD14ConstructionsComputeTheFunctionExhaustively() { assertAllPass("D14") }

  func testD14EveryWeightMovedByATenthCanFlipAnOutputAtDimensionTen() {
    // Σxᵢ = A = 10: z₁ = 1. Moving every first-unit weight and its bias by −0.1 gives
    // z₁ = 1 − 1.1 < 0, so h₁ = −1 and the output is wrong; the margin 1 only covers D ≤ 8.
    let d = 10
    let network = D14BooleanMLP.construction(.hardThreshold, dimension: d, intervals: [(10, 10)])
    var delta = [Double](repeating: 0.1, count: 2 * d + 5)
    for i in 0..<d { delta[2 * i] = -0.1 }
    delta[2 * d] = -0.1
    let x = Tensor(shape: [1, d], doubles: Array(repeating: 1, count: d), dtype: .float64)
    let original = D14BooleanMLP.outputs(network, x: x, thresholdOutput: true)
    let moved = D14BooleanMLP.outputs(
      D14BooleanMLP.perturbed(network, by: delta), x: x, thresholdOutput: true)
    XCTAssertEqual(original[flat: 0], 1)
    XCTAssertEqual(moved[flat: 0], -1)
  }

  func testD14ReLUOutputPreactivationIsZeroInsideAndAtMostMinusOneOutside() {
    // z₃ = 0 on [A, B], 1 − 2(A − s) for s < A (report table 9 prints 1 + 2(A − s)),
    // 1 + 2(B − s) for s > B.
    let d = 4
    let pairs = D14BooleanMLP.intervals(dimension: d)
    let x = D14BooleanMLP.hypercube(dimension: d)
    let network = D14BooleanMLP.construction(.relu, dimension: d, intervals: pairs)
    let z3 = D14BooleanMLP.outputPreactivation(network, x: x)
    for n in 0..<x.shape[0] {
      let s = (0..<d).reduce(0.0) { $0 + x[n, $1] }
      for (p, pair) in pairs.enumerated() {
        let (a, b) = (Double(pair.a), Double(pair.b))
        let expected = s < a ? 1 - 2 * (a - s) : (s > b ? 1 + 2 * (b - s) : 0)
        XCTAssertEqual(z3[n, p], expected, "x row \(n), A = \(pair.a), B = \(pair.b)")
      }
    }
  }

  func testSuiteFlagsExactlyTheTwoWrongReportFormulas() {
    var configuration = quick
    configuration.booleanMaxDimension = 4
    for seed: UInt64 in [0, 1, 2] {
      let results = DerivationSuite.derivations.flatMap {
        DerivationSuite.run($0, seed: seed, configuration: configuration)
      }
      let failed = results.filter { !$0.passed }.map { "\($0.id) \($0.variant)" }
      XCTAssertEqual(failed, ["D9 report", "D13 report"], "seed \(seed)")
      XCTAssertTrue(results.allSatisfy(\.isExpected), "seed \(seed)")
      XCTAssertEqual(Set(results.map(\.id)).count, 14, "every derivation D1–D14 has checks")
    }
  }
}
