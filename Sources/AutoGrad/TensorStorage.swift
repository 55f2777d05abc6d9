/// The contiguous, aligned memory behind one or more tensors.
///
/// Several tensors share one storage when one is a view of another (`reshape`) or an untracked
/// alias (`detached()`). Kernels read and write it through typed pointers; it never changes size.
final class TensorStorage: @unchecked Sendable {
  /// Start of the buffer; `count` elements of `dtype`.
  let base: UnsafeMutableRawPointer
  /// Number of elements.
  let count: Int
  let dtype: DType

  /// Allocates uninitialised memory for `count` elements of `dtype`.
  init(count: Int, dtype: DType) {
    precondition(count >= 0, "TensorStorage: negative element count \(count)")
    self.count = count
    self.dtype = dtype
    let bytes = max(count, 1) * dtype.byteSize
    // Cache-line alignment for kernels' sake; small buffers take malloc's cheaper 16 bytes.
    base = .allocate(byteCount: bytes, alignment: bytes >= 1024 ? 64 : 16)
  }

  deinit { base.deallocate() }

  /// The buffer as `T`; `T` must match `dtype` (checked in debug builds).
  @inline(__always) func pointer<T: TensorScalar>(as type: T.Type) -> UnsafeMutablePointer<T> {
    assert(T.dtype == dtype, "TensorStorage: \(dtype) buffer read as \(T.dtype)")
    return base.assumingMemoryBound(to: T.self)
  }
}
