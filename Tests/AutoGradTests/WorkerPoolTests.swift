import Foundation
import Synchronization
import XCTest

@testable import AutoGrad

final class WorkerPoolTests: XCTestCase {
  /// Counts how often each part ran.
  final class Tally: Sendable {
    let counts: Mutex<[Int]>
    init(_ parts: Int) { counts = Mutex(Array(repeating: 0, count: parts)) }
    func hit(_ i: Int) { counts.withLock { $0[i] += 1 } }
    var values: [Int] { counts.withLock { $0 } }
  }

  func testEveryPartRunsExactlyOnce() {
    for parts in [0, 1, 2, 3, 7, 64] {
      for _ in 0..<200 {
        let tally = Tally(parts)
        WorkerPool.shared.run(parts: parts) { tally.hit($0) }
        XCTAssertEqual(tally.values, Array(repeating: 1, count: parts), "parts=\(parts)")
      }
    }
  }

  func testNestedRunFinishesOnTheCallingThread() {
    let tally = Tally(4 * 5)
    WorkerPool.shared.run(parts: 4) { outer in
      WorkerPool.shared.run(parts: 5) { inner in tally.hit(outer * 5 + inner) }
    }
    XCTAssertEqual(tally.values, Array(repeating: 1, count: 20))
  }

  func testConcurrentCallersEachGetAllTheirParts() {
    let tallies = (0..<4).map { _ in Tally(9) }
    DispatchQueue.concurrentPerform(iterations: 4) { caller in
      for _ in 0..<100 {
        let tally = Tally(9)
        WorkerPool.shared.run(parts: 9) { tally.hit($0) }
        for (i, count) in tally.values.enumerated() where count == 1 { tallies[caller].hit(i) }
      }
    }
    for tally in tallies { XCTAssertEqual(tally.values, Array(repeating: 100, count: 9)) }
  }

  func testWorkAfterTheWorkersFellAsleep() {
    // Longer than the polling window, so the next job has to wake a sleeping worker (or the
    // caller does all of it); either way every part runs.
    Thread.sleep(forTimeInterval: Double(WorkerPool.spinNanoseconds) * 3e-9)
    let tally = Tally(16)
    WorkerPool.shared.run(parts: 16) { tally.hit($0) }
    XCTAssertEqual(tally.values, Array(repeating: 1, count: 16))
  }
}
