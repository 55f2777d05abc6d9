import Foundation

/// PyTorch's printed form: `tensor([[1.0000, 2.0000], …], dtype=float64, requiresGrad=true)`.
/// Integral values print as `1.`, values spanning many magnitudes in scientific notation, and
/// tensors of more than 1000 elements are summarised with `...` (three items at each edge).
extension Tensor: CustomStringConvertible {
  public var description: String {
    let values = scalars(as: Double.self)
    let summarise = count > 1000
    let format = ElementFormat(values)
    var text = "tensor("
    let indent = String(repeating: " ", count: text.count)
    text += render(values, dim: 0, offset: 0, format: format, summarise: summarise, indent: indent)
    var suffix: [String] = []
    if dtype != .float32 { suffix.append("dtype=\(dtype)") }
    if let node {
      suffix.append("op=\(node.op)")
    } else if requiresGrad {
      suffix.append("requiresGrad=true")
    }
    if !suffix.isEmpty { text += ", " + suffix.joined(separator: ", ") }
    return text + ")"
  }

  private func render(
    _ values: [Double], dim: Int, offset: Int, format: ElementFormat, summarise: Bool,
    indent: String
  ) -> String {
    if rank == 0 { return format.string(values[0]) }
    let n = shape[dim]
    let stride = Shape.count(Array(shape[(dim + 1)...]))
    let shown: [Int?] =
      summarise && n > 6 ? [0, 1, 2, nil, n - 3, n - 2, n - 1] : (0..<n).map { $0 }
    if dim == rank - 1 {
      let items = shown.map { $0.map { format.string(values[offset + $0]) } ?? "..." }
      return "[" + items.joined(separator: ", ") + "]"
    }
    let separator =
      "," + String(repeating: "\n", count: rank - dim - 1) + indent
      + String(repeating: " ", count: dim + 1)
    let items = shown.map { i -> String in
      guard let i else { return "..." }
      return render(
        values, dim: dim + 1, offset: offset + i * stride, format: format, summarise: summarise,
        indent: indent)
    }
    return "[" + items.joined(separator: separator) + "]"
  }
}

/// How the elements of one tensor are written: all alike, padded to one width.
private struct ElementFormat {
  enum Style { case integral, fixed, scientific }
  let style: Style
  let width: Int

  init(_ values: [Double]) {
    let finite = values.filter(\.isFinite)
    let magnitudes = finite.map(Swift.abs).filter { $0 > 0 }
    if finite.allSatisfy({ $0.rounded() == $0 }) && (magnitudes.max() ?? 0) < 1e8 {
      style = .integral
    } else if let lo = magnitudes.min(), let hi = magnitudes.max(),
      hi / lo > 1000 || hi > 1e8 || lo < 1e-4
    {
      style = .scientific
    } else {
      style = .fixed
    }
    var w = 0
    for v in values { w = Swift.max(w, ElementFormat.raw(v, style).count) }
    width = w
  }

  static func raw(_ v: Double, _ style: Style) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    switch style {
    case .integral: return String(format: "%.0f.", v)
    case .fixed: return String(format: "%.4f", v)
    case .scientific: return String(format: "%.4e", v)
    }
  }

  func string(_ v: Double) -> String {
    let s = ElementFormat.raw(v, style)
    return String(repeating: " ", count: Swift.max(0, width - s.count)) + s
  }
}
