/// A bar chart over named categories, grouped when there are several series, saved as SVG.
///
/// ```swift
/// var chart = SVGBarChart(
///   title: "Per-digit misclassification", xLabel: "digit", yLabel: "error (%)",
///   categories: (0...9).map(String.init))
/// chart.add("perceptron", values: perceptronRates)
/// chart.add("logistic regression", values: logisticRates)   // optional second group
/// chart.valueDecimals = 2                                   // print 2.15 on top of each bar
/// try context.save(chart, as: "per-digit-error")
/// ```
struct SVGBarChart: Figure {
  /// One set of bars, one value per category.
  struct Series {
    /// The legend label.
    var name: String
    /// One value per category; NaN leaves a gap.
    var values: [Double]
    /// A tab10 index; `nil` takes the series' position.
    var colorIndex: Int?
  }

  /// Title above the plot; empty for none.
  var title: String
  /// Horizontal-axis label.
  var xLabel: String
  /// Vertical-axis label.
  var yLabel: String
  /// The category labels, left to right.
  var categories: [String]
  /// The series; two or more are drawn side by side in each category.
  var series: [Series] = []
  /// Decimals of the value printed on each bar; `nil` prints none.
  var valueDecimals: Int?
  /// The visible y range; `nil` runs from 0 (or the lowest value) to the highest plus 5 %.
  var yRange: ClosedRange<Double>?
  /// Whether to draw a legend; `nil` draws one when there are two or more series.
  var showsLegend: Bool?

  static let fileExtension = "svg"

  /// An empty chart over `categories`.
  init(title: String = "", xLabel: String = "", yLabel: String = "", categories: [String]) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.categories = categories
  }

  /// Adds a series of bars.
  ///
  /// - Precondition: one value per category.
  mutating func add(_ name: String, values: [Double], colorIndex: Int? = nil) {
    precondition(
      values.count == categories.count,
      "SVGBarChart.add(\(name)): expected \(categories.count) values, got \(values.count)")
    series.append(Series(name: name, values: values, colorIndex: colorIndex))
  }

  func encoded() -> [UInt8] { Array(svg.utf8) }

  /// The chart as an SVG document.
  var svg: String {
    let yScale = scale()
    let slotCount = Double(max(1, categories.count))
    let labelWidth =
      categories.map { SVGCanvas.textWidth($0, size: ChartFrame.tickSize) }.max() ?? 0
    let provisional = ChartFrame(
      title: title, xLabel: xLabel, yLabel: yLabel,
      yTickLabelWidth: ChartFrame.labelWidth(yScale.ticks))
    let rotated = labelWidth > provisional.width / slotCount - 6
    let depth = rotated ? labelWidth * 0.64 + ChartFrame.tickSize * 0.77 : ChartFrame.tickSize
    let frame = ChartFrame(
      title: title, xLabel: xLabel, yLabel: yLabel,
      yTickLabelWidth: ChartFrame.labelWidth(yScale.ticks), xTickLabelDepth: depth)
    let slot = frame.width / slotCount
    let barWidth = slot * 0.8 / Double(max(1, series.count))
    let baseline = frame.y(yScale.fraction(max(yScale.lower, min(0, yScale.upper))) ?? 0)
    var canvas = SVGCanvas()
    canvas.drawGrid(x: nil, y: yScale, frame: frame)
    var obstacles: [(x: Double, y: Double)] = []
    var legend: [LegendEntry] = []
    for (seriesIndex, bars) in series.enumerated() {
      let color = Palette.color(bars.colorIndex ?? seriesIndex)
      legend.append(LegendEntry(label: bars.name, color: color, isPatch: true))
      for (category, value) in bars.values.enumerated() {
        guard let fraction = yScale.fraction(value) else { continue }
        let top = frame.y(min(1, max(0, fraction)))
        let x = frame.left + slot * (Double(category) + 0.1) + barWidth * Double(seriesIndex)
        let (y0, y1) = (min(top, baseline), max(top, baseline))
        canvas.rect(x: x, y: y0, width: barWidth, height: y1 - y0, fill: color)
        for px in stride(from: x, through: x + barWidth, by: 5) {
          for py in stride(from: y0 - 14, through: y1, by: 5) { obstacles.append((px, py)) }
        }
        if let decimals = valueDecimals {
          let size = min(11, max(9, barWidth / 2.6))
          let below = value < 0
          canvas.text(
            Format.fixed(value, decimals), x: x + barWidth / 2,
            y: below ? y1 + size + 2 : y0 - 3, size: size, anchor: .middle, color: "#333333")
        }
      }
    }
    canvas.line(
      x1: frame.left, y1: baseline, x2: frame.left + frame.width, y2: baseline,
      stroke: "#000000", width: 0.8)
    canvas.drawSpines(frame: frame)
    canvas.drawYTicks(yScale, frame: frame)
    let ticks = categories.enumerated().map { index, label in
      (x: frame.left + slot * (Double(index) + 0.5), label: label, isMajor: true)
    }
    canvas.drawXTickMarks(ticks, frame: frame, rotated: rotated)
    canvas.drawLabels(
      title: title, xLabel: xLabel, yLabel: yLabel, frame: frame, xTickLabelDepth: depth)
    if showsLegend ?? (series.count > 1) {
      canvas.drawLegend(legend, frame: frame, avoiding: obstacles)
    }
    return canvas.document
  }

  /// The y axis: from 0 (bars grow from it, as in matplotlib) to the data plus a margin; a
  /// little more headroom when values are printed on the bars.
  private func scale() -> AxisScale {
    if let yRange { return AxisScale.linear(yRange.lowerBound, yRange.upperBound) }
    let values = series.flatMap(\.values).filter(\.isFinite)
    let low = min(0, values.min() ?? 0)
    let high = max(0, values.max() ?? 1)
    let span = high > low ? high - low : 1
    let margin = valueDecimals == nil ? 0.05 : 0.1
    return AxisScale.linear(
      low < 0 ? low - span * margin : 0, high > 0 ? high + span * margin : 0)
  }
}
