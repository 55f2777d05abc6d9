import AutoGrad

/// Iterates over a dataset in mini-batches, like PyTorch's `DataLoader`.
///
/// Each batch is a pair of contiguous tensors: inputs `[B, …]` and targets `[B]` or `[B, C]`.
/// The rows of a batch are copied straight from the dataset into the batch's buffers, one
/// allocation per batch tensor and none per sample. Each batch is a new tensor, so a batch
/// kept by the caller (or saved by the tape for backward) is never overwritten.
///
/// With `shuffle`, epoch `e` visits the samples in a Fisher–Yates permutation drawn from a
/// `SeededGenerator` derived from `(seed, e)`: the same seed gives the same sequence of
/// epochs on every run and platform, a different seed a different one. Iterating the loader
/// (`for (x, y) in loader`) runs the next epoch; `batches(epoch:)` runs a given one.
///
/// ```swift
/// let loader = DataLoader(dataset, batchSize: 50, shuffle: true, seed: 42)
/// loader.batchCount      // 40 for 2000 samples
/// for epoch in 0..<10 {
///   for (x, y) in loader {  // x: [50, 784], y: [50]
///     // forward, loss, backward, step
///   }
/// }
/// ```
public final class DataLoader: Sequence {
  /// The samples.
  public let dataset: TensorDataset
  /// Samples per batch (the last batch may be smaller unless `dropLast`).
  public let batchSize: Int
  /// Whether each epoch uses a new seeded permutation.
  public let shuffle: Bool
  /// The seed the permutations derive from.
  public let seed: UInt64
  /// Whether a final batch smaller than `batchSize` is skipped.
  public let dropLast: Bool
  /// The epoch the next `for … in loader` will run (0 at first).
  public private(set) var epoch = 0

  /// Creates a loader.
  ///
  /// - Precondition: `batchSize > 0`.
  public init(
    _ dataset: TensorDataset, batchSize: Int, shuffle: Bool = false, seed: UInt64 = 0,
    dropLast: Bool = false
  ) {
    precondition(batchSize > 0, "DataLoader: batch size must be positive, got \(batchSize)")
    self.dataset = dataset
    self.batchSize = batchSize
    self.shuffle = shuffle
    self.seed = seed
    self.dropLast = dropLast
  }

  /// Creates a loader over `inputs` `[N, …]` and `targets` `[N, …]`.
  public convenience init(
    inputs: Tensor, targets: Tensor, batchSize: Int, shuffle: Bool = false, seed: UInt64 = 0,
    dropLast: Bool = false
  ) {
    self.init(
      TensorDataset(inputs: inputs, targets: targets), batchSize: batchSize, shuffle: shuffle,
      seed: seed, dropLast: dropLast)
  }

  /// Batches per epoch: `⌊N / B⌋` with `dropLast`, else `⌈N / B⌉`.
  public var batchCount: Int {
    dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
  }

  /// The order in which epoch `epoch` visits the samples (the identity without `shuffle`).
  public func order(epoch: Int) -> [Int] {
    guard shuffle else { return Array(0..<dataset.count) }
    var generator = SeededGenerator(seed: Self.epochSeed(seed, epoch))
    return Self.permutation(dataset.count, using: &generator)
  }

  /// Runs the next epoch and advances `epoch`.
  public func makeIterator() -> Iterator {
    defer { epoch += 1 }
    return batches(epoch: epoch)
  }

  /// The batches of a given epoch, without changing `epoch`.
  public func batches(epoch: Int) -> Iterator {
    Iterator(
      dataset: dataset, order: order(epoch: epoch), batchSize: batchSize, dropLast: dropLast,
      contiguous: !shuffle)
  }

  /// Yields `(inputs, targets)` batches of one epoch (once; it is its own sequence).
  public struct Iterator: IteratorProtocol, Sequence {
    let dataset: TensorDataset
    let order: [Int]
    let batchSize: Int
    let dropLast: Bool
    let contiguous: Bool
    var position = 0

    public mutating func next() -> (inputs: Tensor, targets: Tensor)? {
      let size = Swift.min(batchSize, order.count - position)
      guard size > 0, !(dropLast && size < batchSize) else { return nil }
      let rows = order[position..<position + size]
      position += size
      return (batch(dataset.inputs, rows), batch(dataset.targets, rows))
    }

    private func batch(_ source: Tensor, _ rows: ArraySlice<Int>) -> Tensor {
      // Every element is copied over, so the batch starts uninitialised.
      let result = Tensor(
        uninitializedShape: [rows.count] + source.shape.dropFirst(), dtype: source.dtype)
      if contiguous, let first = rows.first {
        // Unshuffled: the batch is one contiguous block of the source.
        RowGather.copyBlock(source, rows: first..<first + rows.count, into: result)
      } else {
        RowGather.copy(source, rows: rows, into: result)
      }
      return result
    }
  }

  /// A uniformly random permutation of `0..<n` (Fisher–Yates), reproducible from the
  /// generator's state.
  static func permutation(_ n: Int, using generator: inout SeededGenerator) -> [Int] {
    var order = Array(0..<n)
    var i = n - 1
    while i > 0 {
      let j = Int(uniform(below: UInt64(i + 1), using: &generator))
      order.swapAt(i, j)
      i -= 1
    }
    return order
  }

  /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject), written out here so
  /// that shuffles do not depend on the standard library's choice of method.
  static func uniform(below bound: UInt64, using generator: inout SeededGenerator) -> UInt64 {
    var product = generator.next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold {
        product = generator.next().multipliedFullWidth(by: bound)
      }
    }
    return product.high
  }

  /// Mixes the seed and the epoch into one generator seed (SplitMix64's finaliser on each),
  /// so nearby seeds and epochs give unrelated permutations.
  static func epochSeed(_ seed: UInt64, _ epoch: Int) -> UInt64 {
    func mix(_ value: UInt64) -> UInt64 {
      var z = value &+ 0x9E37_79B9_7F4A_7C15
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    return mix(seed ^ mix(UInt64(truncatingIfNeeded: epoch)))
  }
}
