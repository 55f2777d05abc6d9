import AutoGrad

/// Newton's method for the critical points of `f(x, y) = x²y + xy² − 6xy` (report 004 §1.1),
/// with the gradient and the Hessian taken from the tape (the Hessian by double backward):
/// `p ← p − H(p)⁻¹∇f(p)` until `‖∇f‖ ≤ 10⁻¹⁰`.
enum NewtonCriticalPoints {
  /// The type of a critical point, from the signs of the Hessian's eigenvalues.
  enum Kind: String, Sendable {
    case saddle
    case localMinimum = "local minimum"
    case localMaximum = "local maximum"
    case degenerate
  }

  /// How one start ended.
  enum Outcome: Equatable, Sendable {
    /// At a point where ‖∇f‖ ≤ tolerance.
    case converged(x: Double, y: Double, iterations: Int)
    /// At an iterate with a singular Hessian (|det H| ≤ 10⁻¹²), where the step is undefined.
    case singular
    /// Not converged within the iteration limit, or left every bounded region.
    case diverged
  }

  /// A critical point found, with its classification and the starts that reached it.
  struct Point: Sendable {
    var x: Double
    var y: Double
    var value: Double
    /// The Hessian's eigenvalues, smaller first.
    var eigenvalues: (Double, Double)
    var kind: Kind
    /// Indices (into the list of starts) of the starts that converged here.
    var starts: [Int]
  }

  /// f on a single point `[2]`.
  static func f(_ p: Tensor) -> Tensor { D10CriticalPoints.f(p) }

  /// The starts `(x, y)` of a square grid, row by row.
  static func grid(from low: Double, to high: Double, step: Double) -> [(x: Double, y: Double)] {
    let count = Int(((high - low) / step).rounded(.down)) + 1
    let values = (0..<count).map { low + Double($0) * step }
    return values.flatMap { y in values.map { x in (x: x, y: y) } }
  }

  /// Newton's method from one start.
  static func newton(
    from start: (x: Double, y: Double), maxIterations: Int = 100, tolerance: Double = 1e-10
  ) -> Outcome {
    var (x, y) = start
    for iteration in 0...maxIterations {
      let p = Tensor([x, y], dtype: .float64)
      let g = gradient(at: p, of: f)
      let (gx, gy) = (g[0], g[1])
      if (gx * gx + gy * gy).squareRoot() <= tolerance {
        return .converged(x: x, y: y, iterations: iteration)
      }
      if iteration == maxIterations { break }
      let h = hessian(at: p, of: f)
      let (a, b, c, d) = (h[0, 0], h[0, 1], h[1, 0], h[1, 1])
      let det = a * d - b * c
      guard Swift.abs(det) > 1e-12 else { return .singular }
      // [dx, dy] = H⁻¹∇f for the 2×2 H.
      x -= (d * gx - b * gy) / det
      y -= (-c * gx + a * gy) / det
      guard x.isFinite, y.isFinite, Swift.abs(x) + Swift.abs(y) < 1e8 else { return .diverged }
    }
    return .diverged
  }

  /// The eigenvalues of a symmetric 2×2 matrix `[[a, b], [b, d]]`, smaller first, and the kind
  /// of critical point they mean.
  static func classify(hessian h: [[Double]]) -> (eigenvalues: (Double, Double), kind: Kind) {
    let (a, b, d) = (h[0][0], h[0][1], h[1][1])
    let mean = (a + d) / 2
    let radius = (((a - d) / 2) * ((a - d) / 2) + b * b).squareRoot()
    let (low, high) = (mean - radius, mean + radius)
    let scale = Swift.max(1, Swift.abs(low), Swift.abs(high))
    let kind: Kind
    if Swift.abs(low) <= 1e-9 * scale || Swift.abs(high) <= 1e-9 * scale {
      kind = .degenerate
    } else if low > 0 {
      kind = .localMinimum
    } else if high < 0 {
      kind = .localMaximum
    } else {
      kind = .saddle
    }
    return ((low, high), kind)
  }

  /// Runs Newton's method from every start, merges the limits closer than 10⁻⁶, and classifies
  /// each by the tape's Hessian there. Points are sorted by x, then y.
  static func search(
    starts: [(x: Double, y: Double)], maxIterations: Int = 100
  ) -> (points: [Point], outcomes: [Outcome]) {
    let outcomes = starts.map { newton(from: $0, maxIterations: maxIterations) }
    var points: [Point] = []
    for (index, outcome) in outcomes.enumerated() {
      guard case .converged(let x, let y, _) = outcome else { continue }
      if let k = points.firstIndex(where: { Swift.abs($0.x - x) + Swift.abs($0.y - y) < 1e-6 }) {
        points[k].starts.append(index)
        continue
      }
      // Snap to 10⁻⁹ (the limits are exact to ~10⁻¹⁵) so that printing and JSON are clean.
      let (sx, sy) = ((x * 1e9).rounded() / 1e9 + 0, (y * 1e9).rounded() / 1e9 + 0)
      let p = Tensor([sx, sy], dtype: .float64)
      let h = hessian(at: p, of: f)
      let (eigenvalues, kind) = classify(hessian: [[h[0, 0], h[0, 1]], [h[1, 0], h[1, 1]]])
      points.append(
        Point(
          x: sx, y: sy, value: withoutGrad { f(p).item() }, eigenvalues: eigenvalues, kind: kind,
          starts: [index]))
    }
    points.sort { ($0.x, $0.y) < ($1.x, $1.y) }
    return (points, outcomes)
  }
}

/// E17 `critical-points`: the critical points of `x²y + xy² − 6xy` by Newton's method from a
/// grid of starts, classified by the Hessian, next to report 004's claim.
///
/// Report 004 lists (0, 0), (6, 0), (0, 6) as saddles and (3/2, 3) as a local minimum. The
/// fourth is an algebra slip (see `D10CriticalPoints.slip`): the local minimum is (2, 2), and
/// at (3/2, 3) the gradient is (0, 9/4).
struct CriticalPoints: Experiment {
  static let name = "critical-points"
  static let summary = "Newton's method with the tape's gradient and Hessian: critical points"
  static let defaultDataset = "none"

  static let startMin = Option<Double>(
    "start-min", default: -2, range: -100...100, help: "lowest start coordinate (x and y)")
  static let startMax = Option<Double>(
    "start-max", default: 8, range: -100...100, help: "highest start coordinate (x and y)")
  static let startStep = Option<Double>(
    "start-step", default: 1, range: 0.01...100, help: "spacing of the grid of starts")
  static let maxIterations = Option<Int>(
    "max-iterations", default: 100, range: 1...10_000, help: "Newton steps per start")

  static var extraOptions: [OptionSpec] {
    [startMin.spec, startMax.spec, startStep.spec, maxIterations.spec]
  }

  let context: RunContext
  let starts: [(x: Double, y: Double)]

  init(context: RunContext) throws {
    self.context = context
    let (low, high) = (context[Self.startMin], context[Self.startMax])
    guard low <= high else {
      throw OptionsError.invalidValue(
        option: "start-max", value: Format.shortest(high), expected: "at least --start-min")
    }
    starts = NewtonCriticalPoints.grid(from: low, to: high, step: context[Self.startStep])
    context.results.recordParameter("starts", starts.count)
  }

  func run() throws {
    let console = context.console
    let (low, high) = (context[Self.startMin], context[Self.startMax])
    console.print(
      "Newton's method on f(x, y) = x²y + xy² − 6xy from \(starts.count) starts, "
        + "x, y ∈ [\(Format.shortest(low)), \(Format.shortest(high))] step "
        + "\(Format.shortest(context[Self.startStep])); ∇f and H from the tape (H by double "
        + "backward)")
    let (points, outcomes) = NewtonCriticalPoints.search(
      starts: starts, maxIterations: context[Self.maxIterations])
    let converged = outcomes.filter { if case .converged = $0 { true } else { false } }.count
    let singular = outcomes.filter { $0 == .singular }.count
    let diverged = outcomes.count - converged - singular
    console.print(
      "starts: \(outcomes.count); converged \(converged), stopped at a singular Hessian "
        + "\(singular), not converged \(diverged)")

    console.heading("Critical points found: \(points.count)")
    var table = Table(header: ["point", "f", "eigenvalues of H", "det H", "kind", "starts"])
    for point in points {
      let (l1, l2) = point.eigenvalues
      table.addRow([
        "(\(Format.shortest(point.x)), \(Format.shortest(point.y)))",
        Format.shortest(point.value),
        Format.fixed(l1, 3) + ", " + Format.fixed(l2, 3),
        Format.fixed(l1 * l2, 1),
        point.kind.rawValue,
        "\(point.starts.count)",
      ])
    }
    console.print(table)

    // The report's claim, checked on the tape.
    let claim = D10CriticalPoints.reportClaim
    let claimPoint = Tensor([claim.x, claim.y], dtype: .float64)
    let claimGradient = gradient(at: claimPoint, of: NewtonCriticalPoints.f)
    let claimHessian = hessian(at: claimPoint, of: NewtonCriticalPoints.f)
    let (gx, gy) = (claimGradient[0], claimGradient[1])
    console.heading(
      "Report 004 claims: (0, 0), (6, 0), (0, 6) saddles; (3/2, 3) local minimum.")
    console.print(
      "At (3/2, 3) the tape gives ∇f = (\(Format.shortest(gx)), \(Format.shortest(gy))) ≠ 0, "
        + "H = [[\(Format.shortest(claimHessian[0, 0])), \(Format.shortest(claimHessian[0, 1]))], "
        + "[\(Format.shortest(claimHessian[1, 0])), \(Format.shortest(claimHessian[1, 1]))]]: "
        + "not a critical point.")
    console.print("The slip: " + D10CriticalPoints.slip + ".")

    try savePlot(points: points, outcomes: outcomes)
    context.record(
      "criticalPoints",
      points.map {
        ["x": JSONValue($0.x), "y": JSONValue($0.y), "kind": JSONValue($0.kind.rawValue)]
          as JSONObject
      }
    )
    context.record("hessianEigenvalues", points.map { [$0.eigenvalues.0, $0.eigenvalues.1] })
    context.record("startsPerPoint", points.map(\.starts.count))
    context.record(
      "reportClaim",
      ["x": JSONValue(claim.x), "y": JSONValue(claim.y), "kind": "local minimum"] as JSONObject)
    context.record("reportClaimGradient", [gx, gy])
    context.record("reportClaimIsCritical", (gx * gx + gy * gy).squareRoot() <= 1e-10)
    context.record("startsConverged", converged)
    context.record("startsSingular", singular)
    context.record("startsNotConverged", diverged)
  }

  /// A scatter of the starts, coloured by the critical point Newton's method reached from
  /// them (grey: singular Hessian or no convergence).
  private func savePlot(
    points: [NewtonCriticalPoints.Point], outcomes: [NewtonCriticalPoints.Outcome]
  ) throws {
    var chart = SVGChart(
      title: "Newton's method: where each start converged", xLabel: "x₀", yLabel: "y₀")
    func scatter(_ name: String, _ indices: [Int], colorIndex: Int) {
      // A NaN between points breaks the line, leaving only the markers.
      let xs = indices.flatMap { [starts[$0].x, .nan] }
      let ys = indices.flatMap { [starts[$0].y, .nan] }
      chart.add(name, x: xs, y: ys, colorIndex: colorIndex)
      chart.series[chart.series.count - 1].showsMarkers = true
    }
    for (index, point) in points.enumerated() {
      scatter(
        "→ (\(Format.shortest(point.x)), \(Format.shortest(point.y))) \(point.kind.rawValue)",
        point.starts, colorIndex: index)
    }
    let stuck = outcomes.indices.filter {
      if case .converged = outcomes[$0] { false } else { true }
    }
    if !stuck.isEmpty { scatter("singular H or no convergence", stuck, colorIndex: 7) }
    // Room above the grid for the legend.
    let ys = starts.map(\.y)
    let (low, high) = (ys.min() ?? 0, ys.max() ?? 1)
    chart.yRange = (low - 0.05 * (high - low + 1))...(high + 0.45 * (high - low + 1))
    try context.save(chart, as: "newton-starts")
  }
}
