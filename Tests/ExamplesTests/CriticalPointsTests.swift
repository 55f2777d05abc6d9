import AutoGrad
import XCTest

@testable import Examples

/// E17: Newton's method with the tape's gradient and Hessian finds the four critical points of
/// f(x, y) = x²y + xy² − 6xy — three saddles and the local minimum (2, 2), not report 004's
/// (3/2, 3).
final class CriticalPointsTests: XCTestCase {
  func testNewtonFromTheGridFindsExactlyFourCriticalPoints() {
    let starts = NewtonCriticalPoints.grid(from: -2, to: 8, step: 1)
    XCTAssertEqual(starts.count, 121)
    let (points, outcomes) = NewtonCriticalPoints.search(starts: starts)
    XCTAssertEqual(outcomes.count, 121)
    XCTAssertEqual(points.map { [$0.x, $0.y] }, [[0, 0], [0, 6], [2, 2], [6, 0]])
    XCTAssertEqual(
      points.map(\.kind), [.saddle, .saddle, .localMinimum, .saddle],
      "(0, 0), (0, 6), (6, 0) saddles; (2, 2) local minimum")
    XCTAssertEqual(points.map(\.value), [0, 0, -8, 0])
    XCTAssertEqual(
      points.reduce(0) { $0 + $1.starts.count } + outcomes.filter { $0 == .singular }.count, 121)
  }

  func testClassificationByHessianEigenvalues() {
    let minimum = NewtonCriticalPoints.classify(hessian: [[4, 2], [2, 4]])
    XCTAssertEqual(minimum.kind, .localMinimum)
    XCTAssertEqual(minimum.eigenvalues.0, 2, accuracy: 1e-12)
    XCTAssertEqual(minimum.eigenvalues.1, 6, accuracy: 1e-12)
    XCTAssertEqual(NewtonCriticalPoints.classify(hessian: [[0, -6], [-6, 0]]).kind, .saddle)
    XCTAssertEqual(
      NewtonCriticalPoints.classify(hessian: [[-2, 1], [1, -3]]).kind, .localMaximum)
    XCTAssertEqual(NewtonCriticalPoints.classify(hessian: [[6, 0], [0, 0]]).kind, .degenerate)
  }

  func testReportsFourthPointIsNotCritical() {
    let claim = D10CriticalPoints.reportClaim
    let g = gradient(at: Tensor([claim.x, claim.y], dtype: .float64), of: NewtonCriticalPoints.f)
    XCTAssertEqual(g[0], 0, accuracy: 1e-12)
    XCTAssertEqual(g[1], 2.25, accuracy: 1e-12)
    // Newton's method started there leaves it for a true critical point.
    guard case .converged(let x, let y, let iterations) = NewtonCriticalPoints.newton(from: claim)
    else { return XCTFail("Newton's method from (3/2, 3) did not converge") }
    XCTAssertGreaterThan(iterations, 0)
    XCTAssertFalse(Swift.abs(x - 1.5) < 1e-6 && Swift.abs(y - 3) < 1e-6)
  }

  func testNewtonConvergesQuadraticallyNearTheMinimum() {
    guard
      case .converged(let x, let y, let iterations) = NewtonCriticalPoints.newton(from: (2.2, 1.9))
    else { return XCTFail("no convergence from (2.2, 1.9)") }
    XCTAssertEqual(x, 2, accuracy: 1e-12)
    XCTAssertEqual(y, 2, accuracy: 1e-12)
    XCTAssertLessThanOrEqual(iterations, 6)
  }

  func testNewtonStopsWhereTheHessianIsSingular() {
    // H(0, 3) = [[6, 0], [0, 0]] while ∇f(0, 3) = (−9, 0): no Newton step exists.
    XCTAssertEqual(NewtonCriticalPoints.newton(from: (0, 3)), .singular)
  }
}
