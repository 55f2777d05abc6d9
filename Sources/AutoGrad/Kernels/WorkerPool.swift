import Foundation
import Synchronization

/// Runs the parts of a parallel loop on the calling thread and on resident worker threads.
///
/// A training step of a small network is a string of products of 10–50 µs each. Waking a
/// Dispatch worker for each costs 6–13 µs, so such products ran on one core. The workers here
/// stay awake for `spinNanoseconds` after each job, polling for the next one, and only then
/// sleep; a job posted while they poll starts on them within a fraction of a microsecond.
/// Pollers that have waited longer than `quietSpinNanoseconds` yield the processor every few
/// dozen polls, so that on a machine with more runnable threads than cores they do not starve
/// the thread they wait for.
///
/// The calling thread takes parts too, so a job finishes even while every worker sleeps, and a
/// call made while another job runs (from a worker, or from a second thread) simply runs its
/// parts on the calling thread. Which thread runs a part never matters for the result: callers
/// give each part a fixed, disjoint piece of the output.
///
/// The protocol, on one counter `generation` (odd: no job; even: a job is published):
/// - `run` writes the job while `generation` is odd, makes it even, takes parts, waits for all
///   parts to finish, makes it odd again and waits until no worker is inside the job.
/// - A worker that sees a new even value registers in `active`, then checks the value again:
///   only if it is unchanged does it read the job, so it never reads one being written.
package final class WorkerPool: @unchecked Sendable {
  /// One worker per logical CPU beyond the first.
  static let shared = WorkerPool(workers: GEMM.maxThreads - 1)

  /// How long an idle worker polls before it sleeps: longer than the gaps between the products
  /// of a training step, short enough that an idle process stops using a second core at once.
  static let spinNanoseconds: UInt64 = 200_000

  /// How long a poller (a worker waiting for a job, a caller waiting for the parts) polls
  /// before it starts yielding the processor every 64 polls. A `sched_yield` is a system call:
  /// a job posted, or a part finished, while the poller is inside one waits for it to return.
  /// The waits of a training step are mostly shorter than this: C1 took 0.568–0.584 s against
  /// 0.586–0.637 when both yielded from the first 64 polls (8 alternating runs; C2 unchanged).
  static let quietSpinNanoseconds: UInt64 = 20_000

  let workers: Int
  private let generation = Atomic<Int>(1)
  private let active = Atomic<Int>(0)
  private let sleepers = Atomic<Int>(0)
  private let busy = Atomic<Bool>(false)
  private let nextPart = Atomic<Int>(0)
  private let finished = Atomic<Int>(0)
  private let wakeUp = NSCondition()
  // The job: written only while `generation` is odd and no worker is active.
  private var parts = 0
  private var body: ((Int) -> Void)?

  init(workers: Int) {
    self.workers = max(0, workers)
    for index in 0..<self.workers {
      let thread = Thread { [unowned self] in self.serve() }
      thread.name = "autograd-worker-\(index + 1)"
      thread.start()
    }
  }

  /// Calls `body(i)` once for every `i` in `0..<parts`, on this thread and the workers, and
  /// returns when all calls have returned. The calls may run in any order and concurrently.
  func run(parts: Int, _ body: (Int) -> Void) {
    guard parts > 1, workers > 0,
      busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    else {
      for index in 0..<parts { body(index) }
      return
    }
    withoutActuallyEscaping(body) { body in
      self.parts = parts
      self.body = body
      nextPart.store(0, ordering: .relaxed)
      finished.store(0, ordering: .relaxed)
      generation.add(1, ordering: .sequentiallyConsistent)
      if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
        wakeUp.lock()
        wakeUp.broadcast()
        wakeUp.unlock()
      }
      takeParts()
      Self.wait(until: { finished.load(ordering: .acquiring) >= parts })
      generation.add(1, ordering: .sequentiallyConsistent)
      Self.wait(until: { active.load(ordering: .sequentiallyConsistent) == 0 })
      self.body = nil
    }
    busy.store(false, ordering: .releasing)
  }

  /// Claims and runs parts of the published job until none is left.
  private func takeParts() {
    guard let body else { return }
    while true {
      let index = nextPart.wrappingAdd(1, ordering: .relaxed).oldValue
      if index >= parts { return }
      body(index)
      finished.add(1, ordering: .releasing)
    }
  }

  /// The pacing of a polling loop: call `failed()` after each poll that found nothing.
  private struct Poller {
    let start = DispatchTime.now().uptimeNanoseconds
    var polls = 0

    /// Every 64 failed polls, reads the clock, yields the processor once
    /// `quietSpinNanoseconds` have passed (when more threads are runnable than there are
    /// cores, the thread being waited for may need this one's core) and returns the
    /// nanoseconds polled so far; otherwise returns nil.
    mutating func failed() -> UInt64? {
      polls += 1
      guard polls & 63 == 0 else { return nil }
      let elapsed = DispatchTime.now().uptimeNanoseconds - start
      if elapsed > WorkerPool.quietSpinNanoseconds { sched_yield() }
      return elapsed
    }
  }

  /// Polls `done` until it holds (see `Poller`).
  private static func wait(until done: () -> Bool) {
    var poller = Poller()
    while !done() { _ = poller.failed() }
  }

  /// A worker's loop: wait for a job, join it if it is still published, repeat.
  private func serve() {
    var seen = generation.load(ordering: .acquiring)
    while true {
      let current = nextGeneration(after: seen)
      active.add(1, ordering: .sequentiallyConsistent)
      if generation.load(ordering: .sequentiallyConsistent) == current { takeParts() }
      active.subtract(1, ordering: .sequentiallyConsistent)
      seen = current
    }
  }

  /// Polls for a published job newer than `seen` for `spinNanoseconds`, then sleeps until one
  /// is posted. Returns its (even) generation.
  private func nextGeneration(after seen: Int) -> Int {
    func published() -> Int? {
      let value = generation.load(ordering: .sequentiallyConsistent)
      return value != seen && value & 1 == 0 ? value : nil
    }
    var poller = Poller()
    while true {
      if let value = published() { return value }
      if let elapsed = poller.failed(), elapsed > Self.spinNanoseconds { break }
    }
    wakeUp.lock()
    defer { wakeUp.unlock() }
    sleepers.add(1, ordering: .sequentiallyConsistent)
    defer { sleepers.subtract(1, ordering: .sequentiallyConsistent) }
    while true {
      if let value = published() { return value }
      wakeUp.wait()
    }
  }
}

extension WorkerPool {
  /// Elements per thread for element-wise kernels: 16 K floats (64 KiB) take a few
  /// microseconds to stream, several times the cost of handing a part to a polling worker.
  /// At 32 K, C1's 40 K-element update of its second layer ran on one core; at 16 K, C1 took
  /// 0.612–0.628 s against 0.634–0.674 s (5 alternating runs of `Benchmarks --only c1`, commit
  /// 5501ca9).
  static let elementsPerThread = 16_384

  /// Calls `body` on consecutive pieces of `0..<count` (whole multiples of 64 elements, each at
  /// least `minimumPiece` long), in parallel when there is more than one.
  ///
  /// There is at most one piece per thread, the first usually taken by the calling thread, as
  /// in a two-part GEMM: the update of a weight then writes each half of it on the core that
  /// reads that half in the next forward product. Four pieces per thread, taken by whichever
  /// thread was free, made C1 1 % slower (0.536 against 0.531 s, 9 alternating runs each;
  /// C2 and C3 unchanged).
  package static func forEachChunk(
    count: Int, minimumPiece: Int = elementsPerThread, _ body: (Range<Int>) -> Void
  ) {
    // Small buffers (most calls) do not touch the shared pool, a lazily made global.
    let parts = count < 2 * minimumPiece ? 1 : min(shared.workers + 1, count / minimumPiece)
    if parts <= 1 {
      body(0..<count)
      return
    }
    shared.run(parts: parts) { part in
      let lo = part * count / parts / 64 * 64
      let hi = part == parts - 1 ? count : (part + 1) * count / parts / 64 * 64
      body(lo..<hi)
    }
  }
}
