/// A grid of small grayscale images (digits, weight images) with optional captions, as a PNG.
///
/// Cells are filled left to right, top to bottom, upscaled `zoom` times by nearest neighbour,
/// separated by white padding; a caption is drawn in black under its cell with the built-in 5×7
/// font (doubled when every caption fits; cut to the cell's width when even single size is too
/// wide).
///
/// ```swift
/// var grid = ImageGrid(imageWidth: 28, imageHeight: 28, columns: 5, scaling: .unit)
/// for (image, confidence) in mistakes {
///   grid.append(image, caption: Format.fixed(confidence, 1) + "%")
/// }
/// try context.save(grid, as: "most-confident-mistakes")
/// ```
struct ImageGrid: Figure {
  /// How each cell's values are turned into gray levels.
  enum Scaling {
    /// Values in `0...1` (clamped): 0 black, 1 white. For pixel data.
    case unit
    /// Each cell stretched from its own minimum (black) to maximum (white).
    case minMax
    /// Each cell scaled symmetrically about 0: 0 mid-gray, `+max|v|` white, `−max|v|` black.
    /// For weight images, where the sign matters.
    case symmetric
  }

  /// Width of every image, in source pixels.
  let imageWidth: Int
  /// Height of every image, in source pixels.
  let imageHeight: Int
  /// Cells per row.
  let columns: Int
  /// Gray-level mapping.
  var scaling: Scaling
  /// Upscaling factor (nearest neighbour).
  var zoom = 3
  /// White space around and between cells, in output pixels.
  var padding = 4

  private(set) var cells: [(pixels: [Double], caption: String?)] = []

  static let fileExtension = "png"

  /// An empty grid of `imageWidth`×`imageHeight` images, `columns` per row.
  init(imageWidth: Int, imageHeight: Int, columns: Int, scaling: Scaling = .unit) {
    precondition(
      imageWidth > 0 && imageHeight > 0 && columns > 0,
      "ImageGrid: sizes must be positive, got \(imageWidth)×\(imageHeight), \(columns) columns")
    self.imageWidth = imageWidth
    self.imageHeight = imageHeight
    self.columns = columns
    self.scaling = scaling
  }

  /// Appends one image, row-major, with an optional caption.
  ///
  /// - Precondition: `pixels.count == imageWidth * imageHeight`.
  mutating func append<T: BinaryFloatingPoint>(_ pixels: [T], caption: String? = nil) {
    precondition(
      pixels.count == imageWidth * imageHeight,
      "ImageGrid.append: expected \(imageWidth * imageHeight) pixels, got \(pixels.count)")
    cells.append((pixels.map { Double($0) }, caption))
  }

  func encoded() -> [UInt8] {
    let image = render()
    return PNGWriter.grayscale(width: image.width, height: image.height, pixels: image.pixels)
  }

  /// The grid as a grayscale bitmap (white background).
  func render() -> (width: Int, height: Int, pixels: [UInt8]) {
    let cellWidth = imageWidth * zoom
    let cellHeight = imageHeight * zoom
    let captions = cells.compactMap(\.caption)
    let fontScale =
      captions.allSatisfy { BitmapFont.width(of: $0, scale: 2) <= cellWidth } ? 2 : 1
    let captionHeight = captions.isEmpty ? 0 : BitmapFont.height * fontScale + 6
    let rows = max(1, (cells.count + columns - 1) / columns)
    let usedColumns = max(1, min(columns, cells.count))
    let width = padding + usedColumns * (cellWidth + padding)
    let height = padding + rows * (cellHeight + captionHeight + padding)
    var pixels = [UInt8](repeating: 255, count: width * height)
    for (index, cell) in cells.enumerated() {
      let originX = padding + (index % columns) * (cellWidth + padding)
      let originY = padding + (index / columns) * (cellHeight + captionHeight + padding)
      let levels = grayLevels(cell.pixels)
      for y in 0..<cellHeight {
        let rowStart = (originY + y) * width + originX
        let sourceRow = (y / zoom) * imageWidth
        for x in 0..<cellWidth {
          pixels[rowStart + x] = levels[sourceRow + x / zoom]
        }
      }
      if var caption = cell.caption {
        let fitting = (cellWidth / fontScale + 1) / BitmapFont.advance
        if caption.count > fitting { caption = String(caption.prefix(fitting)) }  // never overlap
        let textWidth = BitmapFont.width(of: caption, scale: fontScale)
        BitmapFont.draw(
          caption, into: &pixels, imageWidth: width, x: originX + (cellWidth - textWidth) / 2,
          y: originY + cellHeight + 4, scale: fontScale, value: 0)
      }
    }
    return (width, height, pixels)
  }

  /// One cell's values as gray levels according to `scaling`; NaN is drawn black.
  private func grayLevels(_ values: [Double]) -> [UInt8] {
    let finite = values.filter(\.isFinite)
    let unit: (Double) -> Double
    switch scaling {
    case .unit:
      unit = { $0 }
    case .minMax:
      let low = finite.min() ?? 0
      let span = (finite.max() ?? 0) - low
      unit = { span > 0 ? ($0 - low) / span : 0 }
    case .symmetric:
      let bound = finite.map(abs).max() ?? 0
      unit = { bound > 0 ? 0.5 + 0.5 * $0 / bound : 0.5 }
    }
    return values.map { value in
      guard value.isFinite else { return 0 }
      return UInt8((min(1, max(0, unit(value))) * 255).rounded())
    }
  }
}
