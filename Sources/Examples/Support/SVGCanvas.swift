/// A minimal SVG writer: shapes and text in pixel coordinates on a 640×480 white page.
///
/// Only what the charts need; every string is escaped, every number printed with at most two
/// decimals so that output is small and deterministic.
struct SVGCanvas {
  /// Page width in pixels (the `viewBox` width).
  static let width = 640.0
  /// Page height in pixels (the `viewBox` height).
  static let height = 480.0
  /// The font stack: matplotlib's default DejaVu Sans first.
  static let fontFamily = "DejaVu Sans, Bitstream Vera Sans, Verdana, Helvetica, Arial, sans-serif"

  /// How text is anchored horizontally at its `x`.
  enum Anchor: String {
    case start, middle, end
  }

  private var elements: [String] = []
  private var clipCount = 0

  /// An empty page.
  init() {}

  /// A filled (and optionally stroked) rectangle.
  mutating func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String,
    stroke: String? = nil, strokeWidth: Double = 1, cornerRadius: Double = 0, opacity: Double = 1
  ) {
    var element = "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" "
    element += "height=\"\(n(height))\" fill=\"\(fill)\""
    if let stroke { element += " stroke=\"\(stroke)\" stroke-width=\"\(n(strokeWidth))\"" }
    if cornerRadius > 0 { element += " rx=\"\(n(cornerRadius))\"" }
    if opacity < 1 { element += " fill-opacity=\"\(n(opacity))\"" }
    elements.append(element + "/>")
  }

  /// A straight line.
  mutating func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
    dash: String? = nil
  ) {
    var element = "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" "
    element += "stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
    if let dash { element += " stroke-dasharray=\"\(dash)\"" }
    elements.append(element + "/>")
  }

  /// A connected line through `points`, clipped to the clip region `clip` if given.
  mutating func polyline(
    _ points: [(x: Double, y: Double)], stroke: String, width: Double = 1.5,
    dash: String? = nil, clip: String? = nil
  ) {
    guard points.count > 1 else { return }
    let coordinates = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
    var element = "<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(stroke)\" "
    element += "stroke-width=\"\(n(width))\" stroke-linejoin=\"round\" stroke-linecap=\"round\""
    if let dash { element += " stroke-dasharray=\"\(dash)\"" }
    if let clip { element += " clip-path=\"url(#\(clip))\"" }
    elements.append(element + "/>")
  }

  /// A filled circle (a marker).
  mutating func circle(x: Double, y: Double, radius: Double, fill: String, clip: String? = nil) {
    var element = "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(radius))\" fill=\"\(fill)\""
    if let clip { element += " clip-path=\"url(#\(clip))\"" }
    elements.append(element + "/>")
  }

  /// Text at (`x`, `y`), `y` being the baseline; `rotation` in degrees about the anchor point.
  ///
  /// - Parameter superscript: drawn raised and smaller after `text` (for `10⁻³` tick labels).
  mutating func text(
    _ text: String, x: Double, y: Double, size: Double = 13, anchor: Anchor = .start,
    rotation: Double = 0, bold: Bool = false, color: String = "#000000",
    superscript: String? = nil
  ) {
    var element = "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\""
    element += " text-anchor=\"\(anchor.rawValue)\" fill=\"\(color)\""
    if bold { element += " font-weight=\"bold\"" }
    if rotation != 0 { element += " transform=\"rotate(\(n(rotation)) \(n(x)) \(n(y)))\"" }
    element += ">" + Self.escape(text)
    if let superscript {
      element += "<tspan dy=\"\(n(-size * 0.45))\" font-size=\"\(n(size * 0.72))\">"
      element += Self.escape(superscript) + "</tspan>"
    }
    elements.append(element + "</text>")
  }

  /// Defines a rectangular clip region and returns its id for `polyline` and `circle`.
  mutating func clipRect(x: Double, y: Double, width: Double, height: Double) -> String {
    clipCount += 1
    let id = "clip\(clipCount)"
    var element = "<clipPath id=\"\(id)\"><rect x=\"\(n(x))\" y=\"\(n(y))\" "
    element += "width=\"\(n(width))\" height=\"\(n(height))\"/></clipPath>"
    elements.append(element)
    return id
  }

  /// The finished document, with a white background.
  var document: String {
    let w = n(Self.width)
    let h = n(Self.height)
    var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    text += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" "
    text += "viewBox=\"0 0 \(w) \(h)\" font-family=\"\(Self.fontFamily)\">\n"
    text += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
    for element in elements { text += element + "\n" }
    return text + "</svg>\n"
  }

  /// The estimated width of `text` in pixels at `size` (DejaVu Sans averages ~0.6 em).
  static func textWidth(_ text: String, size: Double) -> Double {
    var ems = 0.0
    for character in text {
      switch character {
      case "i", "l", "j", "t", "f", "r", ".", ",", ":", ";", "'", "|", "!", "(", ")", " ":
        ems += 0.36
      case "m", "w", "M", "W", "%": ems += 0.9
      case _ where character.isUppercase: ems += 0.7
      default: ems += 0.61
      }
    }
    return ems * size
  }

  /// `text` with XML's special characters escaped.
  static func escape(_ text: String) -> String {
    var escaped = ""
    for character in text {
      switch character {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      default: escaped.append(character)
      }
    }
    return escaped
  }

  /// A coordinate with at most two decimals and no trailing zeros.
  private func n(_ value: Double) -> String {
    var text = Format.fixed(value, 2)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text == "-0" ? "0" : text
  }
}

/// Matplotlib's default colour cycle, `tab10`.
enum Palette {
  /// The ten colours, blue first.
  static let tab10 = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
  ]

  /// The `index`-th colour of the cycle (wrapping around).
  static func color(_ index: Int) -> String {
    tab10[((index % tab10.count) + tab10.count) % tab10.count]
  }
}
