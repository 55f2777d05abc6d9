import Foundation
import Synchronization

/// A seedable, reproducible random number generator (xoshiro256**, seeded through SplitMix64).
///
/// The same seed gives the same sequence on every platform, so a seed reproduces a run bit for
/// bit: initialisation, dropout masks and shuffling all draw from generators like this one.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: (UInt64, UInt64, UInt64, UInt64)

  /// Creates a generator whose whole sequence is determined by `seed`.
  public init(seed: UInt64) {
    var s = seed
    func splitMix() -> UInt64 {
      s &+= 0x9E37_79B9_7F4A_7C15
      var z = s
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (splitMix(), splitMix(), splitMix(), splitMix())
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = rotl(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotl(state.3, 45)
    return result
  }

  @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
  }

  /// A uniform double in [0, 1) with 53 random bits.
  public mutating func nextUnitDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A standard normal sample (Box–Muller, one sample per call so the stream stays simple).
  public mutating func nextNormal() -> Double {
    var u1 = nextUnitDouble()
    while u1 <= .leastNormalMagnitude { u1 = nextUnitDouble() }
    let u2 = nextUnitDouble()
    return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
  }
}

/// The process-wide default generator, used when no generator is passed (like PyTorch's global
/// generator). Guarded by a mutex so it is safe under Swift 6 strict concurrency; reseed it with
/// `manualSeed(_:)`.
public enum DefaultGenerator {
  private static let shared = Mutex(SeededGenerator(seed: 0))

  /// Reseeds the default generator, like `torch.manual_seed`.
  public static func manualSeed(_ seed: UInt64) {
    shared.withLock { $0 = SeededGenerator(seed: seed) }
  }

  /// A new generator seeded from the next draw of the default one: reproducible after
  /// `manualSeed(_:)`, and independent of later draws.
  public static func split() -> SeededGenerator {
    shared.withLock { SeededGenerator(seed: $0.next()) }
  }

  /// Runs `body` with exclusive access to the default generator.
  public static func withGenerator<R>(_ body: (inout SeededGenerator) throws -> R) rethrows -> R {
    try shared.withLock { try body(&$0) }
  }
}

/// Reseeds the default generator, like `torch.manual_seed`.
public func manualSeed(_ seed: UInt64) { DefaultGenerator.manualSeed(seed) }
