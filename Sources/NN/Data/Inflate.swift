import CZlib

/// Decompression of gzip, zlib and raw deflate streams through the system zlib.
///
/// Every entry point takes an output bound and never allocates past it: output grows only as
/// zlib actually produces it, so a small hostile file that claims gigabytes fails once it runs
/// out of real data, having allocated no more than it really expanded to. A corrupted stream,
/// a truncated one, a checksum mismatch (gzip's CRC-32 and length, zlib's Adler-32) or bytes
/// after the end of the stream throw `DataError`; nothing traps.
///
/// ```swift
/// let bytes = try Inflate.decompress(gz, format: .gzip, limit: 1 << 30, name: path)
/// ```
public enum Inflate {
  /// The container around the deflate data.
  public enum Format: Sendable {
    /// RFC 1952 (`.gz` files); concatenated members are decompressed one after another.
    case gzip
    /// RFC 1950 (a 2-byte header and an Adler-32 trailer).
    case zlib
    /// RFC 1951 with no wrapper, as in zip entries (method 8).
    case rawDeflate

    var windowBits: Int32 {
      switch self {
      case .gzip: return 15 + 16
      case .zlib: return 15
      case .rawDeflate: return -15
      }
    }
  }

  /// Whether `bytes` starts with the gzip signature `1F 8B`.
  public static func isGzip(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
  }

  /// Decompresses a whole stream of unknown size.
  ///
  /// - Parameters:
  ///   - input: the compressed bytes; the stream must end exactly at their end.
  ///   - limit: the most decompressed bytes accepted.
  ///   - name: the file name used in error messages.
  ///   - baseOffset: the position of `input` in its file, added to offsets in messages.
  /// - Throws: `DataError.tooLarge` past `limit`; `.corruptStream` for invalid, truncated or
  ///   trailing data.
  public static func decompress(
    _ input: [UInt8], format: Format, limit: Int, name: String, baseOffset: Int = 0
  ) throws(DataError) -> [UInt8] {
    try run(input, format, .whole, bound: limit, name: name, baseOffset: baseOffset)
  }

  /// Decompresses a stream that must produce exactly `count` bytes (a size known from a
  /// header or a zip directory); a shorter or longer stream throws `DataError.sizeMismatch`.
  public static func decompress(
    _ input: [UInt8], format: Format, exactCount count: Int, name: String, baseOffset: Int = 0
  ) throws(DataError) -> [UInt8] {
    try run(input, format, .exact, bound: count, name: name, baseOffset: baseOffset)
  }

  /// The first `count` decompressed bytes, for reading a header before deciding how much to
  /// decompress; throws `DataError.truncated` if the stream is shorter.
  public static func prefix(
    _ input: [UInt8], format: Format, count: Int, name: String, baseOffset: Int = 0
  ) throws(DataError) -> [UInt8] {
    try run(input, format, .prefix, bound: count, name: name, baseOffset: baseOffset)
  }

  private enum Mode { case whole, exact, prefix }

  /// Output is produced through a fixed chunk and appended, so memory follows real output.
  private static let chunkSize = 1 << 18

  private static func run(
    _ input: [UInt8], _ format: Format, _ mode: Mode, bound: Int, name: String, baseOffset: Int
  ) throws(DataError) -> [UInt8] {
    precondition(bound >= 0, "Inflate: negative output bound \(bound)")
    var result: Result<[UInt8], DataError> = .success([])
    input.withUnsafeBufferPointer { source in
      result = inflate(source, format, mode, bound: bound, name: name, baseOffset: baseOffset)
    }
    return try result.get()
  }

  // The zlib loop. Each `inflate` call either consumes input, produces output, ends the stream
  // or reports an error; a call that does none of these means the input ran out (truncation),
  // so the loop cannot spin.
  private static func inflate(
    _ source: UnsafeBufferPointer<UInt8>, _ format: Format, _ mode: Mode, bound: Int,
    name: String, baseOffset: Int
  ) -> Result<[UInt8], DataError> {
    guard let inputBase = source.baseAddress, !source.isEmpty else {
      return .failure(.corruptStream(file: name, offset: baseOffset, reason: "empty stream"))
    }
    var stream = z_stream()
    let initStatus = inflateInit2_(
      &stream, format.windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    guard initStatus == Z_OK else {
      return .failure(
        .corruptStream(file: name, offset: baseOffset, reason: "zlib init failed (\(initStatus))"))
    }
    defer { inflateEnd(&stream) }

    let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
    defer { chunk.deallocate() }
    var output: [UInt8] = []
    // Deflate rarely expands more than 8:1 on real data; reserving up to that (within the
    // bound) avoids regrowth for honest files while a lying header gains nothing.
    let (guess, overflow) = source.count.multipliedReportingOverflow(by: 8)
    output.reserveCapacity(min(bound, overflow ? bound : max(guess, 1 << 16)))

    let mutableInput = UnsafeMutablePointer(mutating: inputBase)
    var fed = 0  // input bytes handed to zlib so far
    func consumed() -> Int { fed - Int(stream.avail_in) }
    func fail(_ reason: String) -> Result<[UInt8], DataError> {
      .failure(.corruptStream(file: name, offset: baseOffset + consumed(), reason: reason))
    }

    while true {
      if stream.avail_in == 0 && fed < source.count {
        let n = min(source.count - fed, Int(UInt32.max))
        stream.next_in = mutableInput + fed
        stream.avail_in = UInt32(n)
        fed += n
      }
      let room = mode == .prefix ? min(chunkSize, bound - output.count) : chunkSize
      stream.next_out = chunk
      stream.avail_out = UInt32(room)
      let availableBefore = stream.avail_in
      let status = CZlib.inflate(&stream, Z_NO_FLUSH)
      let produced = room - Int(stream.avail_out)

      if produced > 0 {
        if mode != .prefix && produced > bound - output.count {
          let atLeast = output.count + produced
          return .failure(
            mode == .exact
              ? .sizeMismatch(
                file: name, what: "decompressed data (at least)", expected: bound, got: atLeast)
              : .tooLarge(file: name, what: "decompressed data", claimed: atLeast, limit: bound))
        }
        output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: produced))
      }
      if mode == .prefix && output.count == bound { return .success(output) }

      switch status {
      case Z_STREAM_END:
        let rest = source.count - consumed()
        if rest > 0 {
          let next = consumed()
          if format == .gzip && rest >= 2 && source[next] == 0x1F && source[next + 1] == 0x8B {
            inflateReset(&stream)  // another gzip member follows
            continue
          }
          return fail("\(rest) unexpected bytes after the end of the compressed stream")
        }
        switch mode {
        case .whole:
          return .success(output)
        case .exact:
          if output.count == bound { return .success(output) }
          return .failure(
            .sizeMismatch(file: name, what: "decompressed data", expected: bound, got: output.count)
          )
        case .prefix:
          return .failure(
            .truncated(file: name, offset: output.count, needed: bound, available: output.count))
        }
      case Z_OK, Z_BUF_ERROR:
        if produced == 0 && stream.avail_in == availableBefore {
          return fail(
            "the compressed stream ends early (truncated file?) after \(output.count) "
              + "decompressed bytes")
        }
      case Z_NEED_DICT:
        return fail("the stream needs a preset dictionary, which is not supported")
      case Z_MEM_ERROR:
        return fail("zlib ran out of memory")
      default:
        // Z_DATA_ERROR (invalid data, bad checksum) and Z_STREAM_ERROR carry zlib's message.
        let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
        return fail(message)
      }
    }
  }
}
