import NN
import XCTest

@testable import Examples

/// E15's pure parts: the class distribution and its printed layout, and — when MNIST is
/// present — the report's exact figures for the last 2,000 test images.
final class SoftmaxRegressionTests: XCTestCase {
  func testClassPercentCountsEachClass() {
    XCTAssertEqual(
      SoftmaxRegression.classPercent([0, 1, 1, 3], classes: 4), [25, 50, 0, 25])
  }

  func testDistributionTableUsesTheReportLayout() {
    let table = SoftmaxRegression.distributionTable([9.9, 10.35, 79.75])
    XCTAssertEqual(table, "\t0\t1\t2\n%\t09.90\t10.35\t79.75")
  }

  func testLastTwoThousandTestImagesHaveTheReportDistribution() throws {
    let test: ImageDataset
    do {
      test = try MNIST.load(.test, from: DataDirectory.resolve(option: nil))
    } catch {
      throw XCTSkip("MNIST is not in the data directory: \(error)")
    }
    let percent = SoftmaxRegression.classPercent(test.suffix(2000).labels, classes: 10)
    XCTAssertEqual(
      Format.list(percent, 2, zeroPadTo: 5),
      Format.list(SoftmaxRegression.reportClassPercent, 2, zeroPadTo: 5))
    XCTAssertEqual(
      Format.list(percent, 2, zeroPadTo: 5),
      "10.35 11.50 09.90 10.35 09.70 08.45 10.10 10.75 09.35 09.55")
  }
}
