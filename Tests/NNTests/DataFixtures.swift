import Foundation
import NN
import XCTest

/// Builders for small data files in the formats the readers accept (IDX, gzip, `.npy`, zip),
/// written by the tests themselves, plus access to the committed `.npz` fixtures.
///
/// Compressed streams here use deflate's stored blocks (valid deflate, no compressor needed);
/// real compressed data comes from the numpy-written fixtures in `Fixtures/`.
enum DataFixtures {
  /// A committed fixture in `Tests/Fixtures/`, found from this file's path. (Outside the test
  /// target's folder, so SwiftPM needs no resource declaration and warns about no unhandled
  /// files.)
  static func fixturePath(_ name: String, file: StaticString = #filePath) -> String {
    URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures").appendingPathComponent(name).path
  }

  /// An IDX file of unsigned bytes: magic `00 00 typeByte rank`, big-endian dimensions, data.
  static func idx(dimensions: [Int], data: [UInt8], typeByte: UInt8 = 0x08) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, typeByte, UInt8(dimensions.count)]
    for d in dimensions { bytes += bigEndian32(UInt32(d)) }
    return bytes + data
  }

  /// `count` deterministic "pixels".
  static func pixels(_ count: Int, seed: Int = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed &* 7 &+ ($0 >> 5)) }
  }

  /// A raw deflate stream made of stored blocks.
  static func deflateStored(_ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var offset = 0
    repeat {
      let n = min(65_535, data.count - offset)
      let final: UInt8 = offset + n == data.count ? 1 : 0
      out.append(final)  // BFINAL, BTYPE = 00 (stored), padded to the byte boundary
      out += littleEndian16(UInt16(n)) + littleEndian16(~UInt16(n))
      out += data[offset..<offset + n]
      offset += n
    } while offset < data.count
    return out
  }

  /// A gzip member wrapping `deflate` (a raw deflate stream of `original`).
  static func gzip(deflate: [UInt8], original: [UInt8]) -> [UInt8] {
    let header: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF]
    return header + deflate + littleEndian32(ZipArchive.crc32(original))
      + littleEndian32(UInt32(truncatingIfNeeded: original.count))
  }

  /// A gzip file of `data` (stored blocks).
  static func gzip(_ data: [UInt8]) -> [UInt8] {
    gzip(deflate: deflateStored(data), original: data)
  }

  /// A `.npy` file with a hand-written header dict (padded as numpy pads it).
  static func npy(header dict: String, data: [UInt8], major: UInt8 = 1) -> [UInt8] {
    let prefixLength = major == 1 ? 10 : 12
    var text = dict
    while (prefixLength + text.utf8.count + 1) % 64 != 0 { text += " " }
    text += "\n"
    let headerBytes = Array(text.utf8)
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0]
    bytes +=
      major == 1
      ? littleEndian16(UInt16(headerBytes.count)) : littleEndian32(UInt32(headerBytes.count))
    return bytes + headerBytes + data
  }

  /// A `.npy` file with the usual header for `descr` and `shape` (a Python tuple literal).
  static func npy(descr: String, shape: String, data: [UInt8], major: UInt8 = 1) -> [UInt8] {
    npy(
      header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }", data: data,
      major: major)
  }

  struct ZipEntry {
    var name: String
    var data: [UInt8]
    var method: UInt16 = 0
  }

  /// A zip archive (stored entries, or method 8 with stored-block deflate data).
  static func zip(_ entries: [ZipEntry]) -> [UInt8] {
    var out: [UInt8] = []
    var directory: [UInt8] = []
    for entry in entries {
      let payload = entry.method == 8 ? deflateStored(entry.data) : entry.data
      let name = Array(entry.name.utf8)
      let crc = ZipArchive.crc32(entry.data)
      let offset = UInt32(out.count)
      out += littleEndian32(0x0403_4B50) + littleEndian16(20) + littleEndian16(0)
      out += littleEndian16(entry.method) + littleEndian32(0)
      out += littleEndian32(crc) + littleEndian32(UInt32(payload.count))
      out += littleEndian32(UInt32(entry.data.count))
      out += littleEndian16(UInt16(name.count)) + littleEndian16(0) + name + payload
      directory += littleEndian32(0x0201_4B50) + littleEndian16(20) + littleEndian16(20)
      directory += littleEndian16(0) + littleEndian16(entry.method) + littleEndian32(0)
      directory += littleEndian32(crc) + littleEndian32(UInt32(payload.count))
      directory += littleEndian32(UInt32(entry.data.count)) + littleEndian16(UInt16(name.count))
      directory += littleEndian16(0) + littleEndian16(0) + littleEndian16(0) + littleEndian16(0)
      directory += littleEndian32(0) + littleEndian32(offset) + name
    }
    let directoryOffset = UInt32(out.count)
    out += directory
    out += littleEndian32(0x0605_4B50) + littleEndian16(0) + littleEndian16(0)
    out += littleEndian16(UInt16(entries.count)) + littleEndian16(UInt16(entries.count))
    out += littleEndian32(UInt32(directory.count)) + littleEndian32(directoryOffset)
    out += littleEndian16(0)
    return out
  }

  static func littleEndian16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }

  static func littleEndian32(_ v: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) }
  }

  static func bigEndian32(_ v: UInt32) -> [UInt8] { littleEndian32(v).reversed() }

  /// A fresh empty directory under the system temporary directory.
  static func temporaryDirectory() throws -> URL {
    let url = URL(fileURLWithPath: NSTemporaryDirectory())
      .appendingPathComponent("swift-autograd-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Writes `bytes` to `directory/name` (creating subdirectories) and returns the path.
  @discardableResult
  static func write(_ bytes: [UInt8], to directory: URL, _ name: String) throws -> String {
    let url = directory.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    return url.path
  }

  static func read(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
  }
}

/// Asserts that `body` throws a `DataError` whose case matches `matches`, and that its message
/// mentions `mentioning` (when given); returns the error for further checks.
@discardableResult
func assertDataError<T>(
  _ body: @autoclosure () throws -> T, mentioning: String? = nil,
  file: StaticString = #filePath, line: UInt = #line, _ matches: (DataError) -> Bool = { _ in true }
) -> DataError? {
  do {
    _ = try body()
    XCTFail("expected a DataError, got a value", file: file, line: line)
    return nil
  } catch let error as DataError {
    XCTAssertTrue(matches(error), "unexpected error case: \(error)", file: file, line: line)
    if let mentioning {
      XCTAssertTrue(
        error.description.contains(mentioning),
        "message \"\(error.description)\" does not mention \"\(mentioning)\"", file: file,
        line: line)
    }
    return error
  } catch {
    XCTFail("expected a DataError, got \(type(of: error)): \(error)", file: file, line: line)
    return nil
  }
}
