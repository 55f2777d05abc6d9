/// The JSON header of a safetensors file: each tensor's dtype, shape and byte range in the data
/// section, plus optional string metadata.
///
/// `decode` validates the whole header against the data section's size before the reader
/// allocates a single tensor; `encode` writes the compact form Python's `safetensors` writes.
struct SafeTensorsHeader {
  /// One tensor's description.
  struct Entry {
    var name: String
    var dtype: SafeTensors.StorageType
    var shape: [Int]
    /// Byte range `begin..<end`, relative to the start of the data section.
    var begin: Int
    var end: Int
  }

  /// The tensors, in the order of their data in the file.
  var entries: [Entry]
  /// The `__metadata__` object (empty when absent).
  var metadata: [String: String]

  /// The key the format reserves for metadata.
  static let metadataKey = "__metadata__"

  // MARK: - Decoding

  /// Parses and validates `bytes`, the header of the file at `path`, which begins at file
  /// offset 8 and is followed by a data section of `dataSize` bytes.
  ///
  /// Checks: a JSON object whose members are `__metadata__` (an object of strings) or tensors
  /// (objects with exactly `dtype`, `shape` and `data_offsets`), no duplicate names, a supported
  /// dtype, non-negative dimensions, `elements × dtype size == end − begin` (without overflow),
  /// and data ranges that tile the data section exactly: contiguous from byte 0, no gaps, no
  /// overlaps, nothing left over.
  static func decode(
    _ bytes: [UInt8], path: String, dataSize: Int
  ) throws(SafeTensorsError) -> SafeTensorsHeader {
    var scanner = Scanner(bytes: bytes, path: path)
    var header = SafeTensorsHeader(entries: [], metadata: [:])
    var names = Set<String>()
    var sawMetadata = false
    try scanner.expect("{", "'{' opening the header object")
    if !scanner.consume("}") {
      repeat {
        let keyOffset = scanner.position
        let name = try scanner.string()
        try scanner.expect(":", "':' after \"\(name)\"")
        if name == metadataKey {
          guard !sawMetadata else { throw scanner.error("duplicate __metadata__", at: keyOffset) }
          sawMetadata = true
          header.metadata = try decodeMetadata(&scanner)
        } else {
          guard names.insert(name).inserted else {
            throw SafeTensorsError.duplicateTensor(path: path, name: name)
          }
          header.entries.append(try decodeEntry(named: name, &scanner, path: path))
        }
      } while try scanner.commaOr("}")
    }
    try scanner.expectEnd()
    try checkLayout(
      of: &header.entries, path: path, dataStart: Scanner.headerStart + bytes.count,
      dataSize: dataSize)
    return header
  }

  /// `{"key": "value", …}` with string values only.
  private static func decodeMetadata(
    _ scanner: inout Scanner
  ) throws(SafeTensorsError) -> [String: String] {
    var metadata: [String: String] = [:]
    try scanner.expect("{", "an object of strings for __metadata__")
    if scanner.consume("}") { return metadata }
    repeat {
      let keyOffset = scanner.position
      let key = try scanner.string()
      try scanner.expect(":", "':' after \"\(key)\"")
      guard metadata[key] == nil else {
        throw scanner.error("duplicate __metadata__ key \"\(key)\"", at: keyOffset)
      }
      guard scanner.peek() == UInt8(ascii: "\"") else {
        throw scanner.error("__metadata__ value of \"\(key)\" must be a string")
      }
      metadata[key] = try scanner.string()
    } while try scanner.commaOr("}")
    return metadata
  }

  /// `{"dtype": "F32", "shape": [3, 4], "data_offsets": [0, 48]}` (members in any order),
  /// checked on its own: dtype, shape and byte count.
  private static func decodeEntry(
    named name: String, _ scanner: inout Scanner, path: String
  ) throws(SafeTensorsError) -> Entry {
    let entryOffset = scanner.position
    var dtype: String?
    var shape: [Int]?
    var offsets: [Int]?
    try scanner.expect("{", "an object describing tensor '\(name)'")
    if !scanner.consume("}") {
      repeat {
        let keyOffset = scanner.position
        let key = try scanner.string()
        try scanner.expect(":", "':' after \"\(key)\"")
        switch key {
        case "dtype" where dtype == nil:
          guard scanner.peek() == UInt8(ascii: "\"") else {
            throw scanner.error("tensor '\(name)': dtype must be a string")
          }
          dtype = try scanner.string()
        case "shape" where shape == nil:
          shape = try integerArray(&scanner, what: "tensor '\(name)': shape")
        case "data_offsets" where offsets == nil:
          offsets = try integerArray(&scanner, what: "tensor '\(name)': data_offsets")
        case "dtype", "shape", "data_offsets":
          throw scanner.error("tensor '\(name)': duplicate key \"\(key)\"", at: keyOffset)
        default:
          throw scanner.error("tensor '\(name)': unknown key \"\(key)\"", at: keyOffset)
        }
      } while try scanner.commaOr("}")
    }
    guard let dtype, let shape, let offsets else {
      var missing: [String] = []
      if dtype == nil { missing.append("dtype") }
      if shape == nil { missing.append("shape") }
      if offsets == nil { missing.append("data_offsets") }
      throw scanner.error(
        "tensor '\(name)': missing \(missing.joined(separator: ", "))", at: entryOffset)
    }
    guard offsets.count == 2 else {
      throw scanner.error(
        "tensor '\(name)': data_offsets must be [begin, end], got \(offsets.count) numbers",
        at: entryOffset)
    }
    return try checkEntry(name: name, dtype: dtype, shape: shape, offsets: offsets, path: path)
  }

  /// `[1, 2, 3]`: integers only.
  private static func integerArray(
    _ scanner: inout Scanner, what: String
  ) throws(SafeTensorsError) -> [Int] {
    guard scanner.peek() == UInt8(ascii: "[") else {
      throw scanner.error("\(what) must be an array of integers")
    }
    try scanner.expect("[", "'['")
    var values: [Int] = []
    if scanner.consume("]") { return values }
    repeat { values.append(try scanner.integer()) } while try scanner.commaOr("]")
    return values
  }

  /// The checks one entry can pass or fail on its own.
  private static func checkEntry(
    name: String, dtype: String, shape: [Int], offsets: [Int], path: String
  ) throws(SafeTensorsError) -> Entry {
    guard let storage = SafeTensors.StorageType(rawValue: dtype) else {
      throw SafeTensorsError.unsupportedDType(path: path, tensor: name, dtype: dtype)
    }
    if let negative = shape.first(where: { $0 < 0 }) {
      throw SafeTensorsError.invalidShape(
        path: path, tensor: name, shape: shape, reason: "dimension \(negative) is negative")
    }
    // Elements, then bytes, multiplied in order with overflow checks as the Python library
    // does. (This also keeps `Shape.count`'s unchecked product from overflowing later.)
    var elements = 1
    var overflow = false
    for dimension in shape where !overflow {
      (elements, overflow) = elements.multipliedReportingOverflow(by: dimension)
    }
    let (bytes, bytesOverflow) = elements.multipliedReportingOverflow(by: storage.byteSize)
    guard !overflow, !bytesOverflow else {
      throw SafeTensorsError.invalidShape(
        path: path, tensor: name, shape: shape, reason: "its byte size overflows")
    }
    let (begin, end) = (offsets[0], offsets[1])
    guard begin >= 0, end >= 0 else {
      throw SafeTensorsError.invalidOffsets(
        path: path, tensor: name, begin: begin, end: end, reason: "negative offset")
    }
    guard begin <= end else {
      throw SafeTensorsError.invalidOffsets(
        path: path, tensor: name, begin: begin, end: end, reason: "end is before begin")
    }
    guard end - begin == bytes else {
      throw SafeTensorsError.shapeMismatch(
        path: path, tensor: name, shape: shape, dtype: dtype, expectedBytes: bytes,
        actualBytes: end - begin)
    }
    return Entry(name: name, dtype: storage, shape: shape, begin: begin, end: end)
  }

  /// Sorts `entries` by offset and checks that they tile the data section exactly.
  private static func checkLayout(
    of entries: inout [Entry], path: String, dataStart: Int, dataSize: Int
  ) throws(SafeTensorsError) {
    // Ties broken by header order, so empty tensors sharing an offset keep their order.
    entries = entries.enumerated()
      .sorted { a, b in
        (a.element.begin, a.element.end, a.offset) < (b.element.begin, b.element.end, b.offset)
      }
      .map(\.element)
    var cursor = 0
    var previous: String?
    for entry in entries {
      if entry.begin < cursor, let previous {
        throw SafeTensorsError.overlappingTensors(path: path, first: previous, second: entry.name)
      }
      if entry.end > dataSize && entry.begin != cursor {
        throw SafeTensorsError.offsetsOutOfBounds(
          path: path, tensor: entry.name, begin: entry.begin, end: entry.end, dataSize: dataSize)
      }
      if entry.begin > cursor {
        let after = previous.map { "tensor '\($0)' ends at \(cursor)" } ?? "the data starts at 0"
        throw SafeTensorsError.invalidOffsets(
          path: path, tensor: entry.name, begin: entry.begin, end: entry.end,
          reason: "gap in the data: \(after)")
      }
      cursor = entry.end
      previous = entry.name
    }
    // Contiguous from 0: any remaining disagreement is about the file's length.
    if cursor > dataSize, let last = entries.last {
      let (fileSize, overflow) = dataStart.addingReportingOverflow(cursor)
      guard !overflow else {
        // No file can be that long: the offsets are corrupt.
        throw SafeTensorsError.offsetsOutOfBounds(
          path: path, tensor: last.name, begin: last.begin, end: last.end, dataSize: dataSize)
      }
      throw SafeTensorsError.truncated(path: path, expected: fileSize, actual: dataStart + dataSize)
    }
    if cursor < dataSize {
      throw SafeTensorsError.trailingData(path: path, expected: cursor, actual: dataSize)
    }
  }
}
