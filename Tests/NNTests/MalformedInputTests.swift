import AutoGrad
import Foundation
import NN
import XCTest

/// Hostile and broken files: each must throw a descriptive `DataError`, never crash, hang or
/// allocate what a lying header claims. Finishes with a randomized test over a few hundred
/// seeded mutations of valid files.
final class MalformedInputTests: XCTestCase {
  private func isCase(_ name: String) -> (DataError) -> Bool {
    { error in String(describing: Mirror(reflecting: error).children.first?.label ?? "") == name }
  }

  private let validImages = DataFixtures.idx(
    dimensions: [3, 4, 4], data: DataFixtures.pixels(48))

  // MARK: - IDX

  func testIDXEmptyAndTruncatedHeaders() {
    assertDataError(
      try IDXReader.parse([], name: "empty"), mentioning: "offset 0",
      isCase("truncated"))
    assertDataError(
      try IDXReader.parse([0, 0, 8], name: "short"), mentioning: "short",
      isCase("truncated"))
    // The rank says 3 dimensions but only two are present.
    assertDataError(
      try IDXReader.parse(Array(validImages[0..<12]), name: "dims"), mentioning: "offset 12",
      isCase("truncated"))
  }

  func testIDXTruncatedPayloadIsASizeMismatch() {
    assertDataError(
      try IDXReader.parse(Array(validImages.dropLast(5)), name: "images", rank: 3),
      mentioning: "48", isCase("sizeMismatch"))
    assertDataError(
      try IDXReader.parse(validImages + [0], name: "images", rank: 3), isCase("sizeMismatch"))
  }

  func testIDXWrongMagic() {
    var bytes = validImages
    bytes[0] = 0x12
    assertDataError(
      try IDXReader.parse(bytes, name: "m", rank: 3), mentioning: "expected 0x00000803",
      isCase("badMagic"))
    // Labels where images are expected.
    assertDataError(
      try IDXReader.parse(DataFixtures.idx(dimensions: [2], data: [1, 2]), name: "l", rank: 3),
      mentioning: "got 0x00000801", isCase("badMagic"))
  }

  func testIDXUnsupportedElementType() {
    let floats = DataFixtures.idx(dimensions: [1], data: [0, 0, 0, 0], typeByte: 0x0D)
    assertDataError(
      try IDXReader.parse(floats, name: "f", rank: 1), mentioning: "float32",
      isCase("unsupported"))
  }

  func testIDXDimensionsClaimingGigabytesAreRejectedBeforeAllocating() throws {
    // 4,294,967,295 × 65,536 × 65,536: overflows Int64 on the way.
    let huge = DataFixtures.idx(dimensions: [0xFFFF_FFFF, 65_536, 65_536], data: [1, 2, 3])
    assertDataError(try IDXReader.parse(huge, name: "huge", rank: 3), isCase("tooLarge"))
    // 60,000 × 1,000 × 1,000 = 60 GB: over the limit.
    let big = DataFixtures.idx(dimensions: [60_000, 1000, 1000], data: [1, 2, 3])
    assertDataError(try IDXReader.parse(big, name: "big", rank: 3), isCase("tooLarge"))
    // 1 GB: under the limit but not in the file.
    let liar = DataFixtures.idx(dimensions: [1_000_000, 1000], data: [1, 2, 3])
    assertDataError(
      try IDXReader.parse(liar, name: "liar"), mentioning: "1000000000", isCase("sizeMismatch"))

    // The same through a real file: the header is checked against the file size.
    let directory = try DataFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = try DataFixtures.write(liar, to: directory, "liar")
    assertDataError(try IDXReader.read(path: path), isCase("sizeMismatch"))
    let gz = try DataFixtures.write(DataFixtures.gzip(liar), to: directory, "liar.gz")
    // A 60-byte gzip file cannot expand to a gigabyte (deflate's limit is 1032:1).
    assertDataError(try IDXReader.read(path: gz), mentioning: "1032", isCase("tooLarge"))
  }

  func testIDXGzipClaimingMoreThanItHoldsRunsOutOfData() {
    // Plausible for the compressed size, but the stream ends after 48 bytes.
    var header = DataFixtures.idx(dimensions: [3, 4, 4], data: [])
    header[7] = 5  // 5 images claimed, 3 present
    let gz = DataFixtures.gzip(header + DataFixtures.pixels(48))
    assertDataError(try IDXReader.parse(gz, name: "short.gz", rank: 3), isCase("sizeMismatch"))
  }

  func testIDXCorruptedGzipStream() {
    let gz = DataFixtures.gzip(validImages)
    var flipped = gz
    flipped[flipped.count - 20] ^= 0x40  // payload byte: the CRC-32 no longer matches
    assertDataError(
      try IDXReader.parse(flipped, name: "crc.gz"), mentioning: "crc.gz", isCase("corruptStream"))
    var badBlock = gz
    badBlock[10] = 0x07  // block type 3 (reserved)
    assertDataError(try IDXReader.parse(badBlock, name: "block.gz"), isCase("corruptStream"))
    var badLength = gz
    badLength[11] ^= 0xFF  // stored block LEN no longer the complement of NLEN
    assertDataError(try IDXReader.parse(badLength, name: "len.gz"), isCase("corruptStream"))
    var badMethod = gz
    badMethod[2] = 0x07  // gzip compression method other than deflate
    assertDataError(try IDXReader.parse(badMethod, name: "method.gz"), isCase("corruptStream"))
  }

  func testIDXTruncatedGzip() {
    let gz = DataFixtures.gzip(validImages)
    for cut in [3, 12, 30, gz.count - 6, gz.count - 1] {
      assertDataError(
        try IDXReader.parse(Array(gz[0..<cut]), name: "cut\(cut).gz"), mentioning: "cut\(cut)")
    }
  }

  func testIDXTrailingGarbageAfterGzip() {
    let gz = DataFixtures.gzip(validImages) + [1, 2, 3]
    assertDataError(
      try IDXReader.parse(gz, name: "tail.gz"), mentioning: "3 unexpected bytes",
      isCase("corruptStream"))
  }

  func testIDXNotARegularFile() throws {
    let directory = try DataFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    assertDataError(try IDXReader.read(path: directory.path), isCase("unreadable"))
    assertDataError(try IDXReader.read(path: directory.path + "/nope"), isCase("fileNotFound"))
  }

  // MARK: - NPY

  func testNPYBadMagicAndVersion() {
    var bytes = DataFixtures.npy(descr: "|u1", shape: "(2,)", data: [1, 2])
    bytes[1] = UInt8(ascii: "X")
    assertDataError(try NPYReader.parse(bytes, name: "a.npy"), isCase("badMagic"))
    var version = DataFixtures.npy(descr: "|u1", shape: "(2,)", data: [1, 2])
    version[6] = 9
    assertDataError(
      try NPYReader.parse(version, name: "v.npy"), mentioning: "version 9.0", isCase("unsupported"))
    assertDataError(try NPYReader.parse(Array(bytes[0..<7]), name: "t.npy"), isCase("truncated"))
  }

  func testNPYBadDtypes() {
    for descr in [">f8", "<c16", "<f2", "|O", "<U10", "x"] {
      assertDataError(
        try NPYReader.parse(
          DataFixtures.npy(descr: descr, shape: "(1,)", data: Array(repeating: 0, count: 8)),
          name: "d.npy"), mentioning: "descr '\(descr)'", isCase("unsupported"))
    }
    let structured = "{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }"
    assertDataError(
      try NPYReader.parse(DataFixtures.npy(header: structured, data: [0, 0, 0, 0]), name: "s.npy"))
  }

  func testNPYBadShapes() {
    for shape in ["(-1, 3)", "3", "(2, 'a')", "(2 3)", "(2,", "[2, 3]", "(99999999999999999999,)"] {
      assertDataError(
        try NPYReader.parse(DataFixtures.npy(descr: "|u1", shape: shape, data: []), name: "s.npy"),
        mentioning: "s.npy")
    }
    // Dimensions whose product overflows, and a shape that disagrees with the data length.
    assertDataError(
      try NPYReader.parse(
        DataFixtures.npy(descr: "<f8", shape: "(4611686018427387904, 4)", data: []),
        name: "o.npy"), isCase("tooLarge"))
    assertDataError(
      try NPYReader.parse(
        DataFixtures.npy(descr: "<f4", shape: "(100000, 100000)", data: [1, 2, 3, 4]),
        name: "big.npy"), mentioning: "40000000000", isCase("sizeMismatch"))
  }

  func testNPYHeaderKeysAndOrder() {
    let fortran = "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 2), }"
    assertDataError(
      try NPYReader.parse(DataFixtures.npy(header: fortran, data: [1, 2, 3, 4]), name: "f.npy"),
      mentioning: "Fortran", isCase("unsupported"))
    let missing = "{'descr': '|u1', 'shape': (2,), }"
    assertDataError(
      try NPYReader.parse(DataFixtures.npy(header: missing, data: [1, 2]), name: "m.npy"),
      mentioning: "fortran_order", isCase("invalidHeader"))
    let extra = "{'descr': '|u1', 'fortran_order': False, 'shape': (2,), 'x': 1}"
    assertDataError(
      try NPYReader.parse(DataFixtures.npy(header: extra, data: [1, 2]), name: "e.npy"),
      isCase("invalidHeader"))
    let garbage = "descr=u1"
    assertDataError(
      try NPYReader.parse(DataFixtures.npy(header: garbage, data: [1, 2]), name: "g.npy"),
      isCase("invalidHeader"))
  }

  func testNPYHeaderLengthBeyondLimitOrFile() {
    var bytes = DataFixtures.npy(descr: "|u1", shape: "(2,)", data: [1, 2], major: 2)
    bytes[8] = 0xFF
    bytes[9] = 0xFF
    bytes[10] = 0xFF  // 16 MB header claimed
    assertDataError(try NPYReader.parse(bytes, name: "h.npy"), isCase("tooLarge"))
    var v1 = DataFixtures.npy(descr: "|u1", shape: "(2,)", data: [1, 2])
    v1[8] = 0x10
    v1[9] = 0x27  // 10,000 bytes: allowed, but not in the file
    assertDataError(try NPYReader.parse(v1, name: "h1.npy"), isCase("truncated"))
  }

  // MARK: - Zip / npz

  private let validZip = DataFixtures.zip([
    .init(name: "a.npy", data: DataFixtures.npy(descr: "|u1", shape: "(3,)", data: [1, 2, 3])),
    .init(
      name: "b.npy", data: DataFixtures.npy(descr: "|u1", shape: "(2,)", data: [4, 5]),
      method: 8),
  ])

  /// Offset of the end-of-central-directory record in `validZip`.
  private var endOffset: Int { validZip.count - 22 }

  private func patched(_ bytes: [UInt8], at offset: Int, _ value: UInt32, width: Int = 4)
    -> [UInt8]
  {
    var copy = bytes
    for i in 0..<width { copy[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    return copy
  }

  func testZipWithoutEndRecord() {
    assertDataError(
      try ZipArchive(bytes: Array(validZip.dropLast(2)), name: "z.npz"),
      mentioning: "end-of-central-directory", isCase("badMagic"))
    assertDataError(try ZipArchive(bytes: [1, 2, 3], name: "tiny.npz"), isCase("truncated"))
    assertDataError(try NPZReader(bytes: Array(repeating: 0, count: 100), name: "zeros.npz"))
  }

  func testZipDirectoryOffsetsOutsideTheFile() {
    let offset = patched(validZip, at: endOffset + 16, 0x00FF_FFFF)
    assertDataError(
      try ZipArchive(bytes: offset, name: "o.npz"), mentioning: "central directory",
      isCase("invalidHeader"))
    let size = patched(validZip, at: endOffset + 12, 10_000)
    assertDataError(try ZipArchive(bytes: size, name: "s.npz"), isCase("invalidHeader"))
    let count = patched(validZip, at: endOffset + 8, 50, width: 2)
    assertDataError(
      try ZipArchive(bytes: patched(count, at: endOffset + 10, 50, width: 2), name: "c.npz"),
      isCase("truncated"))
  }

  func testZipEntryOffsetsAndSizesOutsideTheFile() throws {
    XCTAssertEqual(try ZipArchive(bytes: validZip, name: "ok.npz").entries.count, 2)
    // Find the first directory record and point its local header past the directory.
    let record = try XCTUnwrap(firstDirectoryRecord(validZip))
    let local = patched(validZip, at: record + 42, 0x7FFF_FFFF)
    assertDataError(
      try ZipArchive(bytes: local, name: "l.npz"), mentioning: "local header offset",
      isCase("invalidHeader"))
    // A compressed size reaching past the data.
    let sizeArchive = try ZipArchive(
      bytes: patched(validZip, at: record + 20, 0x00FF_FFFF), name: "size.npz")
    assertDataError(try sizeArchive.extract(sizeArchive.entries[0]), isCase("truncated"))
    // A local header whose signature is wrong.
    var badLocal = validZip
    badLocal[0] = 0
    let badArchive = try ZipArchive(bytes: badLocal, name: "sig.npz")
    assertDataError(
      try badArchive.extract(badArchive.entries[0]), mentioning: "local header",
      isCase("badMagic"))
  }

  func testZipUnsupportedFeatures() throws {
    let record = try XCTUnwrap(firstDirectoryRecord(validZip))
    let bzip2 = try ZipArchive(bytes: patched(validZip, at: record + 10, 12, width: 2), name: "m")
    assertDataError(
      try bzip2.extract(bzip2.entries[0]), mentioning: "compression method 12",
      isCase("unsupported"))
    assertDataError(
      try ZipArchive(bytes: patched(validZip, at: record + 8, 1, width: 2), name: "enc"),
      mentioning: "encrypted", isCase("unsupported"))
    assertDataError(
      try ZipArchive(bytes: patched(validZip, at: endOffset + 16, 0xFFFF_FFFF), name: "z64"),
      mentioning: "zip64", isCase("unsupported"))
    assertDataError(
      try ZipArchive(bytes: patched(validZip, at: record + 24, 0xFFFF_FFFF), name: "z64e"),
      mentioning: "zip64", isCase("unsupported"))
    assertDataError(
      try ZipArchive(bytes: patched(validZip, at: endOffset + 4, 1, width: 2), name: "disk"),
      mentioning: "multi-disk", isCase("unsupported"))
  }

  func testZipChecksumMismatch() throws {
    let record = try XCTUnwrap(firstDirectoryRecord(validZip))
    let archive = try ZipArchive(
      bytes: patched(validZip, at: record + 16, 0xDEAD_BEEF), name: "crc.npz")
    assertDataError(
      try archive.extract(archive.entries[0]), mentioning: "0xDEADBEEF",
      isCase("checksumMismatch"))
  }

  func testCorruptedDeflateInTheNumpyFixture() throws {
    let path = DataFixtures.fixturePath("tiny_octmnist.npz")
    let archive = try ZipArchive(path: path)
    let entry = try XCTUnwrap(archive.entry(named: "train_images.npy"))
    var bytes = archive.bytes
    let middle = entry.localHeaderOffset + 100 + entry.compressedSize / 2
    for k in 0..<8 { bytes[middle + k] ^= 0xA5 }
    let corrupt = try NPZReader(bytes: bytes, name: "corrupt.npz")
    assertDataError(try corrupt.array("train_images"), mentioning: "corrupt.npz:train_images.npy")
    // Other arrays are unaffected.
    XCTAssertEqual(try corrupt.array("test_labels").shape, [4, 1])
  }

  func testNPZEntryThatIsNotNPY() throws {
    let bytes = DataFixtures.zip([.init(name: "x.npy", data: Array("hello".utf8))])
    assertDataError(
      try NPZReader(bytes: bytes, name: "h.npz").array("x"), mentioning: "h.npz:x.npy")
  }

  func testOCTMNISTWithWrongLayout() throws {
    let images = DataFixtures.npy(descr: "<f4", shape: "(1, 1, 1)", data: [0, 0, 0, 0])
    let labels = DataFixtures.npy(descr: "|u1", shape: "(1, 1)", data: [0])
    let npz = try NPZReader(
      bytes: DataFixtures.zip([
        .init(name: "test_images.npy", data: images), .init(name: "test_labels.npy", data: labels),
      ]), name: "oct.npz")
    assertDataError(try OCTMNIST.load(.test, from: npz), mentioning: "uint8")
    assertDataError(try OCTMNIST.load(.train, from: npz), isCase("missingEntry"))

    let badLabel = DataFixtures.npy(descr: "|u1", shape: "(1, 1)", data: [7])
    let gray = DataFixtures.npy(descr: "|u1", shape: "(1, 1, 1)", data: [0])
    let npz2 = try NPZReader(
      bytes: DataFixtures.zip([
        .init(name: "test_images.npy", data: gray), .init(name: "test_labels.npy", data: badLabel),
      ]), name: "oct2.npz")
    assertDataError(try OCTMNIST.load(.test, from: npz2), mentioning: "label 7")
  }

  private func firstDirectoryRecord(_ bytes: [UInt8]) -> Int? {
    let offset = Int(bytes[endOffset + 16]) | Int(bytes[endOffset + 17]) << 8
    return bytes[offset] == 0x50 && bytes[offset + 1] == 0x4B ? offset : nil
  }

  // MARK: - Randomized

  /// Feeds seeded mutations (bit flips, byte overwrites, truncations, insertions) of valid
  /// files to every reader. Each must either throw a `DataError` or return data consistent
  /// with its own header; reaching the end of the test means none crashed or hung.
  func testRandomMutationsThrowOrReturnValidData() throws {
    let idxPlain = DataFixtures.idx(dimensions: [4, 6, 5], data: DataFixtures.pixels(120))
    let idxGzip = DataFixtures.gzip(idxPlain)
    let npy = DataFixtures.npy(descr: "<i8", shape: "(3, 2)", data: DataFixtures.pixels(48))
    let npzDeflate = try DataFixtures.read(DataFixtures.fixturePath("tiny_octmnist.npz"))
    let npzStored = try DataFixtures.read(DataFixtures.fixturePath("tiny_dtypes.npz"))

    var generator = SeededGenerator(seed: 2024)
    var outcomes = (threw: 0, accepted: 0)
    let cases: [(String, [UInt8], ([UInt8]) throws -> Void)] = [
      (
        "idx", idxPlain,
        { bytes in
          let a = try IDXReader.parse(bytes, name: "m.idx")
          XCTAssertEqual(a.data.count, a.dimensions.reduce(1, *))
        }
      ),
      (
        "idx.gz", idxGzip,
        { bytes in
          let a = try IDXReader.parse(bytes, name: "m.idx.gz")
          XCTAssertEqual(a.data.count, a.dimensions.reduce(1, *))
        }
      ),
      (
        "npy", npy,
        { bytes in
          let a = try NPYReader.parse(bytes, name: "m.npy")
          XCTAssertEqual(a.data.count, a.shape.reduce(1, *) * a.elementType.size)
        }
      ),
      ("npz-deflate", npzDeflate, { bytes in try self.readEverything(bytes) }),
      ("npz-stored", npzStored, { bytes in try self.readEverything(bytes) }),
    ]
    for (name, original, read) in cases {
      for trial in 0..<80 {
        let mutated = mutate(original, using: &generator)
        do {
          try read(mutated)
          outcomes.accepted += 1
        } catch is DataError {
          outcomes.threw += 1
        } catch {
          XCTFail("\(name) mutation \(trial): non-DataError \(error)")
        }
      }
    }
    XCTAssertEqual(outcomes.threw + outcomes.accepted, 400)
    XCTAssertGreaterThan(outcomes.threw, 200, "most mutations must be detected")
  }

  private func readEverything(_ bytes: [UInt8]) throws {
    let npz = try NPZReader(bytes: bytes, name: "m.npz")
    for name in npz.arrayNames {
      let a = try npz.array(name)
      XCTAssertEqual(a.data.count, a.shape.reduce(1, *) * a.elementType.size)
    }
    if npz.arrayNames.contains("test_images") {
      let test = try OCTMNIST.load(.test, from: npz)
      XCTAssertEqual(test.images.count, test.count * test.rows * test.cols)
    }
  }

  private func mutate(_ bytes: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
    var copy = bytes
    func position() -> Int { Int(generator.next() % UInt64(max(copy.count, 1))) }
    switch generator.next() % 5 {
    case 0:  // flip 1–4 bits
      for _ in 0...(generator.next() % 4) where !copy.isEmpty {
        copy[position()] ^= UInt8(1) << (generator.next() % 8)
      }
    case 1:  // overwrite a byte with an extreme value
      if !copy.isEmpty { copy[position()] = [0x00, 0xFF, 0x7F, 0x80][Int(generator.next() % 4)] }
    case 2:  // truncate
      copy = Array(copy[0..<position()])
    case 3:  // insert random bytes
      let at = position()
      copy.insert(
        contentsOf: (0..<(1 + generator.next() % 8)).map { _ in
          UInt8(truncatingIfNeeded: generator.next())
        }, at: at)
    default:  // delete a short run
      let at = position()
      copy.removeSubrange(at..<min(copy.count, at + 1 + Int(generator.next() % 16)))
    }
    return copy
  }
}
