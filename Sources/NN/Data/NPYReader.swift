/// Reader for NumPy's `.npy` format, versions 1.0, 2.0 and 3.0.
///
/// Layout: the magic `\x93NUMPY`, a major and a minor version byte, the header length
/// (little-endian `UInt16` in version 1, `UInt32` in versions 2 and 3), then the header, a
/// Python dict literal such as `{'descr': '|u1', 'fortran_order': False, 'shape': (97477, 28,
/// 28), }`, then the data.
///
/// The header is parsed by a small grammar (no evaluation): exactly the keys `descr`,
/// `fortran_order` and `shape`; `descr` one of the little-endian (or byte-sized) types of
/// `NPYArray.ElementType`; `fortran_order` `False`; `shape` a tuple of non-negative integers.
/// The element count times the element size (overflow-checked) must equal the data length
/// exactly. Like NumPy's `max_header_size`, headers over 10,000 bytes are refused.
///
/// ```swift
/// let array = try NPYReader.parse(bytes, name: "labels.npy")
/// array.shape        // [1000, 1]
/// ```
public enum NPYReader {
  /// The longest header accepted (NumPy's default `max_header_size`).
  public static let maxHeaderSize = 10_000

  private static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

  /// Reads a `.npy` file.
  public static func read(path: String) throws(DataError) -> NPYArray {
    try parse(BinaryFile(path: path).readAll(), name: path)
  }

  /// Parses `.npy` bytes.
  ///
  /// - Parameters:
  ///   - name: the file (or archive entry) name used in error messages.
  ///   - baseOffset: the position of `bytes` in its file, added to offsets in messages.
  public static func parse(_ bytes: [UInt8], name: String, baseOffset: Int = 0) throws(DataError)
    -> NPYArray
  {
    let reader = ByteReader(bytes, name: name, baseOffset: baseOffset)
    let signature = try reader.slice(at: 0, count: 8)
    guard Array(signature[0..<6]) == magic else {
      throw .badMagic(
        file: name, offset: baseOffset, expected: "\\x93NUMPY",
        got: signature[0..<6].map { String($0, radix: 16) }.joined(separator: " "))
    }
    let major = Int(signature[6])
    let headerLength: Int
    let headerStart: Int
    switch major {
    case 1:
      headerLength = try reader.uint16LE(at: 8)
      headerStart = 10
    case 2, 3:
      headerLength = Int(try reader.uint32LE(at: 8))
      headerStart = 12
    default:
      throw .unsupported(
        file: name, offset: baseOffset + 6,
        feature: ".npy format version \(major).\(signature[7]) (known: 1.0, 2.0, 3.0)")
    }
    guard headerLength <= maxHeaderSize else {
      throw .tooLarge(
        file: name, what: ".npy header", claimed: headerLength, limit: maxHeaderSize)
    }
    let headerBytes = try reader.slice(at: headerStart, count: headerLength)
    var parser = HeaderParser(
      bytes: headerBytes, name: name, baseOffset: baseOffset + headerStart)
    let header = try parser.parse()

    let dataStart = headerStart + headerLength
    var count = 1
    for dimension in header.shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
      guard !overflow else {
        throw .tooLarge(
          file: name, what: "shape \(header.shape)", claimed: Int.max, limit: bytes.count)
      }
      count = product
    }
    let (byteCount, overflow) = count.multipliedReportingOverflow(by: header.type.size)
    let available = bytes.count - dataStart
    guard !overflow, byteCount == available else {
      throw .sizeMismatch(
        file: name, what: "data of shape \(header.shape) (\(header.type))",
        expected: overflow ? Int.max : byteCount, got: available)
    }
    return NPYArray(
      elementType: header.type, shape: header.shape, data: Array(bytes[dataStart...]),
      source: name)
  }

  struct Header {
    var type: NPYArray.ElementType
    var shape: [Int]
  }

  /// Recursive-descent parser for the header's dict literal.
  private struct HeaderParser {
    let bytes: [UInt8]
    let name: String
    let baseOffset: Int
    var position = 0

    init(bytes: [UInt8], name: String, baseOffset: Int) {
      self.bytes = bytes
      self.name = name
      self.baseOffset = baseOffset
    }

    enum Value {
      case string(String)
      case bool(Bool)
      case tuple([Int])
      case other(String)
    }

    mutating func parse() throws(DataError) -> Header {
      var entries: [String: (value: Value, offset: Int)] = [:]
      try expect(UInt8(ascii: "{"), "'{' opening the header dict")
      while true {
        skipSpace()
        if peek() == UInt8(ascii: "}") {
          position += 1
          break
        }
        let keyOffset = position
        guard case .string(let key) = try value() else {
          throw error(at: keyOffset, "a quoted key", got: snippet(at: keyOffset))
        }
        guard entries[key] == nil else { throw error(at: keyOffset, "unique keys", got: key) }
        try expect(UInt8(ascii: ":"), "':' after key '\(key)'")
        skipSpace()
        let valueOffset = position
        entries[key] = (try value(), valueOffset)
        skipSpace()
        if peek() == UInt8(ascii: ",") {
          position += 1
        } else if peek() != UInt8(ascii: "}") {
          throw error(at: position, "',' or '}'", got: snippet(at: position))
        }
      }
      skipSpace()
      guard position == bytes.count else {
        throw error(at: position, "only padding after the dict", got: snippet(at: position))
      }
      let keys = Set(entries.keys)
      guard keys == ["descr", "fortran_order", "shape"] else {
        throw error(
          at: 0, "exactly the keys 'descr', 'fortran_order', 'shape'",
          got: keys.sorted().joined(separator: ", "))
      }
      guard let descr = entries["descr"], let order = entries["fortran_order"],
        let shape = entries["shape"]
      else { throw error(at: 0, "the keys 'descr', 'fortran_order', 'shape'", got: "others") }

      guard case .string(let descrText) = descr.value, let type = Self.elementType(descrText)
      else {
        let got = Self.describe(descr.value)
        let supported = NPYArray.ElementType.allCases.map { "'\($0.rawValue)'" }
        throw DataError.unsupported(
          file: name, offset: baseOffset + descr.offset,
          feature: "dtype descr \(got) (supported: \(supported.joined(separator: ", ")))")
      }
      guard case .bool(let fortran) = order.value else {
        throw error(
          at: order.offset, "fortran_order True or False", got: Self.describe(order.value))
      }
      guard !fortran else {
        throw DataError.unsupported(
          file: name, offset: baseOffset + order.offset,
          feature: "Fortran (column-major) order; save with C order")
      }
      guard case .tuple(let dimensions) = shape.value else {
        throw error(
          at: shape.offset, "shape as a tuple of integers", got: Self.describe(shape.value))
      }
      return Header(type: type, shape: dimensions)
    }

    /// Maps a `descr` to an element type; `=` (native) is little-endian on every platform this
    /// package runs on, and `<`/`|` are interchangeable for one-byte types.
    static func elementType(_ descr: String) -> NPYArray.ElementType? {
      guard let first = descr.first else { return nil }
      var code = descr
      if first == "<" || first == "|" || first == "=" { code.removeFirst() }
      if first == ">" && (descr.hasSuffix("1")) { code.removeFirst() }
      switch code {
      case "b1": return .bool
      case "u1": return .uint8
      case "i1": return .int8
      case "u2": return .uint16
      case "i2": return .int16
      case "u4": return .uint32
      case "i4": return .int32
      case "u8": return .uint64
      case "i8": return .int64
      case "f4": return .float32
      case "f8": return .float64
      default: return nil
      }
    }

    static func describe(_ value: Value) -> String {
      switch value {
      case .string(let s): return "'\(s)'"
      case .bool(let b): return b ? "True" : "False"
      case .tuple(let t): return "(" + t.map(String.init).joined(separator: ", ") + ")"
      case .other(let s): return s
      }
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipSpace() {
      while let c = peek(), c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 }
    }

    private mutating func expect(_ c: UInt8, _ what: String) throws(DataError) {
      skipSpace()
      guard peek() == c else { throw error(at: position, what, got: snippet(at: position)) }
      position += 1
    }

    private mutating func value() throws(DataError) -> Value {
      skipSpace()
      guard let c = peek() else { throw error(at: position, "a value", got: "end of header") }
      switch c {
      case UInt8(ascii: "'"), UInt8(ascii: "\""):
        let start = position
        position += 1
        guard let end = bytes[position...].firstIndex(of: c) else {
          throw error(at: start, "a closing quote", got: "end of header")
        }
        let text = String(decoding: bytes[position..<end], as: UTF8.self)
        position = end + 1
        return .string(text)
      case UInt8(ascii: "("):
        position += 1
        var items: [Int] = []
        while true {
          skipSpace()
          if peek() == UInt8(ascii: ")") {
            position += 1
            return .tuple(items)
          }
          items.append(try integer())
          skipSpace()
          if peek() == UInt8(ascii: ",") {
            position += 1
          } else if peek() != UInt8(ascii: ")") {
            throw error(at: position, "',' or ')' in the shape tuple", got: snippet(at: position))
          }
        }
      default:
        let start = position
        while let d = peek(), Self.isWordByte(d) { position += 1 }
        let word = String(decoding: bytes[start..<position], as: UTF8.self)
        switch word {
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "": throw error(at: start, "a value", got: snippet(at: start))
        default: return .other(word)
        }
      }
    }

    /// A non-negative decimal integer (Python 2 headers may end it with `L`).
    private mutating func integer() throws(DataError) -> Int {
      let start = position
      var value = 0
      while let d = peek(), d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") {
        let (times, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times.addingReportingOverflow(Int(d - UInt8(ascii: "0")))
        guard !o1, !o2 else {
          throw error(at: start, "a dimension that fits in 64 bits", got: snippet(at: start))
        }
        value = sum
        position += 1
      }
      guard position > start else {
        throw error(at: start, "a non-negative integer dimension", got: snippet(at: start))
      }
      if peek() == UInt8(ascii: "L") { position += 1 }
      return value
    }

    private static func isWordByte(_ c: UInt8) -> Bool {
      (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
        || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
        || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
        || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
    }

    private func snippet(at offset: Int) -> String {
      guard offset < bytes.count else { return "end of header" }
      let end = min(bytes.count, offset + 20)
      return "'" + String(decoding: bytes[offset..<end], as: UTF8.self) + "'"
    }

    private func error(at offset: Int, _ expected: String, got: String) -> DataError {
      .invalidHeader(
        file: name, offset: baseOffset + offset, field: ".npy header", expected: expected, got: got)
    }
  }
}
