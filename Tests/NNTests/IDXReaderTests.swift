import Foundation
import NN
import XCTest

/// IDX reading (plain and gzip) and the MNIST / Fashion-MNIST loader on small files the tests
/// write themselves; the real files are covered by `MNISTDataTests`.
final class IDXReaderTests: XCTestCase {
  private var directory: URL!

  override func setUpWithError() throws {
    directory = try DataFixtures.temporaryDirectory()
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: directory)
  }

  func testReadPlainImagesGivesDimensionsAndRowMajorBytes() throws {
    let pixels = DataFixtures.pixels(3 * 4 * 5)
    let path = try DataFixtures.write(
      DataFixtures.idx(dimensions: [3, 4, 5], data: pixels), to: directory, "images")
    let array = try IDXReader.read(path: path, rank: 3)
    XCTAssertEqual(array.dimensions, [3, 4, 5])
    XCTAssertEqual(array.data, pixels)
  }

  func testReadPlainLabels() throws {
    let path = try DataFixtures.write(
      DataFixtures.idx(dimensions: [6], data: [7, 2, 1, 0, 4, 1]), to: directory, "labels")
    let array = try IDXReader.read(path: path, rank: 1)
    XCTAssertEqual(array.dimensions, [6])
    XCTAssertEqual(array.data, [7, 2, 1, 0, 4, 1])
  }

  func testReadGzipMatchesPlain() throws {
    // 70,000 bytes: more than one stored deflate block.
    let pixels = DataFixtures.pixels(70_000, seed: 3)
    let plain = DataFixtures.idx(dimensions: [10, 70, 100], data: pixels)
    let path = try DataFixtures.write(DataFixtures.gzip(plain), to: directory, "images.gz")
    let array = try IDXReader.read(path: path, rank: 3)
    XCTAssertEqual(array.dimensions, [10, 70, 100])
    XCTAssertEqual(array.data, pixels)
  }

  func testGzipIsRecognisedBySignatureNotName() throws {
    let plain = DataFixtures.idx(dimensions: [2], data: [1, 2])
    let path = try DataFixtures.write(DataFixtures.gzip(plain), to: directory, "labels-no-ext")
    XCTAssertEqual(try IDXReader.read(path: path).data, [1, 2])
  }

  func testConcatenatedGzipMembersAreJoined() throws {
    let plain = DataFixtures.idx(dimensions: [4], data: [9, 8, 7, 6])
    let bytes = DataFixtures.gzip(Array(plain[0..<6])) + DataFixtures.gzip(Array(plain[6...]))
    XCTAssertEqual(try IDXReader.parse(bytes, name: "two-members").data, [9, 8, 7, 6])
  }

  func testParseInMemoryAcceptsAnyRankWithoutExpectation() throws {
    let array = try IDXReader.parse(
      DataFixtures.idx(dimensions: [2, 2], data: [1, 2, 3, 4]), name: "matrix")
    XCTAssertEqual(array.dimensions, [2, 2])
    XCTAssertEqual(IDXReader.magic(rank: 3), 0x0000_0803)
  }

  func testEmptyDatasetIsValid() throws {
    let array = try IDXReader.parse(DataFixtures.idx(dimensions: [0, 28, 28], data: []), name: "e")
    XCTAssertEqual(array.dimensions, [0, 28, 28])
    XCTAssertTrue(array.data.isEmpty)
  }

  // MARK: - MNIST loader on small files

  private func writeSplit(
    _ folder: String, prefix: String, style: Int, gzip: Bool, labels: [UInt8], side: Int = 4
  ) throws -> [UInt8] {
    let pixels = DataFixtures.pixels(labels.count * side * side, seed: labels.count)
    let (imageName, labelName) =
      style == 0
      ? ("\(prefix)-images-idx3-ubyte", "\(prefix)-labels-idx1-ubyte")
      : ("\(prefix)-images.idx3-ubyte", "\(prefix)-labels.idx1-ubyte")
    var image = DataFixtures.idx(dimensions: [labels.count, side, side], data: pixels)
    var label = DataFixtures.idx(dimensions: [labels.count], data: labels)
    if gzip {
      image = DataFixtures.gzip(image)
      label = DataFixtures.gzip(label)
    }
    let ext = gzip ? ".gz" : ""
    try DataFixtures.write(image, to: directory, "\(folder)/\(imageName)\(ext)")
    try DataFixtures.write(label, to: directory, "\(folder)/\(labelName)\(ext)")
    return pixels
  }

  func testMNISTLoadsOriginalSpellingPlain() throws {
    let pixels = try writeSplit("mnist", prefix: "t10k", style: 0, gzip: false, labels: [7, 2, 1])
    let test = try MNIST.load(.test, from: DataDirectory(path: directory.path))
    XCTAssertEqual(test.count, 3)
    XCTAssertEqual([test.rows, test.cols], [4, 4])
    XCTAssertEqual(test.labels, [7, 2, 1])
    XCTAssertEqual(test.images, pixels)
    XCTAssertEqual(test.classCount, 10)
  }

  func testMNISTLoadsDottedSpellingAndGzip() throws {
    _ = try writeSplit("mnist", prefix: "train", style: 1, gzip: false, labels: [0, 1])
    _ = try writeSplit("mnist", prefix: "t10k", style: 1, gzip: true, labels: [5, 9, 9])
    let data = DataDirectory(path: directory.path)
    XCTAssertEqual(try MNIST.load(.train, from: data).labels, [0, 1])
    XCTAssertEqual(try MNIST.load(.test, from: data).labels, [5, 9, 9])
  }

  func testFashionVariantReadsItsOwnFolder() throws {
    _ = try writeSplit("fashion-mnist", prefix: "t10k", style: 0, gzip: true, labels: [9, 2])
    let data = DataDirectory(path: directory.path)
    XCTAssertEqual(try MNIST.load(.test, variant: .fashion, from: data).labels, [9, 2])
    // The digits folder is still empty.
    assertDataError(try MNIST.load(.test, from: data), mentioning: "fetch-data.sh") {
      if case .fileNotFound = $0 { return true } else { return false }
    }
  }

  func testMNISTMissingFileNamesFetchCommandAndEveryCandidate() throws {
    let error = assertDataError(
      try MNIST.load(.train, from: DataDirectory(path: directory.path)),
      mentioning: "bash scripts/fetch-data.sh")
    guard case .fileNotFound(_, let tried, _) = error else {
      return XCTFail("expected fileNotFound, got \(String(describing: error))")
    }
    XCTAssertEqual(tried.count, 4)
    XCTAssertTrue(tried[0].hasSuffix("mnist/train-images-idx3-ubyte"))
    XCTAssertTrue(tried[1].hasSuffix("mnist/train-images.idx3-ubyte"))
    XCTAssertTrue(tried[3].hasSuffix("mnist/train-images.idx3-ubyte.gz"))
  }

  func testMNISTRejectsLabelAboveNine() throws {
    _ = try writeSplit("mnist", prefix: "t10k", style: 0, gzip: false, labels: [1, 10, 3])
    assertDataError(
      try MNIST.load(.test, from: DataDirectory(path: directory.path)), mentioning: "offset 9"
    ) {
      if case .invalidHeader = $0 { return true } else { return false }
    }
  }

  func testMNISTRejectsImageAndLabelCountMismatch() throws {
    _ = try writeSplit("mnist", prefix: "t10k", style: 0, gzip: false, labels: [1, 2, 3])
    try DataFixtures.write(
      DataFixtures.idx(dimensions: [2], data: [1, 2]), to: directory,
      "mnist/t10k-labels-idx1-ubyte")
    assertDataError(
      try MNIST.load(.test, from: DataDirectory(path: directory.path)),
      mentioning: "3 images but")
  }

  func testMNISTRejectsLabelsFileInPlaceOfImages() throws {
    _ = try writeSplit("mnist", prefix: "t10k", style: 0, gzip: false, labels: [1, 2])
    try DataFixtures.write(
      DataFixtures.idx(dimensions: [2], data: [1, 2]), to: directory,
      "mnist/t10k-images-idx3-ubyte")
    assertDataError(
      try MNIST.load(.test, from: DataDirectory(path: directory.path)), mentioning: "0x00000803"
    ) {
      if case .badMagic = $0 { return true } else { return false }
    }
  }
}
