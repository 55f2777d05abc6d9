import XCTest

@testable import AutoGrad

final class FunctionalTests: XCTestCase {
  /// f(x, y) = x²y + xy² − 6xy, written on a 2-vector p = (x, y).
  func f(_ p: Tensor) -> Tensor {
    let x = p.narrow(axis: 0, start: 0, length: 1)
    let y = p.narrow(axis: 0, start: 1, length: 1)
    return (x * x * y + x * y * y - 6 * x * y).sum()
  }

  func testHessianAtTheLocalMinimum() {
    let h = hessian(at: Tensor([1.5, 3], dtype: .float64), of: f)
    XCTAssertEqual(h.shape, [2, 2])
    assertClose(h.values, [6, 3, 3, 3], accuracy: 1e-12)
  }

  func testHessianAtTheOrigin() {
    let h = hessian(at: Tensor([0, 0], dtype: .float64), of: f)
    assertClose(h.values, [0, -6, -6, 0], accuracy: 1e-12)
  }

  func testGradientAndValueWithGradient() {
    // ∇f = (2xy + y² − 6y, x² + 2xy − 6x): zero at the critical point (2, 2). Report 004 solves
    // x² + 2x(6 − 2x) − 6x = 0 as x ∈ {0, 3/2}; the roots are 0 and 2, and at (3/2, 3) ∂f/∂y = 9/4.
    let p = Tensor([2, 2], dtype: .float64)
    assertClose(gradient(at: p, of: f).values, [0, 0], accuracy: 1e-12)
    assertClose(
      gradient(at: Tensor([1.5, 3], dtype: .float64), of: f).values, [0, 2.25], accuracy: 1e-12)
    let (value, g) = valueWithGradient(at: Tensor([1, 2], dtype: .float64), of: f)
    XCTAssertEqual(value.item(), 2 + 4 - 12)
    assertClose(g.values, [4 + 4 - 12, 1 + 4 - 6], accuracy: 1e-12)
    XCTAssertNil(p.grad, "the caller's tensor is untouched")
  }

  func testJacobianVJPAndHessianVectorProduct() {
    let x = Tensor([1, 2, 3], dtype: .float64)
    let j = jacobian(at: x) { $0 * $0 }
    XCTAssertEqual(j.shape, [3, 3])
    assertClose(j.values, [2, 0, 0, 0, 4, 0, 0, 0, 6])
    let (_, v) = vjp(at: x, cotangent: Tensor([1, 1, 1], dtype: .float64)) { $0.pow(3) }
    assertClose(v.values, [3, 12, 27])
    let hv = hessianVectorProduct(
      at: Tensor([1.5, 3], dtype: .float64), vector: Tensor([1, 0], dtype: .float64), of: f)
    assertClose(hv.values, [6, 3], accuracy: 1e-12)
  }

  func testGradientsOfIgnoresUnusedInputs() {
    let a = Tensor([1, 2], dtype: .float64, requiresGrad: true)
    let b = Tensor([5], dtype: .float64, requiresGrad: true)
    let g = gradients(of: (a * a).sum(), withRespectTo: [a, b])
    XCTAssertEqual(g[0].values, [2, 4])
    XCTAssertEqual(g[1].values, [0])
    XCTAssertNil(a.grad, "gradients(of:) returns, it does not accumulate")
  }
}
