import AutoGrad
import Foundation
import XCTest

@testable import Optim

final class LearningRateScheduleTests: XCTestCase {
  // MARK: Closed forms

  func testCountdownFromFiveGivesFiveFourThreeTwoOneOneOne() {
    XCTAssertEqual(CountdownLR(start: 5).learningRates(count: 7), [5, 4, 3, 2, 1, 1, 1])
  }

  func testCountdownFromOneStaysAtOne() {
    XCTAssertEqual(CountdownLR(start: 1).learningRates(count: 3), [1, 1, 1])
    XCTAssertEqual(CountdownLR(start: 3).learningRate(at: Int.max), 1)
  }

  func testTimeBasedDecayIsInitialOverOnePlusKT() {
    let schedule = TimeBasedDecayLR(initial: 0.5, decay: 0.01)
    for t in [0, 1, 2, 10, 99, 1000] {
      XCTAssertEqual(schedule.learningRate(at: t), 0.5 / (1 + 0.01 * Double(t)))
    }
    XCTAssertEqual(schedule.learningRate(at: 0), 0.5)
    XCTAssertEqual(schedule.learningRate(at: 100), 0.25)
    XCTAssertEqual(
      TimeBasedDecayLR(initial: 0.3, decay: 0).learningRates(count: 3), [0.3, 0.3, 0.3])
  }

  /// torch's `get_last_lr()` sequences (t = 0 … 9), printed by
  /// `scripts/reference/optim_schedules.py`; torch multiplies recursively, we use the closed
  /// form, so the last bits may differ.
  func testStepExponentialAndLambdaMatchPyTorch() {
    assertClose(
      StepLR(initial: 0.1, stepSize: 3, gamma: 0.5).learningRates(count: 10),
      ScheduleReference.stepLR, accuracy: 1e-16, "StepLR")
    assertClose(
      ExponentialLR(initial: 0.1, gamma: 0.9).learningRates(count: 10),
      ScheduleReference.exponentialLR, accuracy: 1e-16, "ExponentialLR")
    let lambda = LambdaLR(initial: 0.2) { t in 1 / Foundation.pow(Double(1 + t), 0.5) }
    assertClose(
      lambda.learningRates(count: 10), ScheduleReference.lambdaLR, accuracy: 1e-16, "LambdaLR")
  }

  func testStepLRBoundaries() {
    let schedule = StepLR(initial: 1, stepSize: 2, gamma: 0.5)
    XCTAssertEqual(schedule.learningRates(count: 6), [1, 1, 0.5, 0.5, 0.25, 0.25])
    XCTAssertEqual(
      StepLR(initial: 1, stepSize: 1, gamma: 0.5).learningRates(count: 3), [1, 0.5, 0.25])
  }

  // MARK: Driving an optimiser

  func testSchedulerSetsInitialRateThenOneRatePerStep() {
    let p = Tensor([0], requiresGrad: true)
    let optimizer = SGD(parameters: [p], learningRate: 123)
    let scheduler = LearningRateScheduler(optimizer, schedule: CountdownLR(start: 3))
    var seen = [optimizer.learningRate]
    for _ in 0..<4 {
      scheduler.step()
      seen.append(optimizer.learningRate)
      XCTAssertEqual(scheduler.lastLearningRate, optimizer.learningRate)
    }
    XCTAssertEqual(seen, [3, 2, 1, 1, 1])
    XCTAssertEqual(scheduler.stepCount, 4)
  }

  func testSchedulerDrivesAdamLearningRate() {
    let p = Tensor([0], requiresGrad: true)
    let optimizer = Adam(parameters: [p])
    let scheduler = LearningRateScheduler(
      optimizer, schedule: TimeBasedDecayLR(initial: 0.2, decay: 0.5))
    XCTAssertEqual(optimizer.learningRate, 0.2)
    scheduler.step()
    scheduler.step()
    XCTAssertEqual(optimizer.learningRate, 0.2 / (1 + 0.5 * 2))
  }

  /// SGD with momentum whose rate a StepLR (step 2, γ = 0.5) halves every two steps, against
  /// torch (`ScheduleReference.stepLRMomentum`, from `scripts/reference/optim_schedules.py`).
  func testStepLRDrivenSGDMatchesPyTorch() {
    assertMatchesReference(
      ScheduleReference.stepLRMomentum,
      makeScheduler: { optimizer in
        LearningRateScheduler(optimizer, schedule: StepLR(initial: 0.1, stepSize: 2, gamma: 0.5))
      },
      makeOptimizer: { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9) })
  }

  func testCountdownDrivesPlainSGDStepSizes() {
    // With a gradient of 1, each step moves p by the current rate: 3 + 2 + 1 + 1.
    let p = Tensor([0], dtype: .float64, requiresGrad: true)
    let optimizer = SGD(parameters: [p])
    let scheduler = LearningRateScheduler(optimizer, schedule: CountdownLR(start: 3))
    for _ in 0..<4 {
      p.grad = Tensor([1], dtype: .float64)
      optimizer.step()
      scheduler.step()
    }
    XCTAssertEqual(p.item(), -7)
  }
}

// Printed by scripts/reference/optim_schedules.py (torch 2.15.0+cu132).
enum ScheduleReference {
  static let stepLR: [Double] = [
    0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125,
  ]
  static let exponentialLR: [Double] = [
    0.1, 0.09000000000000001, 0.08100000000000002, 0.07290000000000002, 0.06561000000000002,
    0.05904900000000002, 0.05314410000000002, 0.04782969000000002, 0.043046721000000024,
    0.03874204890000002,
  ]
  static let lambdaLR: [Double] = [
    0.2, 0.1414213562373095, 0.11547005383792518, 0.1, 0.08944271909999159, 0.08164965809277262,
    0.07559289460184544, 0.07071067811865475, 0.06666666666666667, 0.0632455532033676,
  ]
  static let stepLRMomentum = RegressionReference(
    losses32: [
      0.6273750066757202, 0.5157746076583862, 0.36779505014419556, 0.30542200803756714,
      0.2608104348182678, 0.24695523083209991, 0.23816902935504913, 0.2352490872144699,
      0.2328377068042755, 0.23166172206401825,
    ],
    weight32: [
      0.35351312160491943, -0.2791004180908203, 0.19843152165412903, 0.07276839017868042,
      0.2729310989379883, -0.03656281530857086,
    ],
    bias32: [
      0.06518010795116425, -0.12839454412460327,
    ],
    losses64: [
      0.627375, 0.5157745487175001, 0.3677950233128879, 0.30542204736868533, 0.26081044809898823,
      0.2469552257658892, 0.23816905132764657, 0.2352490788825131, 0.2328376992622217,
      0.23166173161667233,
    ],
    weight64: [
      0.3535130784557183, -0.2791004180333482, 0.19843154882972558, 0.07276839486024943,
      0.2729311240112128, -0.03656280857312398,
    ],
    bias64: [
      0.06518011241120435, -0.12839456011529674,
    ])
}
