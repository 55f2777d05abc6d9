/// Bounds-checked reads of fixed-width integers from a byte array.
///
/// Every read checks its range first and throws `DataError.truncated` (naming the file and the
/// offset) instead of trapping, so header parsers can be written straight down the format
/// description without their own bounds arithmetic.
struct ByteReader {
  /// The bytes being parsed.
  let bytes: [UInt8]
  /// Name used in error messages (a path, or `archive.npz:entry.npy`).
  let name: String
  /// Added to offsets in error messages, when `bytes` is a slice of a larger file.
  let baseOffset: Int

  init(_ bytes: [UInt8], name: String, baseOffset: Int = 0) {
    self.bytes = bytes
    self.name = name
    self.baseOffset = baseOffset
  }

  var count: Int { bytes.count }

  /// Throws unless `count` bytes are available at `offset`.
  func require(_ count: Int, at offset: Int) throws(DataError) {
    guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
      throw .truncated(
        file: name, offset: baseOffset + offset, needed: count, available: bytes.count - offset)
    }
  }

  /// Unsigned little-endian integer of `width` bytes (at most 8) at `offset`.
  func uintLE(at offset: Int, width: Int) throws(DataError) -> UInt64 {
    try require(width, at: offset)
    var value: UInt64 = 0
    for i in stride(from: width - 1, through: 0, by: -1) {
      value = value << 8 | UInt64(bytes[offset + i])
    }
    return value
  }

  /// Unsigned big-endian integer of `width` bytes (at most 8) at `offset`.
  func uintBE(at offset: Int, width: Int) throws(DataError) -> UInt64 {
    try require(width, at: offset)
    var value: UInt64 = 0
    for i in 0..<width {
      value = value << 8 | UInt64(bytes[offset + i])
    }
    return value
  }

  func uint16LE(at offset: Int) throws(DataError) -> Int {
    Int(try uintLE(at: offset, width: 2))
  }

  func uint32LE(at offset: Int) throws(DataError) -> UInt32 {
    UInt32(truncatingIfNeeded: try uintLE(at: offset, width: 4))
  }

  func uint32BE(at offset: Int) throws(DataError) -> UInt32 {
    UInt32(truncatingIfNeeded: try uintBE(at: offset, width: 4))
  }

  /// `count` bytes at `offset`, copied.
  func slice(at offset: Int, count: Int) throws(DataError) -> [UInt8] {
    try require(count, at: offset)
    return Array(bytes[offset..<offset + count])
  }
}
