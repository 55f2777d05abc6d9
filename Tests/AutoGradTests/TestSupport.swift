import XCTest

@testable import AutoGrad

/// A float64 tensor of `shape` with uniform values in `low..<high` from a fixed seed.
func randomTensor(
  _ shape: [Int], seed: UInt64 = 1, low: Double = -2, high: Double = 2
) -> Tensor {
  var generator = SeededGenerator(seed: seed)
  return Tensor.uniform(shape, low: low, high: high, dtype: .float64, using: &generator)
}

/// A float64 tensor whose values are bounded away from zero (for kinks at 0 and for division).
func awayFromZero(_ shape: [Int], seed: UInt64 = 1) -> Tensor {
  let t = randomTensor(shape, seed: seed, low: 0.3, high: 2)
  var generator = SeededGenerator(seed: seed &+ 99)
  for i in 0..<t.count where generator.next() % 2 == 0 { t[flat: i] = -t[flat: i] }
  return t
}

/// Asserts that `f` passes the first-order gradient check, and the second-order one when
/// `secondOrder` is set.
func assertGradients(
  at points: [Tensor], secondOrder: Bool = true, file: StaticString = #filePath,
  line: UInt = #line, _ f: @escaping ([Tensor]) -> Tensor
) {
  let first = gradientCheck(at: points, of: f)
  XCTAssertTrue(first.passed, first.description, file: file, line: line)
  XCTAssertGreaterThan(first.entriesChecked, 0, file: file, line: line)
  if secondOrder {
    let second = gradGradCheck(at: points, of: f)
    XCTAssertTrue(second.passed, "second order: " + second.description, file: file, line: line)
  }
}

/// Asserts two arrays are elementwise within `accuracy`.
func assertClose(
  _ actual: [Double], _ expected: [Double], accuracy: Double = 1e-12,
  file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssertEqual(actual.count, expected.count, "count", file: file, line: line)
  for (i, (a, e)) in zip(actual, expected).enumerated() where !(Swift.abs(a - e) <= accuracy) {
    XCTFail("element \(i): \(a) vs expected \(e) (accuracy \(accuracy))", file: file, line: line)
    return
  }
}

extension Tensor {
  /// Elements as doubles, for assertions.
  var values: [Double] { scalars(as: Double.self) }
}
