import CZlib

/// Encodes 8-bit grayscale images as PNG files (signature, IHDR, one IDAT, IEND).
///
/// Each row gets the PNG filter (None, Sub, Up, Average or Paeth) whose output has the smallest
/// sum of absolute values, the usual heuristic; the filtered rows are compressed with
/// zlib. Chunks carry CRC-32 checksums (ISO 3309, as PNG requires).
enum PNGWriter {
  /// A PNG file for a `width`×`height` grayscale image, `pixels` row by row, 0 black, 255 white.
  ///
  /// - Precondition: `pixels.count == width * height`, both sides positive.
  static func grayscale(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
    precondition(
      width > 0 && height > 0 && pixels.count == width * height,
      "PNGWriter: \(width)×\(height) image needs \(width * height) pixels, got \(pixels.count)")
    var header: [UInt8] = []
    appendBigEndian(UInt32(width), to: &header)
    appendBigEndian(UInt32(height), to: &header)
    header += [8, 0, 0, 0, 0]  // bit depth 8, grayscale, deflate, adaptive filters, no interlace
    var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    appendChunk("IHDR", header, to: &file)
    appendChunk("IDAT", zlibCompress(filtered(width: width, pixels: pixels)), to: &file)
    appendChunk("IEND", [], to: &file)
    return file
  }

  /// The CRC-32 of `bytes` (zlib's `crc32`), as PNG chunks require.
  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    UInt32(bytes.withUnsafeBufferPointer { CZlib.crc32(0, $0.baseAddress, uInt($0.count)) })
  }

  /// `data` in the zlib format (deflate at the best compression), with zlib's `compress2`.
  static func zlibCompress(_ data: [UInt8]) -> [UInt8] {
    var size = compressBound(uLong(data.count))
    var output = [UInt8](repeating: 0, count: Int(size))
    let status = data.withUnsafeBufferPointer { src in
      compress2(&output, &size, src.baseAddress, uLong(data.count), Z_BEST_COMPRESSION)
    }
    // compress2 fails only when out of memory or given a too-small buffer (compressBound rules
    // that out), so this is a programming error, not bad input.
    precondition(status == Z_OK, "PNGWriter: zlib compress2 failed with status \(status)")
    return Array(output[..<Int(size)])
  }

  /// The rows, each prefixed by its filter type and filtered by it.
  private static func filtered(width: Int, pixels: [UInt8]) -> [UInt8] {
    let height = pixels.count / width
    var output: [UInt8] = []
    output.reserveCapacity((width + 1) * height)
    let zeros = [UInt8](repeating: 0, count: width)
    var candidate = [UInt8](repeating: 0, count: width)
    var best = [UInt8](repeating: 0, count: width)
    for row in 0..<height {
      let current = Array(pixels[(row * width)..<((row + 1) * width)])
      let above = row == 0 ? zeros : Array(pixels[((row - 1) * width)..<(row * width)])
      var bestType: UInt8 = 0
      var bestCost = Int.max
      for type in UInt8(0)...4 {
        var cost = 0
        for x in 0..<width {
          let left = x == 0 ? 0 : current[x - 1]
          let upperLeft = x == 0 ? 0 : above[x - 1]
          let value = current[x] &- predictor(type, left: left, up: above[x], upperLeft: upperLeft)
          candidate[x] = value
          cost += value < 128 ? Int(value) : 256 - Int(value)  // |signed value|
        }
        if cost < bestCost {
          (bestCost, bestType) = (cost, type)
          swap(&best, &candidate)
        }
      }
      output.append(bestType)
      output += best
    }
    return output
  }

  /// The value a filter predicts from the left, upper and upper-left neighbours (PNG §9.2).
  private static func predictor(_ type: UInt8, left: UInt8, up: UInt8, upperLeft: UInt8) -> UInt8 {
    switch type {
    case 1: return left
    case 2: return up
    case 3: return UInt8((Int(left) + Int(up)) / 2)
    case 4:
      let (a, b, c) = (Int(left), Int(up), Int(upperLeft))
      let p = a + b - c
      let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
      if pa <= pb && pa <= pc { return left }
      return pb <= pc ? up : upperLeft
    default: return 0
    }
  }

  private static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
    appendBigEndian(UInt32(data.count), to: &file)
    let typed = Array(type.utf8) + data
    file += typed
    appendBigEndian(crc32(typed), to: &file)
  }

  private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
    for shift in stride(from: 24, through: 0, by: -8) {
      bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
    }
  }
}
