import AutoGrad
import Synchronization

/// How to hold out a validation set.
public enum ValidationSplit: Sendable, Equatable {
  /// The last `count` samples, in order (Keras' `validation_split`).
  case last(Int)
  /// `count` samples drawn at random with a seeded generator; both parts keep their original
  /// relative order.
  case random(count: Int, seed: UInt64)
}

/// Paired inputs and targets whose first dimension indexes samples, like PyTorch's
/// `TensorDataset`; the source of a `DataLoader`.
///
/// Shapes: `inputs` `[N, …]` (usually `[N, D]`), `targets` `[N]` (class indices) or
/// `[N, C]` (one-hot, probabilities, regression targets).
///
/// ```swift
/// let data = TensorDataset(inputs: train.features(), targets: train.labelsTensor())
/// let (fit, held) = data.split(.last(10_000))
/// ```
public struct TensorDataset {
  /// The inputs, one sample per row.
  public let inputs: Tensor
  /// The targets, one per sample.
  public let targets: Tensor

  /// Pairs inputs with targets.
  ///
  /// - Precondition: both have rank ≥ 1 and the same first dimension.
  public init(inputs: Tensor, targets: Tensor) {
    precondition(
      !inputs.shape.isEmpty && !targets.shape.isEmpty && inputs.shape[0] == targets.shape[0],
      "TensorDataset: inputs \(inputs.shape) and targets \(targets.shape) must have the same "
        + "first dimension")
    self.inputs = inputs
    self.targets = targets
  }

  /// Number of samples.
  public var count: Int { inputs.shape[0] }

  /// The samples at `indices`, in that order, copied into new tensors.
  public func subset(_ indices: [Int]) -> TensorDataset {
    TensorDataset(
      inputs: RowGather.gather(inputs, rows: indices),
      targets: RowGather.gather(targets, rows: indices))
  }

  /// Splits into a training part and a validation part.
  ///
  /// - Precondition: the validation count is in `0...count`.
  public func split(_ split: ValidationSplit) -> (train: TensorDataset, validation: TensorDataset) {
    switch split {
    case .last(let n):
      precondition(n >= 0 && n <= count, "TensorDataset.split: \(n) of \(count) samples")
      return (subset(Array(0..<count - n)), subset(Array(count - n..<count)))
    case .random(let n, let seed):
      precondition(n >= 0 && n <= count, "TensorDataset.split: \(n) of \(count) samples")
      var generator = SeededGenerator(seed: seed)
      let order = DataLoader.permutation(count, using: &generator)
      let validation = order[0..<n].sorted()
      let train = order[n...].sorted()
      return (subset(train), subset(validation))
    }
  }
}

/// Copies selected rows (first-dimension slices) of a tensor into a new contiguous tensor.
enum RowGather {
  /// Elements per row: the product of all dimensions but the first.
  static func rowSize(_ tensor: Tensor) -> Int {
    tensor.shape.dropFirst().reduce(1, *)
  }

  /// A new tensor `[rows.count, …]` holding `source`'s rows at `rows`, in order.
  static func gather(_ source: Tensor, rows: some Collection<Int>) -> Tensor {
    let result = Tensor(
      uninitializedShape: [rows.count] + source.shape.dropFirst(), dtype: source.dtype)
    copy(source, rows: rows, into: result)
    return result
  }

  /// Copies `source`'s rows at `rows` into `destination`, which has exactly that many rows.
  static func copy(_ source: Tensor, rows: some Collection<Int>, into destination: Tensor) {
    switch source.dtype {
    case .float32: copy(source, rows: rows, into: destination, as: Float.self)
    case .float64: copy(source, rows: rows, into: destination, as: Double.self)
    }
  }

  /// Copies the consecutive rows `rows` of `source` into `destination` with one memory copy.
  static func copyBlock(_ source: Tensor, rows: Range<Int>, into destination: Tensor) {
    precondition(
      rows.lowerBound >= 0 && rows.upperBound <= source.shape[0],
      "copyBlock: rows \(rows) out of 0..<\(source.shape[0])")
    let size = rowSize(source)
    switch source.dtype {
    case .float32:
      source.withUnsafeBufferPointer(as: Float.self) { src in
        destination.withUnsafeMutableBufferPointer(as: Float.self) { dst in
          copyElements(src, from: rows.lowerBound * size, count: rows.count * size, to: dst)
        }
      }
    case .float64:
      source.withUnsafeBufferPointer(as: Double.self) { src in
        destination.withUnsafeMutableBufferPointer(as: Double.self) { dst in
          copyElements(src, from: rows.lowerBound * size, count: rows.count * size, to: dst)
        }
      }
    }
  }

  private static func copyElements<T>(
    _ src: UnsafeBufferPointer<T>, from start: Int, count: Int,
    to dst: UnsafeMutableBufferPointer<T>
  ) {
    precondition(count <= dst.count && start + count <= src.count, "copyBlock: out of range")
    guard count > 0, let from = src.baseAddress, let to = dst.baseAddress else { return }
    to.update(from: from + start, count: count)
  }

  /// Elements per piece of a gather: rows from random places of a large source arrive at the
  /// memory's latency, not its bandwidth, so a second thread pays off far below the
  /// element-wise kernels' piece size. A batch-16 MNIST gather (12.5 K floats) in pieces of
  /// 4 K instead of one took C1's data time from 9.4–10.7 to 7.2–7.9 µs a step (C1
  /// 0.549–0.566 s against 0.558–0.622, 8 alternating runs, session 8; up to three pieces then,
  /// one per thread since session 9).
  static let gatherPiece = 4096

  /// Loads the first element of every 4 KiB page of the source rows behind `range` of the
  /// destination (and each segment's last), before any of them is copied.
  ///
  /// Copied one after another, random rows each start with a TLB miss and a miss to memory,
  /// one at a time. These loads do not depend on each other, so the core has all of them in
  /// flight at once, and the copies find their first lines and page translations ready. C1's
  /// data time went from 9.5–12.7 to 8.1–10.6 µs a step, C2's from 494–504 to 444–457 (5 and 3
  /// alternating runs, session 9, a loaded machine). The sum only keeps the loads from being
  /// optimised away.
  private static func touchPages<T: TensorScalar>(
    from: UnsafePointer<T>, rows: [Int], size: Int, range: Range<Int>
  ) {
    let step = 4096 / MemoryLayout<T>.stride
    var sum: T = 0
    forEachSegment(of: range, rows: rows, size: size) { _, start, n in
      let segment = from + start
      for q in stride(from: 0, to: n, by: step) { sum += segment[q] }
      sum += segment[n - 1]
    }
    touchedSum.store(Double(sum).bitPattern, ordering: .relaxed)
  }

  /// Calls `body(e, s, n)` for the row segments behind `range` of a gather's destination, in
  /// order: destination elements `e..<e+n` come from source elements `s..<s+n`, one row of
  /// `size` elements (or the part of it inside `range`) at a time.
  @inline(__always)
  private static func forEachSegment(
    of range: Range<Int>, rows: [Int], size: Int, _ body: (Int, Int, Int) -> Void
  ) {
    var e = range.lowerBound
    while e < range.upperBound {
      let (row, offset) = e.quotientAndRemainder(dividingBy: size)
      let n = Swift.min(size - offset, range.upperBound - e)
      body(e, rows[row] * size + offset, n)
      e += n
    }
  }

  /// Where `touchPages` leaves its sum (never read).
  private static let touchedSum = Atomic<UInt64>(0)

  /// Copies are split between threads (`WorkerPool.forEachChunk`, pieces of at least
  /// `gatherPiece` elements): each piece is a range of destination elements, copied row segment
  /// by row segment.
  private static func copy<T: TensorScalar>(
    _ source: Tensor, rows: some Collection<Int>, into destination: Tensor, as type: T.Type
  ) {
    let size = rowSize(source)
    let available = source.shape[0]
    let rows = Array(rows)
    for row in rows {
      precondition(row >= 0 && row < available, "gather: row \(row) out of 0..<\(available)")
    }
    guard size > 0 else { return }
    source.withUnsafeBufferPointer(as: T.self) { src in
      destination.withUnsafeMutableBufferPointer(as: T.self) { dst in
        guard let from = src.baseAddress, let to = dst.baseAddress else { return }
        WorkerPool.forEachChunk(count: rows.count * size, minimumPiece: gatherPiece) { range in
          touchPages(from: from, rows: rows, size: size, range: range)
          forEachSegment(of: range, rows: rows, size: size) { e, start, n in
            (to + e).update(from: from + start, count: n)
          }
        }
      }
    }
  }
}
