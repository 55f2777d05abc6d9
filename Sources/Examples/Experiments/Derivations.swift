import AutoGrad

/// E23 `derivations`: every derivation D1–D14 of the reports, the hand formula written as code,
/// compared with the tape and with central finite differences in float64 on random inputs.
///
/// Prints, per check: ID, variant, the two largest differences, PASS or FAIL, the statement, and
/// for the two formulas the reports got wrong (D9 in report 001, D13 in report 004) why. Those
/// two FAIL — the correct verdict — next to their corrected versions, which PASS. The run fails
/// (status 1) only if some verdict is not the expected one.
struct Derivations: Experiment {
  static let name = "derivations"
  static let summary = "D1–D14: hand-derived formulas vs the tape and finite differences"
  static let defaultDataset = "none"

  static let booleanMaxDimension = Option<Int>(
    "boolean-max-dimension", default: 10, quick: 6, range: 1...12,
    help: "D14: largest D checked exhaustively (2ᴰ inputs × every A ≤ B)")
  static let perturbationDraws = Option<Int>(
    "perturbation-draws", default: 8, quick: 2, range: 1...1000,
    help: "D14: random perturbations per dimension")

  static var extraOptions: [OptionSpec] { [booleanMaxDimension.spec, perturbationDraws.spec] }

  /// A verdict that is not the expected one.
  struct UnexpectedVerdict: Error, CustomStringConvertible {
    let checks: [String]
    var description: String {
      "unexpected verdicts: " + checks.joined(separator: ", ")
    }
  }

  let context: RunContext
  let configuration: DerivationSuite.Configuration

  init(context: RunContext) throws {
    self.context = context
    configuration = DerivationSuite.Configuration(
      booleanMaxDimension: context[Self.booleanMaxDimension],
      perturbationDraws: context[Self.perturbationDraws])
  }

  func run() throws {
    let console = context.console
    console.print(
      "Each hand formula is compared with the tape and with central finite differences "
        + "(ε = 1e-6), in float64;")
    console.print(
      "agreement means a max absolute difference ≤ 1e-6 (— where the check is not a derivative). "
        + "Inputs: seed \(context.seed).")
    console.print()
    printHeader()
    var all: [DerivationResult] = []
    let suite = DerivationSuite.derivations
    for (index, derivation) in suite.enumerated() {
      console.progress(derivation.id, completed: index, total: suite.count)
      let results = DerivationSuite.run(
        derivation, seed: context.seed, configuration: configuration)
      console.heading("\(derivation.id)  \(derivation.title)  [report \(derivation.source)]")
      for result in results { printResult(result) }
      all += results
    }
    console.clearProgress()
    try summarize(all)
  }

  /// Column widths of a result line.
  private static let widths = (variant: 22, figure: 14)

  /// The column titles above the result lines.
  private func printHeader() {
    let w = Self.widths
    context.console.print(
      "  " + Format.pad("variant", to: w.variant)
        + Format.pad("max|hand−tape|", to: w.figure, right: true)
        + Format.pad("max|hand−FD|", to: w.figure, right: true) + "  verdict")
  }

  /// One check: a line of figures, the statement, notes, and the explanation of a wrong formula.
  private func printResult(_ result: DerivationResult) {
    let console = context.console
    let w = Self.widths
    let figures =
      Format.pad(DerivationMath.sci(result.maxDiffTape), to: w.figure, right: true)
      + Format.pad(DerivationMath.sci(result.maxDiffNumeric), to: w.figure, right: true)
    let expectation =
      result.isExpected
      ? (result.expectedToPass ? "" : "  (expected: the report's formula is wrong)")
      : "  UNEXPECTED"
    console.print(
      "  " + Format.pad(result.variant, to: w.variant) + figures + "  " + result.verdict
        + expectation)
    console.print("      " + result.statement)
    for note in result.notes { console.print("      · " + note) }
    if let explanation = result.explanation { console.print("      why: " + explanation) }
  }

  /// The totals, the metrics, and an error if a verdict is unexpected.
  private func summarize(_ all: [DerivationResult]) throws {
    let console = context.console
    let passed = all.filter(\.passed).count
    let failed = all.count - passed
    let unexpected = all.filter { !$0.isExpected }
    let wrong = all.filter { !$0.expectedToPass }.map { "\($0.id) \($0.variant)" }
    console.heading(
      "\(all.count) checks: \(passed) PASS, \(failed) FAIL; expected FAIL (wrong in the "
        + "reports): \(wrong.joined(separator: ", ")); unexpected verdicts: \(unexpected.count)")

    let rows: [JSONValue] = all.map { result in
      var row: JSONObject = [
        "id": JSONValue(result.id), "variant": JSONValue(result.variant),
        "maxDiffTape": JSONValue(result.maxDiffTape),
        "maxDiffNumeric": JSONValue(result.maxDiffNumeric),
        "passed": JSONValue(result.passed), "expectedToPass": JSONValue(result.expectedToPass),
        "statement": JSONValue(result.statement),
      ]
      if let explanation = result.explanation { row["explanation"] = JSONValue(explanation) }
      return .object(row)
    }
    context.results.recordParameter("tolerance", 1e-6)
    context.results.recordParameter("finiteDifferenceStep", 1e-6)
    context.record("derivations", rows)
    context.record("passedCount", passed)
    context.record("failedCount", failed)
    context.record("unexpectedCount", unexpected.count)
    if !unexpected.isEmpty {
      throw UnexpectedVerdict(checks: unexpected.map { "\($0.id) \($0.variant) \($0.verdict)" })
    }
  }
}
