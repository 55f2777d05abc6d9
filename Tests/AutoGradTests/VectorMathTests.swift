import Foundation
import XCTest

@testable import AutoGrad

/// The float32 vector `exp`, `log`, `sigmoid` and `tanh` against the C library (or float64),
/// lane by lane.
final class VectorMathTests: XCTestCase {
  /// Distance in units in the last place between two floats of the same sign.
  private func ulps(_ a: Float, _ b: Float) -> Int {
    if a == b || a.isNaN && b.isNaN { return 0 }
    return abs(Int(Int32(bitPattern: a.bitPattern)) - Int(Int32(bitPattern: b.bitPattern)))
  }

  private func check(
    _ xs: [Float], vector: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
    reference: (Float) -> Float, maxUlps: Int, _ name: String
  ) {
    var ys = [Float](repeating: 0, count: xs.count)
    vector(xs, &ys, xs.count)
    var exact = 0
    for (x, y) in zip(xs, ys) {
      let expected = reference(x)
      let distance = ulps(y, expected)
      XCTAssertLessThanOrEqual(distance, maxUlps, "\(name)(\(x)) = \(y), reference \(expected)")
      if distance == 0 { exact += 1 }
      if distance > maxUlps { return }
    }
    // Most results (three in four or more, measured) are the C library's exactly.
    XCTAssertGreaterThan(Double(exact) / Double(xs.count), 0.7, name)
  }

  /// `count` floats spread over `range` (a few land on the boundaries).
  private func sweep(_ range: ClosedRange<Float>, count: Int, seed: UInt64) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return [range.lowerBound, range.upperBound]
      + (0..<count).map { _ in Float.random(in: range, using: &generator) }
  }

  func testExpIsWithinOneUlpOfTheCLibrary() {
    check(
      sweep(-87...88, count: 200_000, seed: 1), vector: { VectorMath.exp($0, $1, count: $2) },
      reference: Foundation.exp, maxUlps: 1, "exp")
    check(
      sweep(-1...1, count: 50_000, seed: 2), vector: { VectorMath.exp($0, $1, count: $2) },
      reference: Foundation.exp, maxUlps: 1, "exp")
  }

  func testLogIsWithinOneUlpOfTheCLibrary() {
    var generator = SeededGenerator(seed: 3)
    let wide = (0..<200_000).map { _ in
      Float(Foundation.exp(Double.random(in: -87...88, using: &generator)))
    }
    check(
      wide + [
        1, 0.5, 2, 0.707_106_77, 0.707_106_8, 1.000_000_1, 0.999_999_94, .leastNormalMagnitude,
        .greatestFiniteMagnitude,
      ],
      vector: { VectorMath.log($0, $1, count: $2) }, reference: Foundation.log, maxUlps: 1, "log")
    check(
      sweep(0.5...2, count: 50_000, seed: 4), vector: { VectorMath.log($0, $1, count: $2) },
      reference: Foundation.log, maxUlps: 1, "log")
  }

  func testSpecialValuesAreTheCLibrarys() {
    // One vector of specials, which falls back to the C library for every lane.
    let specials: [Float] = [
      0, -0.0, -1, .nan, .infinity, -.infinity, Float(1e-40 as Double), .leastNonzeroMagnitude,
      100, -100, 88.8, -87.5, 1e-30, -1e-30, 3, 4,
    ]
    let sigmoid: (Float) -> Float = {
      $0 >= 0 ? 1 / (1 + Foundation.exp(-$0)) : Foundation.exp($0) / (1 + Foundation.exp($0))
    }
    for (vector, reference, name) in [
      (VectorMath.exp, Foundation.exp, "exp"), (VectorMath.log, Foundation.log, "log"),
      (VectorMath.sigmoid, sigmoid, "sigmoid"),
    ]
      as [(
        (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void, (Float) -> Float, String
      )]
    {
      var ys = [Float](repeating: 0, count: specials.count)
      vector(specials, &ys, specials.count)
      for (x, y) in zip(specials, ys) {
        XCTAssertEqual(ulps(y, reference(x)), 0, "\(name)(\(x)) = \(y)")
      }
    }
  }

  func testSigmoidMatchesTheScalarFormula() {
    let xs = sweep(-80...80, count: 100_000, seed: 5)
    check(
      xs, vector: { VectorMath.sigmoid($0, $1, count: $2) },
      reference: {
        $0 >= 0 ? 1 / (1 + Foundation.exp(-$0)) : Foundation.exp($0) / (1 + Foundation.exp($0))
      },
      maxUlps: 2, "sigmoid")
  }

  /// Against float64's tanh rounded to float32: the C library's float32 `tanhf` is itself up to
  /// 2 ulps off (glibc: tanhf(0.35437012) = 0.34024543, the true value rounds to 0.3402455).
  func testTanhIsWithinOneUlpOfTheRoundedFloat64Tanh() {
    let ranges: [(ClosedRange<Float>, UInt64)] = [(-10...10, 6), (-1...1, 7), (-0.7...0.7, 8)]
    for (range, seed) in ranges {
      check(
        sweep(range, count: 100_000, seed: seed), vector: { VectorMath.tanh($0, $1, count: $2) },
        reference: { Float(Foundation.tanh(Double($0))) }, maxUlps: 1, "tanh")
    }
  }

  /// Special values inside whole vectors without a NaN, so the vector path computes them.
  func testTanhSpecialValuesInTheVectorPath() {
    let xs: [Float] = [
      0, -0.0, .infinity, -.infinity, Float(1e-40 as Double), -.leastNonzeroMagnitude, 100, -100,
      44, -45, 0.625, -0.624_999_94, 9, -9, 1e-30, .greatestFiniteMagnitude,
    ]
    var ys = [Float](repeating: 0, count: xs.count)
    VectorMath.tanh(xs, &ys, count: xs.count)
    for (x, y) in zip(xs, ys) {
      let expected = Float(Foundation.tanh(Double(x)))
      XCTAssertEqual(ulps(y, expected), 0, "tanh(\(x)) = \(y), float64 tanh \(expected)")
      XCTAssertEqual(y.sign, expected.sign, "tanh(\(x)) = \(y)")
    }
    var nan: [Float] = [.nan] + [Float](repeating: 1, count: 15)
    VectorMath.tanh(nan, &nan, count: 16)
    XCTAssertTrue(nan[0].isNaN)
    XCTAssertEqual(nan[1], Foundation.tanh(1))
  }

  func testTensorOpsUseTheVectorKernelsOnFloat32Only() {
    let values = (0..<40).map { Float($0) / 7 + 0.1 }
    var expected = [Float](repeating: 0, count: 40)
    VectorMath.log(values, &expected, count: 40)
    XCTAssertEqual(Tensor(shape: [40], values: values).log().scalars(as: Float.self), expected)
    let d = Tensor(shape: [40], doubles: (0..<40).map { Double($0) / 7 + 0.1 }, dtype: .float64)
    XCTAssertEqual(d.log().scalars(as: Double.self), d.scalars(as: Double.self).map(Foundation.log))
  }
}
