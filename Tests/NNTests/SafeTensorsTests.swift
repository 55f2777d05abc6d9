import AutoGrad
import Foundation
import XCTest

@testable import NN

/// Safetensors checkpoints: bit-exact round trips, the byte layout Python writes, the fixture
/// written by Python's `safetensors`, metadata and atomic writes. Malformed files are in
/// `SafeTensorsErrorTests`.
final class SafeTensorsTests: XCTestCase {
  private var directory: URL!

  override func setUpWithError() throws {
    directory = try SafeTensorsFiles.temporaryDirectory()
  }

  override func tearDownWithError() throws {
    try FileManager.default.removeItem(at: directory)
  }

  // MARK: - Round trips

  func testRoundTripFloat32IsBitExact() throws {
    let special: [UInt32] = [
      // NaNs: quiet, with a payload, negative, signaling
      0x7FC0_0000, 0x7FC1_2345, 0xFFC0_0001, 0x7F80_0001,
      0x8000_0000, 0x0000_0000, 0x0000_0001, 0x807F_FFFF,  // ±0, smallest and largest subnormals
      0x7F80_0000, 0xFF80_0000, 0x7F7F_FFFF, 0x3DCC_CCCD,  // ±∞, greatest finite, 0.1
    ]
    var rng = SeededGenerator(seed: 11)
    let random = (0..<12).map { _ in UInt32.random(in: 0...UInt32.max, using: &rng) }
    let values = (special + random).map(Float.init(bitPattern:))
    let tensor = Tensor(shape: [4, 6], values: values)
    let url = directory.appendingPathComponent("f32.safetensors")
    try SafeTensors.write([("x", tensor)], to: url)

    let loaded = try SafeTensors.read(from: url)
    XCTAssertEqual(loaded.map(\.name), ["x"])
    XCTAssertEqual(loaded[0].tensor.shape, [4, 6])
    XCTAssertEqual(loaded[0].tensor.dtype, .float32)
    XCTAssertFalse(loaded[0].tensor.requiresGrad)
    XCTAssertEqual(SafeTensorsFiles.bits(loaded[0].tensor), values.map { UInt64($0.bitPattern) })
  }

  func testRoundTripFloat64IsBitExact() throws {
    let special: [UInt64] = [
      0x7FF8_0000_0000_0000, 0x7FF8_DEAD_BEEF_0001, 0xFFF8_0000_0000_0000, 0x7FF0_0000_0000_0001,
      0x8000_0000_0000_0000, 0x0000_0000_0000_0001, 0x800F_FFFF_FFFF_FFFF, 0x7FF0_0000_0000_0000,
      0xFFF0_0000_0000_0000, 0x7FEF_FFFF_FFFF_FFFF, 0x3FB9_9999_9999_999A, 0x0010_0000_0000_0000,
    ]
    var rng = SeededGenerator(seed: 12)
    let random = (0..<6).map { _ in rng.next() }
    let values = (special + random).map(Double.init(bitPattern:))
    let tensor = Tensor(shape: [3, 2, 3], values: values)
    let url = directory.appendingPathComponent("f64.safetensors")
    try SafeTensors.write([("y", tensor)], to: url)

    let loaded = try SafeTensors.read(from: url)
    XCTAssertEqual(loaded[0].tensor.shape, [3, 2, 3])
    XCTAssertEqual(loaded[0].tensor.dtype, .float64)
    XCTAssertEqual(SafeTensorsFiles.bits(loaded[0].tensor), values.map(\.bitPattern))
  }

  func testRoundTripKeepsOrderNamesEmptyTensorsAndScalars() throws {
    let tensors: [(name: String, tensor: Tensor)] = [
      ("z.last", Tensor(shape: [2], values: [1.5, -2] as [Float])),
      ("scalar", Tensor(shape: [], values: [7.25] as [Double])),
      ("empty", Tensor(shape: [0], values: [] as [Float])),
      ("empty.2d", Tensor(shape: [2, 0, 3], values: [] as [Double])),
      ("a \"quoted\" \\ name\twith\u{1}controls", Tensor(shape: [1], values: [3] as [Float])),
      ("ünïcödé.权重.🙂", Tensor(shape: [1, 1], values: [4] as [Double])),
      ("", Tensor(shape: [], values: [5] as [Float])),
    ]
    let url = directory.appendingPathComponent("mixed.safetensors")
    try SafeTensors.write(tensors, to: url)

    let loaded = try SafeTensors.read(from: url)
    XCTAssertEqual(loaded.map(\.name), tensors.map(\.name))
    for (original, read) in zip(tensors, loaded) {
      XCTAssertEqual(read.tensor.shape, original.tensor.shape, original.name)
      XCTAssertEqual(read.tensor.dtype, original.tensor.dtype, original.name)
      XCTAssertEqual(
        SafeTensorsFiles.bits(read.tensor), SafeTensorsFiles.bits(original.tensor), original.name)
    }
  }

  func testEmptyListRoundTrips() throws {
    let url = directory.appendingPathComponent("none.safetensors")
    try SafeTensors.write([], to: url)
    XCTAssertEqual(
      try Data(contentsOf: url), Data([8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8)))
    XCTAssertTrue(try SafeTensors.read(from: url).isEmpty)
  }

  func testMetadataRoundTrips() throws {
    let metadata = ["format": "pt", "epoch": "3", "note": "line\nbreak \"quoted\" ✓", "": ""]
    let url = directory.appendingPathComponent("meta.safetensors")
    try SafeTensors.write(
      [("w", Tensor(shape: [2], values: [1, 2] as [Float]))], metadata: metadata, to: url)
    XCTAssertEqual(try SafeTensors.readMetadata(from: url), metadata)
    XCTAssertEqual(try SafeTensors.read(from: url).map(\.name), ["w"])

    try SafeTensors.write([("w", Tensor(shape: [1], values: [1] as [Float]))], to: url)
    XCTAssertEqual(try SafeTensors.readMetadata(from: url), [:])
  }

  // MARK: - Layout and compatibility

  func testWriteProducesThePythonLibrarysLayout() throws {
    let url = directory.appendingPathComponent("layout.safetensors")
    try SafeTensors.write(
      [
        ("w", Tensor(shape: [2], values: [1, -2] as [Float])),
        ("b", Tensor(shape: [], values: [0.5] as [Double])),
      ], metadata: ["format": "pt"], to: url)
    let bytes = [UInt8](try Data(contentsOf: url))
    let json =
      #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
      + #""b":{"dtype":"F64","shape":[],"data_offsets":[8,16]}}"#
    let padded = json + String(repeating: " ", count: (8 - json.utf8.count % 8) % 8)
    XCTAssertEqual(padded.utf8.count % 8, 0)
    XCTAssertEqual(Array(bytes[0..<8]), SafeTensorsFiles.littleEndian(UInt64(padded.utf8.count)))
    XCTAssertEqual(String(decoding: bytes[8..<8 + padded.utf8.count], as: UTF8.self), padded)
    XCTAssertEqual(
      Array(bytes[(8 + padded.utf8.count)...]),
      [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0] + [0, 0, 0, 0, 0, 0, 0xE0, 0x3F])
  }

  /// `Tests/Fixtures/reference.safetensors`, written by `scripts/make_safetensors_fixture.py`
  /// with Python's `safetensors.torch.save_file` (which orders the data by dtype size, then name).
  func testReadsFixtureWrittenByPythonSafetensors() throws {
    let url = SafeTensorsFiles.fixture("reference.safetensors")
    let loaded = try SafeTensors.read(from: url)
    XCTAssertEqual(
      loaded.map(\.name),
      ["double", "empty", "layers.0.bias", "layers.0.weight", "scalar", "bhalf", "half"])
    let byName = Dictionary(uniqueKeysWithValues: loaded.map { ($0.name, $0.tensor) })

    func check(_ name: String, _ shape: [Int], _ dtype: DType, _ expected: [Double]) {
      guard let tensor = byName[name] else { return XCTFail("missing \(name)") }
      XCTAssertEqual(tensor.shape, shape, name)
      XCTAssertEqual(tensor.dtype, dtype, name)
      // Every value is exact in its dtype, so compare bit patterns (this also checks -0.0).
      let expectedBits = expected.map {
        dtype == .float64 ? $0.bitPattern : UInt64(Float($0).bitPattern)
      }
      XCTAssertEqual(SafeTensorsFiles.bits(tensor), expectedBits, name)
    }
    let weight = (0..<12).map { (Double($0) - 5.5) / 8 }  // (4i + j − 5.5) / 8, row-major
    check("layers.0.weight", [3, 4], .float32, weight)
    check("layers.0.bias", [3], .float32, [0.5, -0.25, 0x1p-140])
    check("double", [2, 2], .float64, [.pi, -0.0, 0x1p-1074, 1e300])
    check("half", [4], .float32, [1, -2.5, 65504, 0x1p-24])
    check("bhalf", [3], .float32, [1, -3.140625, 0x1p100])
    check("empty", [0, 3], .float32, [])
    check("scalar", [], .float32, [42])
    XCTAssertEqual(
      try SafeTensors.readMetadata(from: url),
      ["format": "pt", "source": "scripts/make_safetensors_fixture.py"])
  }

  func testReadsHandWrittenHeaderWithWhitespaceEscapesAndAnyKeyOrder() throws {
    // Other writers may pretty-print, escape non-ASCII and order keys differently.
    let header = """
      {
        "b\\u00e9\\ud83d\\ude42\\/\\b\\f" : { "shape" : [ ], "data_offsets" : [ 4 , 12 ],
                                   "dtype" : "F64" },
        "a" : {"data_offsets":[0,4],"dtype":"BF16","shape":[2]},
        "__metadata__" : { "k\\"" : "v\\\\\\n" }
      }\t\r\n
      """
    let data: [UInt8] = [0x80, 0x3F, 0x00, 0xC0] + SafeTensorsFiles.littleEndian((-0.5).bitPattern)
    let url = try SafeTensorsFiles.write(
      SafeTensorsFiles.raw(header, data: data), "handwritten.safetensors", in: directory)
    let loaded = try SafeTensors.read(from: url)
    XCTAssertEqual(loaded.map(\.name), ["a", "bé🙂/\u{8}\u{C}"])
    XCTAssertEqual(loaded[0].tensor.scalars(as: Float.self), [1, -2])
    XCTAssertEqual(loaded[1].tensor.shape, [])
    XCTAssertEqual(loaded[1].tensor.item(), -0.5)
    XCTAssertEqual(try SafeTensors.readMetadata(from: url), ["k\"": "v\\\n"])
  }

  #if !(os(macOS) && arch(x86_64))  // no Float16 there
    func testHalfConversionMatchesFloat16ForEveryBitPattern() {
      for bits in UInt16.min...UInt16.max {
        let converted = SafeTensors.HalfPrecision.float(fromHalf: bits)
        let reference = Float(Float16(bitPattern: bits))
        if reference.isNaN {
          XCTAssertTrue(converted.isNaN, "half 0x\(String(bits, radix: 16))")
          // The payload moves to the top of the float's fraction; the sign is kept.
          XCTAssertEqual((converted.bitPattern & 0x007F_E000) >> 13, UInt32(bits & 0x3FF))
          XCTAssertEqual(converted.sign, reference.sign)
        } else if converted.bitPattern != reference.bitPattern {
          XCTFail("half 0x\(String(bits, radix: 16)): got \(converted), expected \(reference)")
          return
        }
      }
      XCTAssertEqual(SafeTensors.HalfPrecision.float(fromBFloat16: 0xC049), -3.140625)
    }
  #endif

  // MARK: - Writing

  func testWriteReplacesAnExistingFileAndLeavesNoTemporaryFile() throws {
    let url = directory.appendingPathComponent("model.safetensors")
    try SafeTensors.write([("old", Tensor(shape: [3], values: [1, 2, 3] as [Float]))], to: url)
    try SafeTensors.write([("new", Tensor(shape: [1], values: [9] as [Double]))], to: url)
    let loaded = try SafeTensors.read(from: url)
    XCTAssertEqual(loaded.map(\.name), ["new"])
    XCTAssertEqual(loaded[0].tensor.item(), 9)
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: directory.path), ["model.safetensors"])
  }

  func testFailedWriteLeavesTargetAndDirectoryUnchanged() throws {
    let url = directory.appendingPathComponent("model.safetensors")
    let original = [("w", Tensor(shape: [2], values: [1, 2] as [Float]))]
    try SafeTensors.write(original, to: url)
    let before = try Data(contentsOf: url)
    let w = Tensor(shape: [1], values: [5] as [Float])

    // Bad names are refused before anything is written.
    XCTAssertThrowsError(try SafeTensors.write([("a", w), ("a", w)], to: url)) {
      XCTAssertEqual($0 as? SafeTensorsError, .duplicateTensor(path: url.path, name: "a"))
    }
    XCTAssertThrowsError(try SafeTensors.write([("__metadata__", w)], to: url)) {
      XCTAssertEqual($0 as? SafeTensorsError, .reservedName(path: url.path, name: "__metadata__"))
    }
    // The rename fails when the target is a directory: the temporary file is removed.
    let folder = directory.appendingPathComponent("folder")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
    XCTAssertThrowsError(try SafeTensors.write(original, to: folder)) {
      guard case .unwritable(let path, let reason) = $0 as? SafeTensorsError else {
        return XCTFail("\($0)")
      }
      XCTAssertEqual(path, folder.path)
      XCTAssertTrue(reason.contains("renaming"), reason)
    }
    // A missing directory: the temporary file cannot even be created.
    let missing = directory.appendingPathComponent("no/such/dir/model.safetensors")
    XCTAssertThrowsError(try SafeTensors.write(original, to: missing)) {
      guard case .unwritable(let path, let reason) = $0 as? SafeTensorsError else {
        return XCTFail("\($0)")
      }
      XCTAssertEqual(path, missing.path)
      XCTAssertTrue(reason.contains("No such file"), reason)
    }

    XCTAssertEqual(try Data(contentsOf: url), before)
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(),
      ["folder", "model.safetensors"])
  }

  func testReadMissingFileDirectoryOrFIFOThrows() {
    let missing = directory.appendingPathComponent("absent.safetensors")
    XCTAssertThrowsError(try SafeTensors.read(from: missing)) {
      XCTAssertEqual($0 as? SafeTensorsError, .fileNotFound(path: missing.path))
    }
    XCTAssertThrowsError(try SafeTensors.read(from: directory)) {
      XCTAssertEqual(
        $0 as? SafeTensorsError, .unreadable(path: directory.path, reason: "not a regular file"))
    }
    // A FIFO with no writer: opening it must not block.
    let fifo = directory.appendingPathComponent("fifo.safetensors")
    XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
    XCTAssertThrowsError(try SafeTensors.read(from: fifo)) {
      XCTAssertEqual(
        $0 as? SafeTensorsError, .unreadable(path: fifo.path, reason: "not a regular file"))
    }
  }
}

/// Helpers shared by the safetensors tests.
enum SafeTensorsFiles {
  /// A fresh temporary directory.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("SafeTensorsTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// A committed fixture in `Tests/Fixtures/` (outside the test target's folder, so SwiftPM
  /// needs no resource declaration), found from this file's path.
  static func fixture(_ name: String, file: StaticString = #filePath) -> URL {
    URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures").appendingPathComponent(name)
  }

  /// The elements' bit patterns (float32 widened), for exact comparisons that see NaN payloads.
  static func bits(_ tensor: Tensor) -> [UInt64] {
    switch tensor.dtype {
    case .float32:
      return tensor.withUnsafeBufferPointer(as: Float.self) { $0.map { UInt64($0.bitPattern) } }
    case .float64: return tensor.withUnsafeBufferPointer(as: Double.self) { $0.map(\.bitPattern) }
    }
  }

  /// The elements' bytes as stored in memory (little-endian on the platforms we run on).
  static func bytes(_ tensor: Tensor) -> [UInt8] {
    switch tensor.dtype {
    case .float32:
      return tensor.withUnsafeBufferPointer(as: Float.self) { [UInt8](UnsafeRawBufferPointer($0)) }
    case .float64:
      return tensor.withUnsafeBufferPointer(as: Double.self) { [UInt8](UnsafeRawBufferPointer($0)) }
    }
  }

  /// `value` as 8 little-endian bytes.
  static func littleEndian(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }

  /// A file made by hand: the length prefix (`length`, default the header's size), the header,
  /// then `data`.
  static func raw(_ header: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
    let json = Array(header.utf8)
    return littleEndian(length ?? UInt64(json.count)) + json + data
  }

  /// Writes `bytes` to `name` in `directory`, replacing its contents. (Through a `FileHandle`:
  /// `Data.write` flushes to disk, which makes the thousands of writes of the mutation tests
  /// slow on a busy machine.)
  static func write(_ bytes: [UInt8], _ name: String, in directory: URL) throws -> URL {
    let url = directory.appendingPathComponent(name)
    if !FileManager.default.fileExists(atPath: url.path) {
      XCTAssertTrue(FileManager.default.createFile(atPath: url.path, contents: nil))
    }
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    try handle.truncate(atOffset: 0)
    try handle.write(contentsOf: bytes)
    return url
  }
}
