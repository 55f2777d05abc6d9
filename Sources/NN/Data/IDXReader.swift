/// An unsigned-byte array read from an IDX file: its dimensions and its row-major bytes.
public struct IDXArray: Sendable, Equatable {
  /// The dimensions from the header, outermost first (`[60000, 28, 28]` for MNIST images).
  public let dimensions: [Int]
  /// The elements in row-major order; `data.count` is the product of `dimensions`.
  public let data: [UInt8]
}

/// Reader for the IDX format of MNIST and Fashion-MNIST, plain or gzip-compressed.
///
/// An IDX file is a 4-byte magic number `00 00 08 r` (two zero bytes, the element type `08`
/// for unsigned bytes, the rank `r`), then `r` big-endian 32-bit dimensions, then the elements
/// in row-major order. Labels are rank 1 (magic `0x00000801`), images rank 3 (`0x00000803`).
///
/// Validation happens before any allocation: the magic number, the element type, the rank,
/// each dimension, and the element count (computed with overflow checks) against the actual
/// payload size. For gzip files the claim is first checked against a size limit and against
/// what the compressed size could possibly hold (deflate expands at most 1032:1), and the
/// output then grows only as data really decompresses; the gzip CRC-32 and length are checked.
///
/// ```swift
/// let images = try IDXReader.read(path: "t10k-images-idx3-ubyte.gz", rank: 3)
/// images.dimensions  // [10000, 28, 28]
/// ```
public enum IDXReader {
  /// The default limit on decompressed size: 4 GiB, far above any IDX dataset.
  public static let defaultLimit = 1 << 32

  /// The magic number of an unsigned-byte IDX file of the given rank (`0x00000803` for 3).
  public static func magic(rank: Int) -> UInt32 { 0x0000_0800 | UInt32(truncatingIfNeeded: rank) }

  /// Reads an IDX file; gzip is recognised by its signature, not by the file name.
  ///
  /// - Parameters:
  ///   - path: the file.
  ///   - rank: the expected rank (1 for labels, 3 for images), or `nil` to accept any.
  ///   - limit: the largest payload accepted, in bytes.
  /// - Throws: `DataError` naming the file, the offset and what was expected.
  public static func read(
    path: String, rank: Int? = nil, limit: Int = defaultLimit
  ) throws(DataError) -> IDXArray {
    let file = try BinaryFile(path: path)
    let start = try file.read(offset: 0, count: min(file.size, 4))
    if Inflate.isGzip(start) {
      return try parse(file.readAll(), name: path, rank: rank, limit: limit)
    }
    // Plain file: read and check the header, then read the payload straight into its array.
    let header = try parseHeader(
      ByteReader(try file.read(offset: 0, count: min(file.size, 4 + 4 * 255)), name: path),
      rank: rank, limit: limit)
    try checkPayload(header, available: file.size - header.size, name: path)
    var failure: DataError?
    let data = [UInt8](unsafeUninitializedCapacity: header.count) { buffer, initialized in
      do throws(DataError) {
        try file.read(offset: header.size, into: UnsafeMutableRawBufferPointer(buffer))
        initialized = header.count
      } catch {
        failure = error
        initialized = 0
      }
    }
    if let failure { throw failure }
    return IDXArray(dimensions: header.dimensions, data: data)
  }

  /// Parses IDX bytes already in memory (plain or gzip).
  ///
  /// - Parameter name: the file name used in error messages.
  public static func parse(
    _ bytes: [UInt8], name: String, rank: Int? = nil, limit: Int = defaultLimit
  ) throws(DataError) -> IDXArray {
    if Inflate.isGzip(bytes) {
      // The header is at most 4 + 4·255 bytes; decompress just enough of it first.
      let head = try Inflate.prefix(bytes, format: .gzip, count: 4, name: name)
      let rankByte = Int(head[3])
      let headerBytes = try Inflate.prefix(
        bytes, format: .gzip, count: 4 + 4 * rankByte, name: name)
      let header = try parseHeader(ByteReader(headerBytes, name: name), rank: rank, limit: limit)
      let total = header.size + header.count
      // Deflate's best case is 1032:1; a claim beyond that is impossible for this file.
      let (possible, overflow) = bytes.count.multipliedReportingOverflow(by: 1032)
      if !overflow && total > possible {
        throw .tooLarge(
          file: name,
          what: "the header (dimensions \(header.dimensions)) of a \(bytes.count)-byte gzip file "
            + "(deflate expands at most 1032:1)", claimed: total, limit: possible)
      }
      var data = try Inflate.decompress(bytes, format: .gzip, exactCount: total, name: name)
      data.removeFirst(header.size)  // in place: no second copy of the payload
      return IDXArray(dimensions: header.dimensions, data: data)
    }
    let header = try parseHeader(ByteReader(bytes, name: name), rank: rank, limit: limit)
    try checkPayload(header, available: bytes.count - header.size, name: name)
    return IDXArray(dimensions: header.dimensions, data: Array(bytes[header.size...]))
  }

  /// What the header says: dimensions, header size and element count.
  struct Header {
    var dimensions: [Int]
    var size: Int
    var count: Int
  }

  static func parseHeader(_ reader: ByteReader, rank: Int?, limit: Int) throws(DataError) -> Header
  {
    let name = reader.name
    let magic = try reader.uint32BE(at: 0)
    let fileRank = Int(magic & 0xFF)
    if magic >> 16 != 0 || (rank != nil && fileRank != rank) {
      let expected = rank.map { DataError.hex(Self.magic(rank: $0)) } ?? "0x000008NN"
      throw .badMagic(file: name, offset: 0, expected: expected, got: DataError.hex(magic))
    }
    let type = (magic >> 8) & 0xFF
    guard type == 0x08 else {
      let known: [UInt32: String] = [
        0x09: "signed byte", 0x0B: "int16", 0x0C: "int32", 0x0D: "float32", 0x0E: "float64",
      ]
      throw .unsupported(
        file: name, offset: 2,
        feature: "IDX element type \(DataError.hex(type)) (\(known[type] ?? "unknown")); "
          + "only unsigned bytes (0x08) are supported")
    }
    guard fileRank >= 1 else {
      throw .invalidHeader(file: name, offset: 3, field: "rank", expected: "at least 1", got: "0")
    }
    var dimensions: [Int] = []
    var count = 1
    for i in 0..<fileRank {
      let dimension = Int(try reader.uint32BE(at: 4 + 4 * i))
      let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
      if overflow || product > limit {
        throw .tooLarge(
          file: name, what: "the header (dimensions so far \(dimensions + [dimension]))",
          claimed: overflow ? Int.max : product, limit: limit)
      }
      count = product
      dimensions.append(dimension)
    }
    return Header(dimensions: dimensions, size: 4 + 4 * fileRank, count: count)
  }

  private static func checkPayload(_ header: Header, available: Int, name: String) throws(DataError)
  {
    guard available == header.count else {
      let shape = header.dimensions.map(String.init).joined(separator: "×")
      throw .sizeMismatch(
        file: name, what: "payload of \(shape) bytes after the \(header.size)-byte header",
        expected: header.count, got: available)
    }
  }
}
