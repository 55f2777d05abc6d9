import AutoGrad
import Foundation
import NN
import XCTest

/// Truncated, corrupt and hostile safetensors files: each must throw the specific
/// `SafeTensorsError` case, never crash, hang or allocate what a lying header claims. Ends with
/// every single-bit flip of a header and a few hundred seeded random mutations.
final class SafeTensorsErrorTests: XCTestCase {
  private var directory: URL!
  /// One entry of a 1-element float32 tensor `a` (4 bytes of data).
  private let entry = #"{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#

  override func setUpWithError() throws {
    directory = try SafeTensorsFiles.temporaryDirectory()
  }

  override func tearDownWithError() throws {
    try FileManager.default.removeItem(at: directory)
  }

  /// A valid file written by `SafeTensors.write`: `a` F32 [2, 3], `b` F64 [2], `c` F32 [].
  private func validFile() throws -> (bytes: [UInt8], headerSize: Int) {
    let url = directory.appendingPathComponent("valid.safetensors")
    try SafeTensors.write(
      [
        ("a", Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6] as [Float])),
        ("b", Tensor(shape: [2], values: [-1, 0.5] as [Double])),
        ("c", Tensor(shape: [], values: [3] as [Float])),
      ], metadata: ["k": "v"], to: url)
    let bytes = [UInt8](try Data(contentsOf: url))
    return (bytes, Int(bytes[0]) | Int(bytes[1]) << 8)
  }

  /// Writes `bytes` and reads them back: the error thrown (`nil` if the read succeeded) and
  /// the path it should name.
  private func readError(
    _ bytes: [UInt8], _ name: String = "bad.safetensors"
  ) throws -> (error: SafeTensorsError?, path: String) {
    let url = try SafeTensorsFiles.write(bytes, name, in: directory)
    do {
      _ = try SafeTensors.read(from: url)
      return (nil, url.path)
    } catch {
      return (error, url.path)
    }
  }

  /// Asserts that reading `header` (+ `data`) throws `.invalidHeader` naming the file, with a
  /// reason containing `reason`.
  private func assertInvalidHeader(
    _ header: [UInt8], data: [UInt8] = [0, 0, 0x80, 0x3F], mentioning reason: String,
    line: UInt = #line
  ) throws {
    let length = SafeTensorsFiles.littleEndian(UInt64(header.count))
    let (error, path) = try readError(length + header + data)
    guard case .invalidHeader(let errorPath, _, let message) = error else {
      return XCTFail("expected invalidHeader, got \(String(describing: error))", line: line)
    }
    XCTAssertEqual(errorPath, path, line: line)
    XCTAssertTrue(message.contains(reason), "\"\(message)\" lacks \"\(reason)\"", line: line)
    XCTAssertTrue(error?.description.contains(path) ?? false, line: line)
  }

  private func assertInvalidHeader(
    _ header: String, data: [UInt8] = [0, 0, 0x80, 0x3F], mentioning reason: String,
    line: UInt = #line
  ) throws {
    try assertInvalidHeader(Array(header.utf8), data: data, mentioning: reason, line: line)
  }

  // MARK: - Truncation and the length prefix

  func testTruncatedFilesThrowTruncatedAtEveryCutPoint() throws {
    let (bytes, n) = try validFile()
    let cuts: [(cut: Int, expected: Int)] =
      [0, 1, 7].map { ($0, 8) } + [8, 9, 8 + n / 2, 8 + n - 1].map { ($0, 8 + n) }
      + [8 + n, 8 + n + 5, bytes.count - 1].map { ($0, bytes.count) }
    for (cut, expected) in cuts {
      let (error, path) = try readError(Array(bytes[0..<cut]))
      XCTAssertEqual(
        error, .truncated(path: path, expected: expected, actual: cut), "cut at \(cut)")
    }
  }

  func testWrongHeaderLengthsThrow() throws {
    let (bytes, n) = try validFile()
    func withLength(_ length: UInt64) -> [UInt8] {
      SafeTensorsFiles.littleEndian(length) + bytes[8...]
    }
    // Too short: the JSON is cut; one too long: the first data byte (0x00) follows the object.
    for length in [0, 1, UInt64(n / 2), UInt64(n + 1)] {
      guard case .invalidHeader = try readError(withLength(length)).error else {
        return XCTFail("length \(length) of \(n)")
      }
    }
    // Beyond the file, or beyond the limit.
    var (error, path) = try readError(withLength(UInt64(bytes.count)))
    XCTAssertEqual(error, .truncated(path: path, expected: bytes.count + 8, actual: bytes.count))
    for length in [UInt64(SafeTensors.maxHeaderSize + 1), 1 << 63, .max] {
      (error, path) = try readError(withLength(length))
      XCTAssertEqual(
        error, .headerTooLarge(path: path, length: length, limit: SafeTensors.maxHeaderSize))
    }
    // One short, dropping a padding space: the JSON still parses, but the data section grows.
    let header = Array(("{\"a\":\(entry)}").utf8) + [0x20, 0x20]
    (error, path) = try readError(
      SafeTensorsFiles.littleEndian(UInt64(header.count - 1)) + header + [0, 0, 0x80, 0x3F])
    XCTAssertEqual(error, .trailingData(path: path, expected: 4, actual: 5))
  }

  // MARK: - Malformed JSON

  func testInvalidJSONThrowsInvalidHeader() throws {
    let e = entry
    try assertInvalidHeader("", mentioning: "expected '{' opening the header object")
    try assertInvalidHeader("[]", mentioning: "expected '{'")
    try assertInvalidHeader("{\"a\":\(e)", mentioning: "expected ',' or '}'")
    try assertInvalidHeader("{\"a\":\(e),}", mentioning: "expected a string")
    try assertInvalidHeader("{'a':\(e)}", mentioning: "expected a string")
    try assertInvalidHeader("{\"a\":\(e)}x", mentioning: "after the header object")
    try assertInvalidHeader("{\"a\":\(e)}\u{0}", mentioning: "after the header object")
    try assertInvalidHeader("{\"a", mentioning: "unterminated string")
    try assertInvalidHeader("{\"a\\q\":\(e)}", mentioning: "invalid escape")
    try assertInvalidHeader("{\"a\\u12\":\(e)}", mentioning: "invalid \\u escape")
    try assertInvalidHeader("{\"\\ud800\":\(e)}", mentioning: "unpaired surrogate")
    try assertInvalidHeader("{\"a\nb\":\(e)}", mentioning: "control character")
    try assertInvalidHeader(
      Array("{\"".utf8) + [0xC3, 0x28] + Array("\":\(e)}".utf8), mentioning: "not valid UTF-8")
    try assertInvalidHeader("{\"a\":1}", mentioning: "an object describing tensor 'a'")
    try assertInvalidHeader(
      #"{"a":{"dtype":F32,"shape":[1],"data_offsets":[0,4]}}"#, mentioning: "dtype must be a string"
    )
    try assertInvalidHeader(
      #"{"a":{"dtype":"F32","shape":"[1]","data_offsets":[0,4]}}"#,
      mentioning: "shape must be an array of integers")
    try assertInvalidHeader(
      #"{"a":{"dtype":"F32","shape":[1e0],"data_offsets":[0,4]}}"#, mentioning: "fraction")
    try assertInvalidHeader(
      #"{"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}"#, mentioning: "fraction")
    try assertInvalidHeader(
      #"{"a":{"dtype":"F32","shape":[01],"data_offsets":[0,4]}}"#, mentioning: "leading zero")
    try assertInvalidHeader(
      #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,99999999999999999999]}}"#,
      mentioning: "integer out of range")
    try assertInvalidHeader(
      #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}"#,
      mentioning: "tensor 'a': unknown key \"x\"")
    try assertInvalidHeader(
      #"{"a":{"dtype":"F32","shape":[1]}}"#, mentioning: "tensor 'a': missing data_offsets")
    try assertInvalidHeader(
      #"{"a":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
      mentioning: "duplicate key \"dtype\"")
    try assertInvalidHeader(
      #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,4]}}"#,
      mentioning: "data_offsets must be [begin, end]")
    try assertInvalidHeader(
      "{\"__metadata__\":{\"k\":1},\"a\":\(e)}", mentioning: "value of \"k\" must be a string")
    try assertInvalidHeader(
      "{\"__metadata__\":{},\"__metadata__\":{},\"a\":\(e)}", mentioning: "duplicate __metadata__")
  }

  func testInvalidHeaderNamesTheByteOffset() throws {
    // The stray 'x' is the 2nd byte of the header, at file offset 9.
    let (error, path) = try readError(SafeTensorsFiles.raw("{x}"))
    XCTAssertEqual(
      error, .invalidHeader(path: path, offset: 9, reason: "expected a string, found 'x'"))
  }

  // MARK: - Entries

  func testUnsupportedDTypesThrow() throws {
    for dtype in ["I64", "F33", "f32", ""] {
      let header = "{\"a\":{\"dtype\":\"\(dtype)\",\"shape\":[1],\"data_offsets\":[0,4]}}"
      let (error, path) = try readError(SafeTensorsFiles.raw(header, data: [0, 0, 0, 0]))
      XCTAssertEqual(error, .unsupportedDType(path: path, tensor: "a", dtype: dtype))
    }
  }

  func testShapeDisagreeingWithOffsetsThrowsShapeMismatch() throws {
    var header = #"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}"#
    var (error, path) = try readError(
      SafeTensorsFiles.raw(header, data: Array(repeating: 0, count: 20)))
    XCTAssertEqual(
      error,
      .shapeMismatch(
        path: path, tensor: "w", shape: [2, 3], dtype: "F32", expectedBytes: 24, actualBytes: 20))
    // A shape claiming 4 TB is caught by arithmetic on the header, not by allocating.
    header = #"{"w":{"dtype":"F64","shape":[1000000,500000],"data_offsets":[0,8]}}"#
    (error, path) = try readError(SafeTensorsFiles.raw(header, data: Array(repeating: 0, count: 8)))
    XCTAssertEqual(
      error,
      .shapeMismatch(
        path: path, tensor: "w", shape: [1_000_000, 500_000], dtype: "F64",
        expectedBytes: 4_000_000_000_000, actualBytes: 8))
  }

  func testNegativeOrOverflowingShapesThrowInvalidShape() throws {
    var header = #"{"w":{"dtype":"F32","shape":[-1,4],"data_offsets":[0,4]}}"#
    var (error, path) = try readError(SafeTensorsFiles.raw(header, data: [0, 0, 0, 0]))
    XCTAssertEqual(
      error,
      .invalidShape(path: path, tensor: "w", shape: [-1, 4], reason: "dimension -1 is negative"))
    header = #"{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#
    (error, path) = try readError(SafeTensorsFiles.raw(header, data: [0, 0, 0, 0]))
    XCTAssertEqual(
      error,
      .invalidShape(
        path: path, tensor: "w", shape: [1 << 62, 4], reason: "its byte size overflows"))
  }

  func testOffsetsOutsideTheFileThrowOffsetsOutOfBounds() throws {
    let data = [UInt8](repeating: 0, count: 16)
    var header = #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[16,32]}}"#
    var (error, path) = try readError(SafeTensorsFiles.raw(header, data: data))
    XCTAssertEqual(
      error, .offsetsOutOfBounds(path: path, tensor: "w", begin: 16, end: 32, dataSize: 16))
    let end = Int.max
    header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\(end - 4),\(end)]}}"
    (error, path) = try readError(SafeTensorsFiles.raw(header, data: data))
    XCTAssertEqual(
      error, .offsetsOutOfBounds(path: path, tensor: "w", begin: end - 4, end: end, dataSize: 16))
    // Contiguous from 0 but ending near Int.max: the file size it implies would overflow.
    let huge = (Int.max / 4) * 4
    header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[\(huge / 4)],\"data_offsets\":[0,\(huge)]}}"
    (error, path) = try readError(SafeTensorsFiles.raw(header, data: data))
    XCTAssertEqual(
      error, .offsetsOutOfBounds(path: path, tensor: "w", begin: 0, end: huge, dataSize: 16))
  }

  func testOverlappingOffsetsThrowOverlappingTensors() throws {
    var header =
      #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"#
      + #""b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#
    var (error, path) = try readError(
      SafeTensorsFiles.raw(header, data: Array(repeating: 0, count: 24)))
    XCTAssertEqual(error, .overlappingTensors(path: path, first: "a", second: "b"))
    // Header order does not matter, and an empty tensor inside another one is an overlap too.
    header =
      #"{"e":{"dtype":"F64","shape":[0],"data_offsets":[8,8]},"#
      + #""a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
    (error, path) = try readError(
      SafeTensorsFiles.raw(header, data: Array(repeating: 0, count: 16)))
    XCTAssertEqual(error, .overlappingTensors(path: path, first: "a", second: "e"))
  }

  func testGapsReversedAndNegativeOffsetsThrowInvalidOffsets() throws {
    let data = [UInt8](repeating: 0, count: 16)
    let cases: [(offsets: String, shape: String, begin: Int, end: Int, reason: String)] = [
      ("[4,8]", "[1]", 4, 8, "gap in the data: the data starts at 0"),
      ("[8,4]", "[1]", 8, 4, "end is before begin"),
      ("[-4,0]", "[1]", -4, 0, "negative offset"),
    ]
    for c in cases {
      let header = "{\"w\":{\"dtype\":\"F32\",\"shape\":\(c.shape),\"data_offsets\":\(c.offsets)}}"
      let (error, path) = try readError(SafeTensorsFiles.raw(header, data: data))
      XCTAssertEqual(
        error,
        .invalidOffsets(path: path, tensor: "w", begin: c.begin, end: c.end, reason: c.reason))
    }
    let header =
      #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
      + #""b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}"#
    let (error, path) = try readError(SafeTensorsFiles.raw(header, data: data))
    XCTAssertEqual(
      error,
      .invalidOffsets(
        path: path, tensor: "b", begin: 12, end: 16, reason: "gap in the data: tensor 'a' ends at 8"
      ))
  }

  func testDataNotCoveredExactlyThrows() throws {
    let header = "{\"a\":\(entry)}"
    var (error, path) = try readError(SafeTensorsFiles.raw(header, data: [0, 0, 0, 0, 9, 9]))
    XCTAssertEqual(error, .trailingData(path: path, expected: 4, actual: 6))
    (error, path) = try readError(SafeTensorsFiles.raw(header, data: [0, 0]))
    let size = 8 + header.utf8.count
    XCTAssertEqual(error, .truncated(path: path, expected: size + 4, actual: size + 2))
  }

  func testDuplicateTensorNamesThrow() throws {
    let header = "{\"a\":\(entry),\"a\":\(entry)}"
    let (error, path) = try readError(SafeTensorsFiles.raw(header, data: [0, 0, 0, 0]))
    XCTAssertEqual(error, .duplicateTensor(path: path, name: "a"))
  }

  // MARK: - Bit flips and random mutations

  func testBitFlippedHeadersThrowSpecificErrors() throws {
    let (bytes, n) = try validFile()
    func flipped(_ index: Int, _ mask: UInt8) -> [UInt8] {
      var copy = bytes
      copy[index] ^= mask
      return copy
    }
    func index(of text: String) -> Int {
      let needle = Array(text.utf8)
      return (8..<8 + n).first { Array(bytes[$0..<$0 + needle.count]) == needle } ?? 0
    }
    var (error, path) = try readError(flipped(8, 0x01))  // '{' → 'z'
    XCTAssertEqual(
      error,
      .invalidHeader(
        path: path, offset: 8, reason: "expected '{' opening the header object, found 'z'"))
    (error, path) = try readError(flipped(index(of: "F32") + 2, 0x01))  // "F32" → "F33"
    XCTAssertEqual(error, .unsupportedDType(path: path, tensor: "a", dtype: "F33"))
    (error, path) = try readError(flipped(index(of: "[2,3]") + 3, 0x01))  // [2,3] → [2,2]
    XCTAssertEqual(
      error,
      .shapeMismatch(
        path: path, tensor: "a", shape: [2, 2], dtype: "F32", expectedBytes: 16, actualBytes: 24))
    (error, path) = try readError(flipped(index(of: "[0,24]") + 4, 0x01))  // [0,24] → [0,25]
    XCTAssertEqual(
      error,
      .shapeMismatch(
        path: path, tensor: "a", shape: [2, 3], dtype: "F32", expectedBytes: 24, actualBytes: 25))
    (error, path) = try readError(flipped(7, 0x80))  // the length's top bit
    XCTAssertEqual(
      error,
      .headerTooLarge(path: path, length: UInt64(n) | 1 << 63, limit: SafeTensors.maxHeaderSize))
    // No checksum: a flip inside a name only renames the tensor.
    let renamed = flipped(index(of: "\"a\"") + 1, 0x04)  // "a" → "e"
    let url = try SafeTensorsFiles.write(renamed, "renamed.safetensors", in: directory)
    XCTAssertEqual(try SafeTensors.read(from: url).map(\.name), ["e", "b", "c"])
  }

  func testEverySingleBitFlipOfTheHeaderThrowsOrKeepsTheData() throws {
    let (bytes, n) = try validFile()
    let data = Array(bytes[(8 + n)...])
    var failures = 0
    for index in 0..<8 + n {
      for bit in 0..<8 {
        var copy = bytes
        copy[index] ^= 1 << bit
        let url = try SafeTensorsFiles.write(copy, "flip.safetensors", in: directory)
        do {
          let tensors = try SafeTensors.read(from: url)
          // Only names and metadata can change unnoticed; the data never does.
          let read = tensors.flatMap { SafeTensorsFiles.bytes($0.tensor) }
          XCTAssertEqual(read, data, "flip of bit \(bit) at byte \(index) changed the data")
        } catch {
          failures += 1
        }
      }
    }
    XCTAssertGreaterThan(failures, (8 + n) * 8 * 3 / 4)
  }

  func testRandomMutationsThrowOrReadWithinTheFileSize() throws {
    let (bytes, n) = try validFile()
    var rng = SeededGenerator(seed: 2024)
    var thrown = 0
    for trial in 0..<200 {
      var copy = bytes
      let position = Int.random(in: 0..<copy.count, using: &rng)
      switch trial % 8 {
      case 0:  // flip a few bits anywhere
        for _ in 0..<Int.random(in: 1...8, using: &rng) {
          copy[Int.random(in: 0..<copy.count, using: &rng)] ^=
            1 << UInt8.random(in: 0..<8, using: &rng)
        }
      case 1: copy.removeSubrange(position...)  // truncate
      case 2:  // overwrite a run with random bytes
        for i in position..<min(copy.count, position + Int.random(in: 1...16, using: &rng)) {
          copy[i] = UInt8.random(in: 0...255, using: &rng)
        }
      case 3:  // insert random bytes
        copy.insert(
          contentsOf: (0..<Int.random(in: 1...16, using: &rng)).map { _ in
            UInt8.random(in: 0...255, using: &rng)
          },
          at: position)
      case 4:
        copy.removeSubrange(
          position..<min(copy.count, position + Int.random(in: 1...16, using: &rng)))
      case 5:  // a random length prefix, small or huge
        let length =
          trial % 16 == 5 ? UInt64.random(in: 0...UInt64(2 * n), using: &rng) : rng.next()
        copy.replaceSubrange(0..<8, with: SafeTensorsFiles.littleEndian(length))
      case 6:  // change a digit in the header
        let digits = (8..<8 + n).filter { (0x30...0x39).contains(copy[$0]) }
        copy[digits[Int.random(in: 0..<digits.count, using: &rng)]] = UInt8.random(
          in: 0x30...0x39, using: &rng)
      default: copy += (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8(trial) }
      }
      let url = try SafeTensorsFiles.write(copy, "mutant.safetensors", in: directory)
      do {
        let tensors = try SafeTensors.read(from: url)
        let allocated = tensors.reduce(0) { $0 + $1.tensor.count * $1.tensor.dtype.byteSize }
        XCTAssertLessThanOrEqual(allocated, copy.count, "trial \(trial)")
      } catch {
        thrown += 1
        XCTAssertFalse(error.description.isEmpty)
      }
    }
    XCTAssertGreaterThan(thrown, 150)
  }
}
