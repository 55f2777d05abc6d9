import Synchronization

/// Large element buffers kept for reuse once their tensors are gone.
///
/// A training step allocates the same large buffers every time (activations, gradients, their
/// temporaries) and frees them at its end. The C library returns large blocks to the operating
/// system when they are freed, so each step paid again for fresh pages: a page fault and the
/// kernel zeroing 4 KiB, per page, measured at 25–35 % of the backward pass of a batch-1024
/// MLP. Buffers of `minimumBytes` or more therefore come from here and return here, grouped by
/// size (rounded up to whole pages), until `limit` bytes are held; the oldest sizes make room
/// for new ones beyond that. Smaller buffers live inside their `TensorStorage` object.
///
/// The memory handed out is uninitialised, as from `malloc`.
final class BufferPool: Sendable {
  /// The process's pool.
  static let shared = BufferPool(limit: 1 << 30)

  /// Buffers below this size are allocated with their storage object instead.
  static let minimumBytes = 1 << 16

  /// The most bytes kept while no tensor uses them.
  let limit: Int

  /// A block of memory, as handed out; its size is a multiple of `pageBytes`.
  struct Block: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let bytes: Int
  }

  private struct Cache: ~Copyable {
    /// Free blocks by size, and the order in which sizes were last given back (oldest first).
    var free: [Int: [Block]] = [:]
    var sizes: [Int] = []
    var heldBytes = 0
  }

  private let cache = Mutex(Cache())
  private static let pageBytes = 4096

  init(limit: Int) { self.limit = limit }

  /// Bytes currently held for reuse.
  var heldBytes: Int { cache.withLock { $0.heldBytes } }

  /// A block of at least `bytes` bytes, aligned to 64 bytes: a kept one of the same rounded size
  /// when there is one, else a new one.
  func take(bytes: Int) -> Block {
    let size = (bytes + Self.pageBytes - 1) / Self.pageBytes * Self.pageBytes
    let reused = cache.withLock { cache -> Block? in
      guard let block = cache.free[size]?.popLast() else { return nil }
      cache.heldBytes -= size
      return block
    }
    return reused ?? Block(pointer: .allocate(byteCount: size, alignment: 64), bytes: size)
  }

  /// Keeps `block` for reuse, freeing blocks of the sizes given back longest ago to stay within
  /// `limit`; a block larger than the limit is freed at once.
  func give(_ block: Block) {
    var released: [Block] = []
    cache.withLock { cache in
      guard block.bytes <= limit else {
        released.append(block)
        return
      }
      while cache.heldBytes + block.bytes > limit, let oldest = cache.sizes.first {
        if let evicted = cache.free[oldest]?.popLast() {
          cache.heldBytes -= evicted.bytes
          released.append(evicted)
        }
        if cache.free[oldest]?.isEmpty ?? true {
          cache.free[oldest] = nil
          cache.sizes.removeFirst()
        }
      }
      if let index = cache.sizes.firstIndex(of: block.bytes) { cache.sizes.remove(at: index) }
      cache.sizes.append(block.bytes)
      cache.free[block.bytes, default: []].append(block)
      cache.heldBytes += block.bytes
    }
    for block in released { block.pointer.deallocate() }
  }

  deinit {
    cache.withLock { cache in
      for blocks in cache.free.values {
        for block in blocks { block.pointer.deallocate() }
      }
    }
  }
}
