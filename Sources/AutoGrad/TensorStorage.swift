/// What a storage records about its buffer.
struct StorageHeader {
  /// Number of elements.
  let count: Int
  let dtype: DType
  /// Bytes from the start of the tail allocation to the aligned start of the elements.
  let offset: Int
  /// The elements' block when they come from `BufferPool` (large buffers), else `nil`.
  let pooled: BufferPool.Block?
}

/// The contiguous, aligned memory behind one or more tensors.
///
/// Several tensors share one storage when one is a view of another (`reshape`) or an untracked
/// alias (`detached()`). Kernels read and write it through typed pointers; it never changes size.
/// Small buffers are allocated in the same block as the object (`ManagedBuffer`), so a small
/// tensor's memory costs one allocation, not two; large ones come from `BufferPool`, which keeps
/// them for reuse when the storage goes away.
final class TensorStorage: ManagedBuffer<StorageHeader, UInt8> {
  /// Allocates uninitialised memory for `count` elements of `dtype`, aligned to 64 bytes (the
  /// cache line) for buffers of 1 KiB or more and to 16 bytes for smaller ones.
  static func make(count: Int, dtype: DType) -> TensorStorage {
    precondition(count >= 0, "TensorStorage: negative element count \(count)")
    let bytes = max(count, 1) * dtype.byteSize
    if bytes >= BufferPool.minimumBytes {
      let block = BufferPool.shared.take(bytes: bytes)
      let buffer = create(minimumCapacity: 0) { _ in
        StorageHeader(count: count, dtype: dtype, offset: 0, pooled: block)
      }
      return unsafeDowncast(buffer, to: TensorStorage.self)
    }
    let alignment = bytes >= 1024 ? 64 : 16
    let buffer = create(minimumCapacity: bytes + alignment) { buffer in
      let start = buffer.withUnsafeMutablePointerToElements { UInt(bitPattern: $0) }
      let aligned = (start + UInt(alignment - 1)) & ~UInt(alignment - 1)
      return StorageHeader(count: count, dtype: dtype, offset: Int(aligned - start), pooled: nil)
    }
    return unsafeDowncast(buffer, to: TensorStorage.self)
  }

  /// Number of elements.
  var count: Int { withUnsafeMutablePointerToHeader { $0.pointee.count } }
  var dtype: DType { withUnsafeMutablePointerToHeader { $0.pointee.dtype } }

  deinit {
    if let block = withUnsafeMutablePointerToHeader({ $0.pointee.pooled }) {
      BufferPool.shared.give(block)
    }
  }

  /// Start of the elements.
  var base: UnsafeMutableRawPointer {
    withUnsafeMutablePointers { header, elements in
      header.pointee.pooled?.pointer ?? UnsafeMutableRawPointer(elements + header.pointee.offset)
    }
  }

  /// The buffer as `T`; `T` must match `dtype` (checked in debug builds).
  @inline(__always) func pointer<T: TensorScalar>(as type: T.Type) -> UnsafeMutablePointer<T> {
    assert(T.dtype == dtype, "TensorStorage: \(dtype) buffer read as \(T.dtype)")
    return base.assumingMemoryBound(to: T.self)
  }
}
