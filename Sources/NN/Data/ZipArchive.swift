import CZlib

/// A zip archive held in memory, read through its central directory.
///
/// Enough of the format (PKWARE APPNOTE) for `.npz` files: entries stored (method 0) or
/// deflate-compressed (method 8), each checked against its CRC-32. Validation before use:
/// the end-of-central-directory record is found and its counts and offsets checked against
/// the file size; every directory entry and every local header is bounds-checked; an entry's
/// data must lie before the central directory. Zip64 archives, multi-disk archives,
/// encryption and other compression methods throw `DataError.unsupported`.
///
/// ```swift
/// let zip = try ZipArchive(path: "octmnist.npz")
/// let bytes = try zip.extract(zip.entries[0])
/// ```
public struct ZipArchive: Sendable {
  /// One file in the archive, as listed in the central directory.
  public struct Entry: Sendable, Equatable {
    /// The entry's path inside the archive.
    public let name: String
    /// 0 (stored) or 8 (deflate).
    public let method: Int
    public let crc32: UInt32
    public let compressedSize: Int
    public let uncompressedSize: Int
    /// Where the entry's local header starts.
    public let localHeaderOffset: Int
    /// Where the entry's directory record starts (for error messages).
    let directoryOffset: Int
  }

  /// The archive's bytes.
  public let bytes: [UInt8]
  /// Name used in error messages.
  public let name: String
  /// The entries, in central-directory order.
  public let entries: [Entry]
  /// Where the central directory starts; all entry data lies before it.
  let directoryOffset: Int

  /// The most bytes one entry may decompress to, unless the caller passes a limit: 4 GiB.
  public static let defaultEntryLimit = 1 << 32

  private static let endSignature: UInt32 = 0x0605_4B50
  private static let directorySignature: UInt32 = 0x0201_4B50
  private static let localSignature: UInt32 = 0x0403_4B50
  private static let zip64LocatorSignature: UInt32 = 0x0706_4B50

  /// Reads and indexes the archive at `path`.
  public init(path: String) throws(DataError) {
    try self.init(bytes: BinaryFile(path: path).readAll(), name: path)
  }

  /// Indexes an archive held in memory.
  ///
  /// - Throws: `DataError` if the directory is missing, inconsistent or out of bounds.
  public init(bytes: [UInt8], name: String) throws(DataError) {
    self.bytes = bytes
    self.name = name
    let reader = ByteReader(bytes, name: name)
    let end = try Self.findEnd(reader)

    let disk = try reader.uint16LE(at: end + 4)
    let directoryDisk = try reader.uint16LE(at: end + 6)
    let entriesOnDisk = try reader.uint16LE(at: end + 8)
    let entryCount = try reader.uint16LE(at: end + 10)
    let directorySize = Int(try reader.uint32LE(at: end + 12))
    let directoryOffset = Int(try reader.uint32LE(at: end + 16))
    let isZip64 =
      entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF
      || (end >= 20 && (try? reader.uint32LE(at: end - 20)) == Self.zip64LocatorSignature)
    if isZip64 {
      throw .unsupported(
        file: name, offset: end, feature: "zip64 archive (entries or sizes beyond 4 GiB)")
    }
    guard disk == 0, directoryDisk == 0, entriesOnDisk == entryCount else {
      throw .unsupported(file: name, offset: end + 4, feature: "multi-disk (split) zip archive")
    }
    guard directoryOffset <= end, directorySize <= end - directoryOffset else {
      throw .invalidHeader(
        file: name, offset: end + 12, field: "central directory range",
        expected: "within the \(end) bytes before the end record",
        got: "offset \(directoryOffset), size \(directorySize)")
    }

    var entries: [Entry] = []
    var position = directoryOffset
    let directoryEnd = directoryOffset + directorySize
    for index in 0..<entryCount {
      guard position + 46 <= directoryEnd else {
        throw .truncated(
          file: name, offset: position, needed: 46, available: directoryEnd - position)
      }
      let signature = try reader.uint32LE(at: position)
      guard signature == Self.directorySignature else {
        throw .badMagic(
          file: name, offset: position,
          expected: "central directory entry \(index) (\(DataError.hex(Self.directorySignature)))",
          got: DataError.hex(signature))
      }
      let (entry, length) = try Self.parseEntry(
        reader, at: position, directory: directoryOffset..<directoryEnd)
      entries.append(entry)
      position += length
    }
    self.entries = entries
    self.directoryOffset = directoryOffset
  }

  /// The entry called `name`, if any.
  public func entry(named name: String) -> Entry? {
    entries.first { $0.name == name }
  }

  /// The entry's decompressed content, checked against its size and CRC-32.
  ///
  /// - Parameter limit: the largest uncompressed size accepted.
  public func extract(_ entry: Entry, limit: Int = defaultEntryLimit) throws(DataError) -> [UInt8] {
    let label = "\(name):\(entry.name)"
    guard entry.uncompressedSize <= limit else {
      throw .tooLarge(
        file: label, what: "the entry", claimed: entry.uncompressedSize, limit: limit)
    }
    let reader = ByteReader(bytes, name: name)
    let local = entry.localHeaderOffset
    let signature = try reader.uint32LE(at: local)
    guard signature == Self.localSignature else {
      throw .badMagic(
        file: name, offset: local,
        expected: "local header of '\(entry.name)' (\(DataError.hex(Self.localSignature)))",
        got: DataError.hex(signature))
    }
    // Only the name and extra-field lengths are taken from the local header: writers such as
    // Python's zipfile put placeholder sizes there (zip64 markers, data descriptors), so the
    // sizes, method and CRC come from the central directory.
    let dataStart =
      local + 30 + (try reader.uint16LE(at: local + 26))
      + (try reader.uint16LE(at: local + 28))
    guard dataStart <= directoryOffset, entry.compressedSize <= directoryOffset - dataStart else {
      throw .truncated(
        file: label, offset: dataStart, needed: entry.compressedSize,
        available: directoryOffset - dataStart)
    }
    let compressed = Array(bytes[dataStart..<dataStart + entry.compressedSize])
    let content: [UInt8]
    switch entry.method {
    case 0:
      guard entry.compressedSize == entry.uncompressedSize else {
        throw .sizeMismatch(
          file: label, what: "stored entry", expected: entry.uncompressedSize,
          got: entry.compressedSize)
      }
      content = compressed
    case 8:
      if entry.uncompressedSize == 0 {
        content = []
      } else {
        content = try Inflate.decompress(
          compressed, format: .rawDeflate, exactCount: entry.uncompressedSize, name: label,
          baseOffset: dataStart)
      }
    default:
      throw .unsupported(
        file: label, offset: entry.directoryOffset + 10,
        feature: "compression method \(entry.method) (only 0 stored and 8 deflate)")
    }
    let actual = Self.crc32(content)
    guard actual == entry.crc32 else {
      throw .checksumMismatch(file: label, expected: entry.crc32, got: actual)
    }
    return content
  }

  /// CRC-32 (ISO-HDLC, as in zip and gzip) computed by zlib.
  public static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc = CZlib.crc32(0, nil, 0)
    bytes.withUnsafeBufferPointer { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = min(buffer.count - offset, Int(UInt32.max))
        crc = CZlib.crc32(crc, buffer.baseAddress.map { $0 + offset }, UInt32(n))
        offset += n
      }
    }
    return UInt32(truncatingIfNeeded: crc)
  }

  /// Finds the end-of-central-directory record: the last signature within the final
  /// 22 + 65,535 bytes whose comment length reaches exactly the end of the file.
  private static func findEnd(_ reader: ByteReader) throws(DataError) -> Int {
    let bytes = reader.bytes
    guard bytes.count >= 22 else {
      throw .truncated(file: reader.name, offset: 0, needed: 22, available: bytes.count)
    }
    let lowest = max(0, bytes.count - 22 - 0xFFFF)
    var candidate = bytes.count - 22
    while candidate >= lowest {
      if bytes[candidate] == 0x50 && bytes[candidate + 1] == 0x4B && bytes[candidate + 2] == 0x05
        && bytes[candidate + 3] == 0x06
      {
        let commentLength = Int(bytes[candidate + 20]) | Int(bytes[candidate + 21]) << 8
        if candidate + 22 + commentLength == bytes.count { return candidate }
      }
      candidate -= 1
    }
    throw .badMagic(
      file: reader.name, offset: bytes.count - 22,
      expected: "a zip end-of-central-directory record (\(DataError.hex(endSignature)))",
      got: "none (not a zip archive, or truncated)")
  }

  /// Parses the directory record at `position`; returns the entry and the record's length.
  private static func parseEntry(
    _ reader: ByteReader, at position: Int, directory: Range<Int>
  ) throws(DataError) -> (Entry, Int) {
    let end = directory.upperBound
    let name = reader.name
    let flags = try reader.uint16LE(at: position + 8)
    let method = try reader.uint16LE(at: position + 10)
    let crc = try reader.uint32LE(at: position + 16)
    let compressedSize = Int(try reader.uint32LE(at: position + 20))
    let uncompressedSize = Int(try reader.uint32LE(at: position + 24))
    let nameLength = try reader.uint16LE(at: position + 28)
    let extraLength = try reader.uint16LE(at: position + 30)
    let commentLength = try reader.uint16LE(at: position + 32)
    let localOffset = Int(try reader.uint32LE(at: position + 42))
    let recordLength = 46 + nameLength + extraLength + commentLength
    guard recordLength <= end - position else {
      throw .truncated(
        file: name, offset: position, needed: recordLength, available: end - position)
    }
    let entryName = String(
      decoding: try reader.slice(at: position + 46, count: nameLength), as: UTF8.self)
    if flags & 0x1 != 0 {
      throw .unsupported(
        file: name, offset: position + 8, feature: "encrypted entry '\(entryName)'")
    }
    if compressedSize == 0xFFFF_FFFF || uncompressedSize == 0xFFFF_FFFF
      || localOffset == 0xFFFF_FFFF
    {
      throw .unsupported(
        file: name, offset: position + 20, feature: "zip64 sizes for entry '\(entryName)'")
    }
    // The entry's local header and data must lie before the central directory.
    guard localOffset <= directory.lowerBound - 30 else {
      throw .invalidHeader(
        file: name, offset: position + 42, field: "local header offset of '\(entryName)'",
        expected: "a 30-byte header before the central directory at \(directory.lowerBound)",
        got: String(localOffset))
    }
    let entry = Entry(
      name: entryName, method: method, crc32: crc, compressedSize: compressedSize,
      uncompressedSize: uncompressedSize, localHeaderOffset: localOffset,
      directoryOffset: position)
    return (entry, recordLength)
  }
}
