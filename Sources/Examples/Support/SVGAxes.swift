/// The plot area of a chart on the 640×480 page, with margins sized to its labels.
struct ChartFrame {
  /// Left edge of the plot area, in pixels.
  let left: Double
  /// Top edge of the plot area, in pixels.
  let top: Double
  /// Width of the plot area, in pixels.
  let width: Double
  /// Height of the plot area, in pixels.
  let height: Double

  /// Tick-label font size.
  static let tickSize = 12.0
  /// Axis-label and legend font size.
  static let labelSize = 14.0
  /// Title font size.
  static let titleSize = 16.0
  /// Length of a major tick mark.
  static let tickLength = 4.5

  /// A frame leaving room for the title, the axis labels and tick labels of the given size.
  ///
  /// - Parameters:
  ///   - yTickLabelWidth: the widest y tick label, in pixels.
  ///   - xTickLabelDepth: how far x tick labels reach below the axis, in pixels.
  init(
    title: String, xLabel: String, yLabel: String, yTickLabelWidth: Double,
    xTickLabelDepth: Double = tickSize
  ) {
    let leftMargin = 14 + (yLabel.isEmpty ? 0 : 22) + yTickLabelWidth + Self.tickLength + 6
    let topMargin = title.isEmpty ? 18.0 : 46
    let bottomMargin = Self.tickLength + 6 + xTickLabelDepth + (xLabel.isEmpty ? 0 : 26) + 14
    left = leftMargin
    top = topMargin
    width = SVGCanvas.width - leftMargin - 24
    height = SVGCanvas.height - topMargin - bottomMargin
  }

  /// The pixel x of a horizontal fraction (0 left edge, 1 right edge).
  func x(_ fraction: Double) -> Double { left + fraction * width }
  /// The pixel y of a vertical fraction (0 bottom edge, 1 top edge).
  func y(_ fraction: Double) -> Double { top + height - fraction * height }
  /// Whether a pixel point lies in the plot area.
  func contains(_ point: (x: Double, y: Double)) -> Bool {
    point.x >= left && point.x <= left + width && point.y >= top && point.y <= top + height
  }

  /// The widest label among `ticks` at tick-label size, superscripts included.
  static func labelWidth(_ ticks: [AxisTick]) -> Double {
    ticks.map { tick in
      SVGCanvas.textWidth(tick.label, size: tickSize)
        + SVGCanvas.textWidth(tick.superscript ?? "", size: tickSize * 0.72)
    }.max() ?? 0
  }
}

/// One row of a legend: a line sample (optionally dashed, with a marker) or a filled patch.
struct LegendEntry {
  /// The series name.
  var label: String
  /// The colour of its line or bars.
  var color: String
  /// Draw a filled box (bars) instead of a line sample.
  var isPatch = false
  /// The line's dash pattern, if dashed.
  var dash: String?
  /// Whether the line sample gets a dot.
  var hasMarker = false
}

/// Axes drawing shared by line and bar charts: grid, ticks, spines, labels, legend.
extension SVGCanvas {
  private static let gridColor = "#dddddd"
  private static let tickColor = "#000000"
  private static let textColor = "#000000"

  /// Light grid lines at the major ticks of the given axes, drawn under the data.
  mutating func drawGrid(x: AxisScale?, y: AxisScale?, frame: ChartFrame) {
    for tick in y?.ticks ?? [] where tick.isMajor {
      guard let fraction = y?.fraction(tick.value), (0...1).contains(fraction) else { continue }
      let py = frame.y(fraction)
      line(
        x1: frame.left, y1: py, x2: frame.left + frame.width, y2: py, stroke: Self.gridColor,
        width: 0.8)
    }
    for tick in x?.ticks ?? [] where tick.isMajor {
      guard let fraction = x?.fraction(tick.value), (0...1).contains(fraction) else { continue }
      let px = frame.x(fraction)
      line(
        x1: px, y1: frame.top, x2: px, y2: frame.top + frame.height, stroke: Self.gridColor,
        width: 0.8)
    }
  }

  /// Tick marks and labels of a numeric y axis on the left spine.
  mutating func drawYTicks(_ scale: AxisScale, frame: ChartFrame) {
    drawMultiplier(scale, at: (frame.left, frame.top - 5), anchor: .start)
    for tick in scale.ticks {
      guard let fraction = scale.fraction(tick.value), (0...1).contains(fraction) else { continue }
      let py = frame.y(fraction)
      let length = tick.isMajor ? ChartFrame.tickLength : ChartFrame.tickLength * 0.55
      line(
        x1: frame.left - length, y1: py, x2: frame.left, y2: py, stroke: Self.tickColor,
        width: 0.8)
      guard !tick.label.isEmpty else { continue }
      let superWidth = SVGCanvas.textWidth(tick.superscript ?? "", size: ChartFrame.tickSize * 0.72)
      text(
        tick.label, x: frame.left - ChartFrame.tickLength - 4 - superWidth,
        y: py + ChartFrame.tickSize * 0.35, size: ChartFrame.tickSize, anchor: .end,
        superscript: tick.superscript)
    }
  }

  /// The `×10ᵉ` note of an axis whose labels are scaled, at the top of the y axis or the
  /// right end of the x axis.
  private mutating func drawMultiplier(
    _ scale: AxisScale, at point: (x: Double, y: Double), anchor: Anchor
  ) {
    guard scale.exponent != 0 else { return }
    let superscript = AxisScale.exponentText(scale.exponent)
    let shift =
      anchor == .end ? SVGCanvas.textWidth(superscript, size: ChartFrame.tickSize * 0.72) : 0
    text(
      "\u{00D7}10", x: point.x - shift, y: point.y, size: ChartFrame.tickSize, anchor: anchor,
      superscript: superscript)
  }

  /// Tick marks and labels of a numeric x axis on the bottom spine.
  mutating func drawXTicks(_ scale: AxisScale, frame: ChartFrame) {
    let depth = ChartFrame.tickLength + 4 + ChartFrame.tickSize * 0.8 + ChartFrame.tickSize + 4
    drawMultiplier(
      scale, at: (frame.left + frame.width, frame.top + frame.height + depth), anchor: .end)
    let labels = scale.ticks.compactMap { tick -> (Double, String, Bool)? in
      guard let fraction = scale.fraction(tick.value), (0...1).contains(fraction) else {
        return nil
      }
      return (frame.x(fraction), tick.label, tick.isMajor)
    }
    drawXTickMarks(labels, frame: frame, rotated: false)
  }

  /// Tick marks and labels at given pixel positions on the bottom spine (categories).
  ///
  /// - Parameter rotated: labels turned 40° (for long category names).
  mutating func drawXTickMarks(
    _ ticks: [(x: Double, label: String, isMajor: Bool)], frame: ChartFrame, rotated: Bool
  ) {
    let bottom = frame.top + frame.height
    for tick in ticks {
      let length = tick.isMajor ? ChartFrame.tickLength : ChartFrame.tickLength * 0.55
      line(
        x1: tick.x, y1: bottom, x2: tick.x, y2: bottom + length, stroke: Self.tickColor,
        width: 0.8)
      guard !tick.label.isEmpty else { continue }
      let baseline = bottom + ChartFrame.tickLength + 4 + ChartFrame.tickSize * 0.8
      if rotated {
        text(
          tick.label, x: tick.x + 3, y: baseline - 3, size: ChartFrame.tickSize, anchor: .end,
          rotation: -40)
      } else {
        text(tick.label, x: tick.x, y: baseline, size: ChartFrame.tickSize, anchor: .middle)
      }
    }
  }

  /// The four spines, drawn over the data.
  mutating func drawSpines(frame: ChartFrame) {
    rect(
      x: frame.left, y: frame.top, width: frame.width, height: frame.height, fill: "none",
      stroke: Self.tickColor, strokeWidth: 0.8)
  }

  /// The title above the plot area and the axis labels below and left of it.
  mutating func drawLabels(
    title: String, xLabel: String, yLabel: String, frame: ChartFrame, xTickLabelDepth: Double
  ) {
    if !title.isEmpty {
      text(
        title, x: frame.x(0.5), y: frame.top - 14, size: ChartFrame.titleSize, anchor: .middle)
    }
    if !xLabel.isEmpty {
      let y = frame.top + frame.height + ChartFrame.tickLength + 6 + xTickLabelDepth + 18
      text(xLabel, x: frame.x(0.5), y: y, size: ChartFrame.labelSize, anchor: .middle)
    }
    if !yLabel.isEmpty {
      let x = 14 + ChartFrame.labelSize
      let y = frame.top + frame.height / 2
      text(yLabel, x: x, y: y, size: ChartFrame.labelSize, anchor: .middle, rotation: -90)
    }
  }

  /// A framed legend in the corner of the plot area that covers the fewest of `obstacles`
  /// (pixel points of the data), preferring upper right, upper left, lower left, lower right.
  mutating func drawLegend(
    _ entries: [LegendEntry], frame: ChartFrame, avoiding obstacles: [(x: Double, y: Double)]
  ) {
    guard !entries.isEmpty else { return }
    let size = ChartFrame.tickSize
    let rowHeight = size + 7
    let handle = 28.0
    let textWidth = entries.map { SVGCanvas.textWidth($0.label, size: size) }.max() ?? 0
    let boxWidth = 8 + handle + 8 + textWidth + 10
    let boxHeight = 6 + Double(entries.count) * rowHeight + 2
    let inset = 8.0
    let corners = [
      (frame.left + frame.width - inset - boxWidth, frame.top + inset),
      (frame.left + inset, frame.top + inset),
      (frame.left + inset, frame.top + frame.height - inset - boxHeight),
      (frame.left + frame.width - inset - boxWidth, frame.top + frame.height - inset - boxHeight),
    ]
    func covered(_ corner: (Double, Double)) -> Int {
      obstacles.reduce(0) { count, point in
        let inside =
          point.x >= corner.0 - 3 && point.x <= corner.0 + boxWidth + 3 && point.y >= corner.1 - 3
          && point.y <= corner.1 + boxHeight + 3
        return count + (inside ? 1 : 0)
      }
    }
    var best = corners[0]
    var bestCount = covered(best)
    for corner in corners.dropFirst() where bestCount > 0 {
      let count = covered(corner)
      if count < bestCount { (best, bestCount) = (corner, count) }
    }
    let (x0, y0) = best
    rect(
      x: x0, y: y0, width: boxWidth, height: boxHeight, fill: "#ffffff", stroke: "#cccccc",
      strokeWidth: 0.8, cornerRadius: 3, opacity: 0.85)
    for (row, entry) in entries.enumerated() {
      let centerY = y0 + 6 + (Double(row) + 0.5) * rowHeight
      let handleX = x0 + 8
      if entry.isPatch {
        rect(x: handleX + 4, y: centerY - 5, width: handle - 8, height: 10, fill: entry.color)
      } else {
        line(
          x1: handleX, y1: centerY, x2: handleX + handle, y2: centerY, stroke: entry.color,
          width: 1.8, dash: entry.dash)
        if entry.hasMarker {
          circle(x: handleX + handle / 2, y: centerY, radius: 3, fill: entry.color)
        }
      }
      text(
        entry.label, x: handleX + handle + 8, y: centerY + size * 0.35, size: size,
        color: Self.textColor)
    }
  }
}
