import Foundation
import NN
import XCTest

/// `.npy`, zip and `.npz` reading, and the OCTMNIST loader, on the numpy-written fixtures
/// (`scripts/make_npz_fixture.py`) and on files the tests build by hand.
final class NPZReaderTests: XCTestCase {
  private static let splits: [(OCTMNIST.Split, base: Int, count: Int)] = [
    (.train, 0, 6), (.validation, 1, 3), (.test, 2, 4),
  ]

  func testFixtureHasTheMedMNISTLayout() throws {
    let npz = try NPZReader(path: DataFixtures.fixturePath("tiny_octmnist.npz"))
    XCTAssertEqual(
      npz.arrayNames,
      ["test_images", "test_labels", "train_images", "train_labels", "val_images", "val_labels"])
    XCTAssertTrue(npz.archive.entries.allSatisfy { $0.method == 8 }, "savez_compressed deflates")
    let images = try npz.array("train_images")
    XCTAssertEqual(images.elementType, .uint8)
    XCTAssertEqual(images.shape, [6, 28, 28])
    let labels = try npz.array("train_labels.npy")
    XCTAssertEqual(labels.shape, [6, 1])
  }

  func testOCTMNISTLoadsEverySplitWithShapesLabelsAndPixels() throws {
    let npz = try NPZReader(path: DataFixtures.fixturePath("tiny_octmnist.npz"))
    for (split, base, count) in Self.splits {
      let data = try OCTMNIST.load(split, from: npz)
      XCTAssertEqual(data.count, count, "\(split)")
      XCTAssertEqual([data.rows, data.cols], [28, 28])
      XCTAssertEqual(data.classCount, 4)
      XCTAssertEqual(data.labels, (0..<count).map { (base + $0) % 4 }, "\(split)")
      // The generator's formula: pixel (i, r, c) = (base + 37 i + 5 r + 3 c) mod 256.
      for (i, r, c) in [(0, 0, 0), (count - 1, 27, 27), (1, 3, 17)] {
        XCTAssertEqual(
          Int(data.images[(i * 28 + r) * 28 + c]), (base + 37 * i + 5 * r + 3 * c) % 256,
          "\(split) pixel (\(i), \(r), \(c))")
      }
    }
  }

  func testOCTMNISTFindsTheFileInTheDataDirectory() throws {
    let directory = try DataFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let bytes = try DataFixtures.read(DataFixtures.fixturePath("tiny_octmnist.npz"))
    try DataFixtures.write(bytes, to: directory, "octmnist.npz")
    let data = DataDirectory(path: directory.path)
    XCTAssertEqual(try OCTMNIST.load(.validation, from: data).labels, [1, 2, 3])
    let test = try OCTMNIST.load(.test, from: data)
    XCTAssertEqual(test.features().shape, [4, 784])
    XCTAssertEqual(test.oneHot().shape, [4, 4])
  }

  func testOCTMNISTMissingFileSaysWhereToGetIt() throws {
    let directory = try DataFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    assertDataError(
      try OCTMNIST.load(.test, from: DataDirectory(path: directory.path)), mentioning: "MedMNIST"
    ) {
      if case .fileNotFound = $0 { return true } else { return false }
    }
  }

  func testStoredFixtureDecodesEveryDtype() throws {
    let npz = try NPZReader(path: DataFixtures.fixturePath("tiny_dtypes.npz"))
    XCTAssertTrue(npz.archive.entries.allSatisfy { $0.method == 0 }, "savez stores")

    let u1 = try npz.array("u1")
    XCTAssertEqual(u1.shape, [2, 3])
    XCTAssertEqual(try u1.uint8Values(), [0, 1, 2, 253, 254, 255])
    XCTAssertEqual(try npz.array("i1").integerValues(), [-128, -1, 0, 127])
    XCTAssertEqual(
      try npz.array("i4").integerValues(), [-2_147_483_648, -1, 0, 2_147_483_647])
    let i8 = try npz.array("i8")
    XCTAssertEqual(i8.elementType, .int64)
    XCTAssertEqual(i8.shape, [3, 1])
    XCTAssertEqual(try i8.integerValues(), [-(1 << 40), 0, (1 << 40) + 7])
    XCTAssertEqual(try npz.array("u2").integerValues(), [0, 65_535])
    XCTAssertEqual(try npz.array("f4").floatValues(), [0.5, -1.25, 3.0e38, 1.0e-38])
    let f8 = try npz.array("f8").doubleValues()
    XCTAssertEqual(f8[0], Double.pi)
    XCTAssertEqual(f8[1].sign, .minus)
    XCTAssertEqual(f8[2], 1e300)
    XCTAssertEqual(try npz.array("b1").integerValues(), [1, 0, 1])
    let scalar = try npz.array("scalar")
    XCTAssertEqual(scalar.shape, [])
    XCTAssertEqual(try scalar.integerValues(), [42])
    let empty = try npz.array("empty")
    XCTAssertEqual(empty.shape, [0, 28, 28])
    XCTAssertEqual(empty.count, 0)
  }

  func testNPYVersionsOneTwoAndThree() throws {
    let data: [UInt8] = [1, 2, 3, 4, 5, 6]
    for major: UInt8 in [1, 2, 3] {
      let bytes = DataFixtures.npy(descr: "|u1", shape: "(2, 3)", data: data, major: major)
      let array = try NPYReader.parse(bytes, name: "v\(major).npy")
      XCTAssertEqual(array.shape, [2, 3], "version \(major)")
      XCTAssertEqual(array.data, data)
    }
  }

  func testNPYHeaderVariantsNumpyMayWrite() throws {
    // Double quotes, a one-element tuple, Python 2 long suffixes, keys in another order.
    let header = "{\"shape\": (3L,), \"fortran_order\": False, \"descr\": \"<i8\"}"
    let values: [Int64] = [5, -6, 7]
    let data = values.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    let array = try NPYReader.parse(DataFixtures.npy(header: header, data: data), name: "x.npy")
    XCTAssertEqual(array.shape, [3])
    XCTAssertEqual(try array.integerValues(), [5, -6, 7])
  }

  func testNPYReadFromFile() throws {
    let directory = try DataFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let floats: [Float] = [1.5, -2, 0.25]
    let data = floats.flatMap { f in DataFixtures.littleEndian32(f.bitPattern) }
    let path = try DataFixtures.write(
      DataFixtures.npy(descr: "<f4", shape: "(3,)", data: data), to: directory, "a.npy")
    XCTAssertEqual(try NPYReader.read(path: path).floatValues(), floats)
  }

  func testHandmadeZipWithStoredAndDeflatedEntries() throws {
    let a = DataFixtures.npy(descr: "|u1", shape: "(4,)", data: [1, 2, 3, 4])
    let b = DataFixtures.npy(descr: "|u1", shape: "(2, 1)", data: [9, 8])
    let bytes = DataFixtures.zip([
      .init(name: "a.npy", data: a, method: 0), .init(name: "b.npy", data: b, method: 8),
    ])
    let npz = try NPZReader(bytes: bytes, name: "hand.npz")
    XCTAssertEqual(npz.arrayNames, ["a", "b"])
    XCTAssertEqual(try npz.array("a").data, [1, 2, 3, 4])
    XCTAssertEqual(try npz.array("b").shape, [2, 1])
    assertDataError(try npz.array("c"), mentioning: "a, b") {
      if case .missingEntry = $0 { return true } else { return false }
    }
  }

  func testCRC32MatchesTheStandardCheckValue() {
    XCTAssertEqual(ZipArchive.crc32(Array("123456789".utf8)), 0xCBF4_3926)
    XCTAssertEqual(ZipArchive.crc32([]), 0)
  }

  func testInflateOfRealDeflateDataWrappedAsGzip() throws {
    // The fixture's entries hold real (compressed) deflate streams; wrapped in a gzip header
    // and trailer they must decompress to the same bytes through the gzip path.
    let zip = try ZipArchive(path: DataFixtures.fixturePath("tiny_octmnist.npz"))
    let entry = try XCTUnwrap(zip.entry(named: "train_images.npy"))
    let content = try zip.extract(entry)
    XCTAssertLessThan(entry.compressedSize, entry.uncompressedSize / 2)
    let local = entry.localHeaderOffset
    let start =
      local + 30 + Int(zip.bytes[local + 26]) + Int(zip.bytes[local + 27]) << 8
      + Int(zip.bytes[local + 28]) + Int(zip.bytes[local + 29]) << 8
    let deflate = Array(zip.bytes[start..<start + entry.compressedSize])
    let gz = DataFixtures.gzip(deflate: deflate, original: content)
    XCTAssertEqual(
      try Inflate.decompress(gz, format: .gzip, limit: 1 << 20, name: "gz"), content)
    XCTAssertEqual(
      try Inflate.decompress(gz, format: .gzip, exactCount: content.count, name: "gz"), content)
    XCTAssertEqual(
      try Inflate.prefix(gz, format: .gzip, count: 10, name: "gz"), Array(content[0..<10]))
    assertDataError(try Inflate.decompress(gz, format: .gzip, limit: 100, name: "gz")) {
      if case .tooLarge = $0 { return true } else { return false }
    }
  }
}
