import AutoGrad
import XCTest

@testable import Optim

/// The regression the PyTorch reference scripts train (`scripts/reference/optim_common.py`
/// holds the same numbers): `loss = mean((x·Wᵀ + b − y)²)` with x `[5, 3]`, y `[5, 2]`.
enum RegressionFixture {
  static let x: [[Double]] = [
    [0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [-0.3, 0.8, 0.1], [1.0, 1.0, -1.0], [0.0, -0.5, 0.7],
  ]
  static let y: [[Double]] = [[1.0, -0.5], [0.2, 0.3], [-1.2, 0.9], [0.4, 0.0], [0.6, -0.8]]
  static let weight: [[Double]] = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]
  static let bias: [Double] = [0.05, -0.1]
}

/// What a reference script printed for one optimiser configuration: the loss before each step
/// and the parameters after the last one, from a float32 and a float64 run.
struct RegressionReference {
  let losses32: [Double]
  let weight32: [Double]
  let bias32: [Double]
  let losses64: [Double]
  let weight64: [Double]
  let bias64: [Double]
}

/// The result of `trainRegression`.
struct RegressionRun {
  var losses: [Double] = []
  var weight: [Double] = []
  var bias: [Double] = []
}

/// Trains the fixture's regression for `steps` steps with our tape and the optimiser made by
/// `makeOptimizer` (from `[weight, bias]`), the same loop as `optim_common.train`.
func trainRegression(
  dtype: DType, steps: Int = 10, makeOptimizer: ([Tensor]) -> any Optimizer,
  makeScheduler: ((any Optimizer) -> LearningRateScheduler)? = nil
) -> RegressionRun {
  let x = Tensor(RegressionFixture.x, dtype: dtype)
  let y = Tensor(RegressionFixture.y, dtype: dtype)
  let w = Tensor(RegressionFixture.weight, dtype: dtype, requiresGrad: true)
  let b = Tensor(RegressionFixture.bias, dtype: dtype, requiresGrad: true)
  let optimizer = makeOptimizer([w, b])
  let scheduler = makeScheduler?(optimizer)
  var run = RegressionRun()
  for _ in 0..<steps {
    optimizer.zeroGrad()
    let loss = (Tensor.linear(x, weight: w, bias: b) - y).pow(2).mean()
    loss.backward()
    optimizer.step()
    scheduler?.step()
    run.losses.append(loss.item())
  }
  run.weight = w.scalars(as: Double.self)
  run.bias = b.scalars(as: Double.self)
  return run
}

/// Trains with `makeOptimizer` in float32 and float64 and compares with `reference`: float32 to
/// `accuracy32`, float64 to `accuracy64` (absolute).
func assertMatchesReference(
  _ reference: RegressionReference, accuracy32: Double = 1e-5, accuracy64: Double = 1e-14,
  file: StaticString = #filePath, line: UInt = #line,
  makeScheduler: ((any Optimizer) -> LearningRateScheduler)? = nil,
  makeOptimizer: ([Tensor]) -> any Optimizer
) {
  let run32 = trainRegression(
    dtype: .float32, makeOptimizer: makeOptimizer, makeScheduler: makeScheduler)
  assertClose(run32.losses, reference.losses32, accuracy: accuracy32, "float32 losses", file, line)
  assertClose(run32.weight, reference.weight32, accuracy: accuracy32, "float32 weight", file, line)
  assertClose(run32.bias, reference.bias32, accuracy: accuracy32, "float32 bias", file, line)
  let run64 = trainRegression(
    dtype: .float64, makeOptimizer: makeOptimizer, makeScheduler: makeScheduler)
  assertClose(run64.losses, reference.losses64, accuracy: accuracy64, "float64 losses", file, line)
  assertClose(run64.weight, reference.weight64, accuracy: accuracy64, "float64 weight", file, line)
  assertClose(run64.bias, reference.bias64, accuracy: accuracy64, "float64 bias", file, line)
}

/// Asserts two arrays have the same length and are elementwise within `accuracy`.
func assertClose(
  _ actual: [Double], _ expected: [Double], accuracy: Double, _ what: String = "",
  _ file: StaticString = #filePath, _ line: UInt = #line
) {
  XCTAssertEqual(actual.count, expected.count, "\(what): count", file: file, line: line)
  for (i, (a, e)) in zip(actual, expected).enumerated() where !(Swift.abs(a - e) <= accuracy) {
    XCTFail(
      "\(what) element \(i): \(a) vs expected \(e) (difference \(Swift.abs(a - e)), accuracy "
        + "\(accuracy))", file: file, line: line)
    return
  }
}

extension Tensor {
  /// Elements as doubles, for assertions.
  var values: [Double] { scalars(as: Double.self) }
}
