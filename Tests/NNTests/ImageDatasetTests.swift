import AutoGrad
import NN
import XCTest

/// Subsets, class filters and tensor conversions of `ImageDataset`.
final class ImageDatasetTests: XCTestCase {
  /// Six 2×2 images; image `i` has pixels `[4i, 4i+1, 4i+2, 4i+3]·10`.
  private let data = ImageDataset(
    images: (0..<24).map { UInt8($0 * 10) }, labels: [4, 9, 1, 9, 4, 0], rows: 2, cols: 2,
    classCount: 10)

  func testPrefixSuffixAndSubsetCopyTheRightImages() {
    let first = data.prefix(2)
    XCTAssertEqual(first.count, 2)
    XCTAssertEqual(first.labels, [4, 9])
    XCTAssertEqual(first.images, [0, 10, 20, 30, 40, 50, 60, 70])
    XCTAssertEqual(data.suffix(1).images, [200, 210, 220, 230])
    XCTAssertEqual(data.prefix(100).count, 6)
    let picked = data.subset([5, 0])
    XCTAssertEqual(picked.labels, [0, 4])
    XCTAssertEqual(Array(picked.image(1)), [0, 10, 20, 30])
  }

  func testFilterKeepsClassesInOrderAndCanRelabel() {
    let fourNine = data.filter(classes: [4, 9])
    XCTAssertEqual(fourNine.labels, [4, 9, 9, 4])
    XCTAssertEqual(fourNine.classCount, 10)
    XCTAssertEqual(Array(fourNine.image(2)), [120, 130, 140, 150])
    let relabelled = data.filter(classes: [4, 9], relabel: true)
    XCTAssertEqual(relabelled.labels, [0, 1, 1, 0])
    XCTAssertEqual(relabelled.classCount, 2)
    XCTAssertEqual(relabelled.images, fourNine.images)
  }

  func testClassCounts() {
    XCTAssertEqual(data.classCounts, [1, 1, 0, 0, 2, 0, 0, 0, 0, 2])
  }

  func testFeaturesScaleToUnitIntervalExactlyLikeDivisionBy255() {
    let x = data.features()
    XCTAssertEqual(x.shape, [6, 4])
    XCTAssertEqual(x.dtype, .float32)
    let values = x.scalars(as: Float.self)
    XCTAssertEqual(values[1], Float(10) / 255)
    XCTAssertEqual(values[23], Float(230) / 255)
    XCTAssertEqual(data.features(scale: false).scalars(as: Float.self)[23], 230)
    let y = data.features(dtype: .float64).scalars(as: Double.self)
    XCTAssertEqual(y[5], 50.0 / 255)
  }

  func testBiasColumnLeadsEachRow() {
    let x = data.features(biasColumn: true)
    XCTAssertEqual(x.shape, [6, 5])
    let values = x.scalars(as: Float.self)
    XCTAssertEqual(values[0], 1)
    XCTAssertEqual(values[5], 1)
    XCTAssertEqual(values[6], Float(40) / 255)
  }

  func testLabelsOneHotAndBinaryTargets() {
    XCTAssertEqual(data.labelsTensor().scalars(as: Float.self), [4, 9, 1, 9, 4, 0])
    XCTAssertEqual(data.labelsTensor().shape, [6])
    let oneHot = data.oneHot()
    XCTAssertEqual(oneHot.shape, [6, 10])
    let values = oneHot.scalars(as: Float.self)
    XCTAssertEqual(values.reduce(0, +), 6)
    XCTAssertEqual(values[4], 1)
    XCTAssertEqual(values[10 + 9], 1)
    let small = data.filter(classes: [4, 9], relabel: true).oneHot()
    XCTAssertEqual(small.scalars(as: Float.self), [1, 0, 0, 1, 0, 1, 1, 0])
    XCTAssertEqual(
      data.binaryTargets(positiveClass: 9, positive: 1, negative: -1).scalars(as: Float.self),
      [-1, 1, -1, 1, -1, -1])
  }
}
