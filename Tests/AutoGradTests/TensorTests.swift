import XCTest

@testable import AutoGrad

final class TensorTests: XCTestCase {
  func testCreationAndShapes() {
    XCTAssertEqual(Tensor.zeros([2, 3]).values, [0, 0, 0, 0, 0, 0])
    XCTAssertEqual(Tensor.ones([2]).dtype, .float32)
    XCTAssertEqual(Tensor.full([2], 7, dtype: .float64).values, [7, 7])
    XCTAssertEqual(Tensor.arange(0, 5).values, [0, 1, 2, 3, 4])
    XCTAssertEqual(Tensor.arange(1, 2, step: 0.25).values, [1, 1.25, 1.5, 1.75])
    XCTAssertEqual(Tensor.linspace(0, 1, count: 5).values, [0, 0.25, 0.5, 0.75, 1])
    XCTAssertEqual(Tensor.eye(2).values, [1, 0, 0, 1])
    let t = Tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], dtype: .float64)
    XCTAssertEqual(t.shape, [2, 2, 2])
    XCTAssertEqual(t[1, 0, 1], 6)
    XCTAssertEqual(t.count, 8)
    XCTAssertEqual(t.rank, 3)
    XCTAssertEqual(Tensor(3.5).shape, [])
    XCTAssertEqual(Tensor(3.5).item(), 3.5)
    XCTAssertEqual(Tensor(shape: [2], values: [Float(1), 2]).dtype, .float32)
    XCTAssertEqual(Tensor(shape: [2], values: [1.0, 2]).dtype, .float64)
  }

  func testSeededRandomIsReproducible() {
    var g1 = SeededGenerator(seed: 42)
    var g2 = SeededGenerator(seed: 42)
    var g3 = SeededGenerator(seed: 43)
    let a = Tensor.randn([100], using: &g1)
    XCTAssertEqual(a.values, Tensor.randn([100], using: &g2).values)
    XCTAssertNotEqual(a.values, Tensor.randn([100], using: &g3).values)
    manualSeed(7)
    let r1 = Tensor.rand([10]).values
    manualSeed(7)
    XCTAssertEqual(r1, Tensor.rand([10]).values)
    XCTAssertTrue(r1.allSatisfy { $0 >= 0 && $0 < 1 })
    var g = SeededGenerator(seed: 9)
    let u = Tensor.uniform([10_000], low: -1, high: 1, dtype: .float64, using: &g).values
    XCTAssertEqual(u.reduce(0, +) / 10_000, 0, accuracy: 0.03)
    let n = Tensor.randn([10_000], dtype: .float64, using: &g).values
    let mean = n.reduce(0, +) / 10_000
    let variance = n.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 10_000
    XCTAssertEqual(variance, 1, accuracy: 0.05)
  }

  func testDTypeConversion() {
    let x = Tensor([1.5, -2.25], dtype: .float64)
    let f = x.to(.float32)
    XCTAssertEqual(f.dtype, .float32)
    XCTAssertEqual(f.values, [1.5, -2.25])
    XCTAssertEqual(Tensor([0.1]).to(.float64).item(), Double(Float(0.1)))
  }

  /// `scalars(as:)` in all four pairs of stored and requested type (float64 → float32 rounds).
  func testScalarsConvertBetweenBothTypes() {
    let third = 1.0 / 3
    let d = Tensor(shape: [3], doubles: [third, -2, .infinity], dtype: .float64)
    let f = Tensor(shape: [3], doubles: [third, -2, .infinity], dtype: .float32)
    XCTAssertEqual(d.scalars(as: Double.self), [third, -2, .infinity])
    XCTAssertEqual(d.scalars(as: Float.self), [Float(third), -2, .infinity])
    XCTAssertEqual(f.scalars(as: Float.self), [Float(third), -2, .infinity])
    XCTAssertEqual(f.scalars(as: Double.self), [Double(Float(third)), -2, .infinity])
  }

  func testPrintedFormLooksLikePyTorch() {
    XCTAssertEqual(Tensor([[1, 2], [3, 4]]).description, "tensor([[1., 2.],\n        [3., 4.]])")
    XCTAssertEqual(Tensor([0.5, -1.25]).description, "tensor([ 0.5000, -1.2500])")
    XCTAssertEqual(
      Tensor([1, 2], dtype: .float64, requiresGrad: true).description,
      "tensor([1., 2.], dtype=float64, requiresGrad=true)")
    XCTAssertEqual(Tensor([1e-6, 1]).description, "tensor([1.0000e-06, 1.0000e+00])")
    XCTAssertEqual(Tensor(2.5).description, "tensor(2.5000)")
    let big = Tensor.zeros([2000])
    XCTAssertEqual(big.description, "tensor([0., 0., 0., ..., 0., 0., 0.])")
    let y = Tensor([1], requiresGrad: true) * 2
    XCTAssertEqual(y.description, "tensor([2.], op=mul)")
  }
}
