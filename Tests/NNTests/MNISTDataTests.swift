import AutoGrad
import NN
import XCTest

/// Checks on the real MNIST and Fashion-MNIST files (DATA.md's sanity figures). They run when
/// `bash scripts/fetch-data.sh` has filled the data directory and are skipped, saying so,
/// otherwise.
final class MNISTDataTests: XCTestCase {
  private let data = DataDirectory.resolve()

  private func load(_ split: MNIST.Split, _ variant: MNIST.Variant = .digits) throws
    -> ImageDataset
  {
    do {
      return try MNIST.load(split, variant: variant, from: data)
    } catch DataError.fileNotFound {
      throw XCTSkip(
        "\(variant.displayName) not found in \(data); run `\(data.fetchCommand)` to fetch it")
    }
  }

  func testMNISTTestSplitMatchesTheSanityFigures() throws {
    let test = try load(.test)
    XCTAssertEqual(test.count, 10_000)
    XCTAssertEqual([test.rows, test.cols], [28, 28])
    XCTAssertEqual(Array(test.labels.prefix(10)), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
    XCTAssertEqual(test.classCounts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    // Class distribution (%) of the last 2,000 test images: counts / 20.
    let last = test.suffix(2000).classCounts.map { Double($0) / 20 }
    let expected = [10.35, 11.50, 9.90, 10.35, 9.70, 8.45, 10.10, 10.75, 9.35, 9.55]
    for (got, want) in zip(last, expected) { XCTAssertEqual(got, want, accuracy: 1e-9) }
  }

  func testMNISTTrainSplitLoadsWithPixelsInRange() throws {
    let train = try load(.train)
    XCTAssertEqual(train.count, 60_000)
    XCTAssertEqual(train.images.count, 60_000 * 784)
    XCTAssertEqual(train.classCounts.reduce(0, +), 60_000)
    XCTAssertEqual(train.prefix(100).images.max(), 255)
    // The first training digit is a 5.
    XCTAssertEqual(train.labels[0], 5)
    let x = train.prefix(100).features(biasColumn: true)
    XCTAssertEqual(x.shape, [100, 785])
    let values = x.scalars(as: Float.self)
    XCTAssertTrue(values.allSatisfy { $0 >= 0 && $0 <= 1 })
  }

  /// All 70,000 images load (their load time is measured by the Benchmarks program).
  func testLoadingAllSeventyThousandImages() throws {
    let train = try load(.train)  // skips when the data is absent
    let test = try load(.test)
    XCTAssertEqual(train.count + test.count, 70_000)
  }

  func testFashionMNISTTestSplit() throws {
    let test = try load(.test, .fashion)
    XCTAssertEqual(test.count, 10_000)
    XCTAssertEqual(Array(test.labels.prefix(10)), [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])
    XCTAssertEqual(test.classCounts, Array(repeating: 1000, count: 10))
  }

  func testFashionMNISTTrainSplit() throws {
    let train = try load(.train, .fashion)
    XCTAssertEqual(train.count, 60_000)
    XCTAssertEqual(train.classCounts, Array(repeating: 6000, count: 10))
  }
}
