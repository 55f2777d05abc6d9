import AutoGrad

/// Tables 7–9 of report 002 Q3, computed from the constructions' values (D14BooleanMLP).
extension BooleanMLP {
  /// The inputs of table 7, in the report's order.
  static let table7Inputs: [[Double]] = [[1, 1], [1, -1], [-1, 1], [-1, -1]]

  /// f for D = 2, A = 0, B = 1.
  static func f(_ x: [Double]) -> Double {
    let s = x.reduce(0, +)
    return s >= 0 && s <= 1 ? 1 : -1
  }

  /// `+1`, `-1`, `0`.
  static func signed(_ value: Double) -> String {
    value > 0 ? "+" + Format.shortest(value) : Format.shortest(value)
  }

  func printTable7() {
    context.console.heading("Table 7: f for D = 2, A = 0, B = 1")
    let x = Tensor(Self.table7Inputs, dtype: .float64)
    let f = D14BooleanMLP.target(x: x, intervals: [(a: 0, b: 1)]).scalars(as: Double.self)
    var table = Table(header: ["x₁", "x₂", "f(x)"])
    for (row, input) in Self.table7Inputs.enumerated() {
      table.addRow([Self.signed(input[0]), Self.signed(input[1]), Self.signed(f[row])])
    }
    context.console.print(table)
  }

  /// Which of the report's three intervals `Σx` falls in.
  enum Regime: Int, CaseIterable {
    case inside, below, above

    init(sum: Double, a: Double, b: Double) {
      self = sum < a ? .below : (sum > b ? .above : .inside)
    }

    var text: String {
      switch self {
      case .inside: return "A ≤ Σx ≤ B"
      case .below: return "Σx < A"
      case .above: return "Σx > B"
      }
    }
  }

  /// Everything one construction computes for every input and interval of one D, flattened
  /// row-major over `[input, interval]`.
  struct Evaluated {
    var sums: [Double] = []
    var a: [Double] = []
    var b: [Double] = []
    var h1: [Double] = []
    var h2: [Double] = []
    var z3: [Double] = []
    var output: [Double] = []
    var f: [Double] = []
  }

  /// Runs construction `kind` on all of {−1, +1}ᴰ for every interval.
  static func evaluate(_ kind: D14BooleanMLP.Kind, dimension d: Int) -> Evaluated {
    let x = D14BooleanMLP.hypercube(dimension: d)
    let pairs = D14BooleanMLP.intervals(dimension: d)
    let network = D14BooleanMLP.construction(kind, dimension: d, intervals: pairs)
    let (h1, h2) = withoutGrad {
      let z = x.matmul(network.hidden)
      let z1 =
        z.narrow(axis: 1, start: 0, length: 1)
        + network.hiddenBias.narrow(axis: 0, start: 0, length: 1)
      let z2 =
        z.narrow(axis: 1, start: 1, length: 1)
        + network.hiddenBias.narrow(axis: 0, start: 1, length: 1)
      return kind == .relu
        ? (z1.relu(), z2.relu()) : (D14BooleanMLP.sign(z1), D14BooleanMLP.sign(z2))
    }
    let sums = x.sum(axis: 1).scalars(as: Double.self)
    var result = Evaluated()
    for n in 0..<x.shape[0] {
      for pair in pairs {
        result.sums.append(sums[n])
        result.a.append(Double(pair.a))
        result.b.append(Double(pair.b))
      }
    }
    result.h1 = h1.scalars(as: Double.self)
    result.h2 = h2.scalars(as: Double.self)
    result.z3 = D14BooleanMLP.outputPreactivation(network, x: x).scalars(as: Double.self)
    result.output = D14BooleanMLP.outputs(network, x: x).scalars(as: Double.self)
    result.f = D14BooleanMLP.target(x: x, intervals: pairs).scalars(as: Double.self)
    return result
  }

  /// Table 8 from the hard-threshold network: the values (h₁, h₂, b, ŷ, f) seen in each regime
  /// over every D, interval and input. Returns whether each regime shows exactly the report's
  /// row.
  func hardThresholdRegimes(maxDimension: Int) -> Bool {
    var seen = [Set<[Double]>](repeating: [], count: 3)
    var counts = [Int](repeating: 0, count: 3)
    for d in 1...maxDimension {
      let e = Self.evaluate(.hardThreshold, dimension: d)
      for i in e.sums.indices {
        let regime = Regime(sum: e.sums[i], a: e.a[i], b: e.b[i]).rawValue
        seen[regime].insert([e.h1[i], e.h2[i], -1, e.output[i], e.f[i]])
        counts[regime] += 1
      }
    }
    let report: [[Double]] = [[1, 1, -1, 1, 1], [-1, 1, -1, -1, -1], [1, -1, -1, -1, -1]]
    context.console.heading(
      "Table 8: hard-threshold MLP, values over every D ≤ \(maxDimension), A ≤ B and x "
        + "(ŷ = z₃ = h₁ + h₂ + b₁⁽²⁾)")
    var table = Table(header: [
      "interval", "h₁", "h₂", "b₁⁽²⁾", "ŷ = z₃", "f(x)", "cases", "report",
    ])
    var consistent = true
    for regime in Regime.allCases {
      let values = seen[regime.rawValue].sorted { $0.lexicographicallyPrecedes($1) }
      let matches = values == [report[regime.rawValue]]
      consistent = consistent && matches
      for row in values {
        table.addRow(
          [regime.text] + row.map(Self.signed) + [
            String(counts[regime.rawValue]), matches ? "same" : "differs",
          ])
      }
    }
    context.console.print(table)
    return consistent
  }

  /// One cell of table 9: the report's formula for a value, in terms of `Σx`, A and B.
  struct FormulaCell {
    var text: String
    var value: (_ sum: Double, _ a: Double, _ b: Double) -> Double
  }

  /// Table 9 from the ReLU network: each of the report's formulas compared with the network's
  /// values on every case of its regime. Returns the fraction of the report's cells that hold.
  func reluRegimes(maxDimension: Int) -> Double {
    let h1 = FormulaCell(text: "2(Σx − A) + 1") { s, a, _ in 2 * (s - a) + 1 }
    let h2 = FormulaCell(text: "2(B − Σx) + 1") { s, _, b in 2 * (b - s) + 1 }
    let zero = FormulaCell(text: "0") { _, _, _ in 0 }
    let one = FormulaCell(text: "1") { _, _, _ in 1 }
    let minusOne = FormulaCell(text: "-1") { _, _, _ in -1 }
    // Row "Σx < A": the report writes z₃ = 1 + 2(A − Σx); the network gives 1 − 2(A − Σx).
    let reportBelow = FormulaCell(text: "1 + 2(A − Σx)") { s, a, _ in 1 + 2 * (a - s) }
    let correctedBelow = FormulaCell(text: "1 − 2(A − Σx)") { s, a, _ in 1 - 2 * (a - s) }
    let above = FormulaCell(text: "1 + 2(B − Σx)") { s, _, b in 1 + 2 * (b - s) }
    // Columns h₁, h₂, z₃, h₃, f(x) per regime, as printed in the report.
    let rows: [Regime: [FormulaCell]] = [
      .inside: [h1, h2, zero, one, one],
      .below: [zero, h2, reportBelow, minusOne, minusOne],
      .above: [h1, zero, above, minusOne, minusOne],
    ]
    var agree = [Regime: [Int]](
      uniqueKeysWithValues: Regime.allCases.map { ($0, [0, 0, 0, 0, 0]) })
    var counts = [Regime: Int]()
    var correctedAgree = 0
    for d in 1...maxDimension {
      let e = Self.evaluate(.relu, dimension: d)
      for i in e.sums.indices {
        let regime = Regime(sum: e.sums[i], a: e.a[i], b: e.b[i])
        counts[regime, default: 0] += 1
        let actual = [e.h1[i], e.h2[i], e.z3[i], e.output[i], e.f[i]]
        for (column, cell) in (rows[regime] ?? []).enumerated()
        where cell.value(e.sums[i], e.a[i], e.b[i]) == actual[column] {
          agree[regime]?[column] += 1
        }
        if regime == .below && correctedBelow.value(e.sums[i], e.a[i], e.b[i]) == e.z3[i] {
          correctedAgree += 1
        }
      }
    }
    context.console.heading(
      "Table 9: ReLU MLP (h₃ = g(z₃)); each report formula checked on every case of its row "
        + "(✓ all agree, ✗ some do not)")
    var table = Table(header: ["interval", "h₁", "h₂", "z₃", "h₃", "f(x)", "cases"])
    var holding = 0
    var cells = 0
    for regime in Regime.allCases {
      let count = counts[regime] ?? 0
      let marks = (rows[regime] ?? []).enumerated().map { column, cell in
        let ok = agree[regime]?[column] == count
        holding += ok ? 1 : 0
        cells += 1
        return cell.text + (ok ? " ✓" : " ✗")
      }
      table.addRow([regime.text] + marks + [String(count)])
    }
    context.console.print(table)
    let belowCount = counts[.below] ?? 0
    context.console.print(
      "  Row Σx < A, z₃: the report's 1 + 2(A − Σx) agrees on \(agree[.below]?[2] ?? 0) of "
        + "\(belowCount) cases; the network computes −h₂ + 2B − 2A + 2 = 1 − 2(A − Σx) (agrees "
        + "on \(correctedAgree) of \(belowCount)), which is ≤ −1, as the report's own h₃ = −1 "
        + "requires.")
    return Double(holding) / Double(max(cells, 1))
  }
}
