/// A line chart (matplotlib look: white page, light grid, tab10 colours) saved as SVG.
///
/// ```swift
/// var chart = SVGChart(title: "Loss", xLabel: "epoch", yLabel: "cross-entropy")
/// chart.add("train", y: trainLoss)                  // x = 1, 2, 3, …
/// chart.add("validation", y: valLoss, dashed: true)
/// chart.logY = true
/// chart.markers.append(.init(x: 12, label: "early stop"))
/// try context.save(chart, as: "loss")
/// ```
///
/// Points that cannot be drawn (NaN, infinities, and values ≤ 0 on a log axis) break the line.
struct SVGChart: Figure {
  /// One curve.
  struct Series {
    /// The legend label.
    var name: String
    /// Horizontal positions, as many as `y`.
    var x: [Double]
    /// Values.
    var y: [Double]
    /// A tab10 index (0 blue, 1 orange, 2 green, 3 red, …); `nil` takes the series' position.
    var colorIndex: Int?
    /// Draw dashed (e.g. the validation curve in the colour of its training curve).
    var dashed = false
    /// Draw a dot at every point; `nil` does so when the series has at most 30 points.
    var showsMarkers: Bool?
  }

  /// A labelled vertical line, e.g. where early stopping stopped.
  struct Marker {
    /// Horizontal position, in data units.
    var x: Double
    /// Text written next to the line's top.
    var label: String
  }

  /// Title above the plot; empty for none.
  var title: String
  /// Horizontal-axis label.
  var xLabel: String
  /// Vertical-axis label.
  var yLabel: String
  /// The curves, drawn in order.
  var series: [Series] = []
  /// Whether the y axis is logarithmic (base 10).
  var logY = false
  /// The visible y range; `nil` fits the data with a 5 % margin.
  var yRange: ClosedRange<Double>?
  /// Vertical marker lines.
  var markers: [Marker] = []
  /// Whether to draw a legend; `nil` draws one when there are two or more series.
  var showsLegend: Bool?

  static let fileExtension = "svg"

  /// An empty chart with these labels.
  init(title: String = "", xLabel: String = "", yLabel: String = "") {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
  }

  /// Adds a curve through (`x[i]`, `y[i]`).
  ///
  /// - Precondition: `x` and `y` have the same count.
  mutating func add(
    _ name: String, x: [Double], y: [Double], colorIndex: Int? = nil, dashed: Bool = false
  ) {
    precondition(
      x.count == y.count, "SVGChart.add(\(name)): \(x.count) x values but \(y.count) y values")
    series.append(Series(name: name, x: x, y: y, colorIndex: colorIndex, dashed: dashed))
  }

  /// Adds a curve of per-epoch values at x = 1, 2, …, `y.count`.
  mutating func add(_ name: String, y: [Double], colorIndex: Int? = nil, dashed: Bool = false) {
    add(name, x: (0..<y.count).map { Double($0 + 1) }, y: y, colorIndex: colorIndex, dashed: dashed)
  }

  func encoded() -> [UInt8] { Array(svg.utf8) }

  /// The chart as an SVG document.
  var svg: String {
    let (xScale, yScale) = scales()
    let frame = ChartFrame(
      title: title, xLabel: xLabel, yLabel: yLabel,
      yTickLabelWidth: ChartFrame.labelWidth(yScale.ticks))
    var canvas = SVGCanvas()
    canvas.drawGrid(x: xScale, y: yScale, frame: frame)
    let clip = canvas.clipRect(
      x: frame.left, y: frame.top, width: frame.width, height: frame.height)
    var obstacles: [(x: Double, y: Double)] = []
    var legend: [LegendEntry] = []
    for (index, curve) in series.enumerated() {
      let color = Palette.color(curve.colorIndex ?? index)
      let dash = curve.dashed ? "6,4" : nil
      let markers = curve.showsMarkers ?? (curve.y.count <= 30)
      for segment in segments(curve, xScale, yScale, frame) {
        canvas.polyline(segment, stroke: color, dash: dash, clip: clip)
        obstacles += Self.sample(segment)
        if markers {
          for point in segment {
            canvas.circle(x: point.x, y: point.y, radius: 2.6, fill: color, clip: clip)
          }
        }
      }
      legend.append(LegendEntry(label: curve.name, color: color, dash: dash, hasMarker: markers))
    }
    for marker in markers {
      guard let fraction = xScale.fraction(marker.x), (0...1).contains(fraction) else { continue }
      let px = frame.x(fraction)
      canvas.line(
        x1: px, y1: frame.top, x2: px, y2: frame.top + frame.height, stroke: "#444444",
        width: 1.2, dash: "5,4")
      let textWidth = SVGCanvas.textWidth(marker.label, size: ChartFrame.tickSize)
      let leftOfLine = fraction > 0.75
      let textX = leftOfLine ? px - 5 : px + 5
      canvas.rect(
        x: leftOfLine ? textX - textWidth - 2 : textX - 2, y: frame.top + 6, width: textWidth + 4,
        height: ChartFrame.tickSize + 4, fill: "#ffffff", opacity: 0.8)
      canvas.text(
        marker.label, x: textX, y: frame.top + 6 + ChartFrame.tickSize, size: ChartFrame.tickSize,
        anchor: leftOfLine ? .end : .start, color: "#222222")
      obstacles += Self.sample([(px, frame.top), (px, frame.top + frame.height)])
      let labelLeft = leftOfLine ? textX - textWidth : textX
      obstacles += Self.sample([
        (labelLeft, frame.top + 12), (labelLeft + textWidth, frame.top + 12),
      ])
    }
    canvas.drawSpines(frame: frame)
    canvas.drawYTicks(yScale, frame: frame)
    canvas.drawXTicks(xScale, frame: frame)
    canvas.drawLabels(
      title: title, xLabel: xLabel, yLabel: yLabel, frame: frame,
      xTickLabelDepth: ChartFrame.tickSize)
    if showsLegend ?? (series.count > 1) {
      canvas.drawLegend(legend, frame: frame, avoiding: obstacles)
    }
    return canvas.document
  }

  /// The x and y axes fitted to the drawable data (and markers), with matplotlib's margins.
  private func scales() -> (AxisScale, AxisScale) {
    var xs: [Double] = markers.map(\.x).filter(\.isFinite)
    var ys: [Double] = []
    for curve in series {
      for (x, y) in zip(curve.x, curve.y) where x.isFinite && y.isFinite && (!logY || y > 0) {
        xs.append(x)
        ys.append(y)
      }
    }
    let integral = !xs.isEmpty && xs.allSatisfy { $0 == $0.rounded() }
    let (xLow, xHigh) = AxisScale.padded(xs.min() ?? 0, xs.max() ?? 1)
    let xScale = AxisScale.linear(xLow, xHigh, maxTicks: 9, integerSteps: integral)
    if logY {
      let (low, high) =
        yRange.map { ($0.lowerBound, $0.upperBound) }
        ?? AxisScale.padded(ys.min() ?? 0.1, ys.max() ?? 1, logarithmic: true)
      return (xScale, AxisScale.logarithmic(low, high))
    }
    let (low, high) =
      yRange.map { ($0.lowerBound, $0.upperBound) }
      ?? AxisScale.padded(ys.min() ?? 0, ys.max() ?? 1)
    return (xScale, AxisScale.linear(low, high, maxTicks: 8))
  }

  /// The curve in pixels, split wherever a point cannot be drawn.
  private func segments(
    _ curve: Series, _ xScale: AxisScale, _ yScale: AxisScale, _ frame: ChartFrame
  ) -> [[(x: Double, y: Double)]] {
    var result: [[(x: Double, y: Double)]] = [[]]
    for (x, y) in zip(curve.x, curve.y) {
      if let fx = xScale.fraction(x), let fy = yScale.fraction(y) {
        result[result.count - 1].append((frame.x(fx), frame.y(fy)))
      } else if !(result.last?.isEmpty ?? true) {
        result.append([])
      }
    }
    return result.filter { !$0.isEmpty }
  }

  /// Points every ~5 px along a polyline, for placing the legend where the data is not.
  private static func sample(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
    guard var previous = points.first else { return [] }
    var samples = [previous]
    for point in points.dropFirst() {
      let dx = point.x - previous.x
      let dy = point.y - previous.y
      let steps = max(1, Int(((dx * dx + dy * dy).squareRoot() / 5).rounded(.up)))
      for step in 1...steps {
        let t = Double(step) / Double(steps)
        samples.append((previous.x + t * dx, previous.y + t * dy))
      }
      previous = point
    }
    return samples
  }
}
