import AutoGrad
import Foundation

/// Reads and writes checkpoints in the [safetensors](https://github.com/huggingface/safetensors)
/// format, which PyTorch (`safetensors.torch.save_file` / `load_file`) reads and writes too.
///
/// A file is an 8-byte little-endian header length `N`, then `N` bytes of JSON describing each
/// tensor (`{"fc.weight": {"dtype": "F32", "shape": [3, 4], "data_offsets": [0, 48]}, …}`,
/// plus an optional `"__metadata__"` object of strings), then the raw little-endian data of the
/// tensors, back to back.
///
/// Writes are atomic: the file is written to a temporary file in the same directory, flushed,
/// and renamed over the target, so the target is either the old file or the complete new one.
/// Reads validate the whole header against the file's size before allocating any tensor; a
/// truncated, corrupt or hostile file throws a `SafeTensorsError`, never crashes.
///
/// ```swift
/// let url = URL(fileURLWithPath: "model.safetensors")
/// try SafeTensors.write(
///   [("fc.weight", weight), ("fc.bias", bias)], metadata: ["epoch": "3"], to: url)
/// let tensors = try SafeTensors.read(from: url)  // [(name: "fc.weight", tensor: …), …]
/// let metadata = try SafeTensors.readMetadata(from: url)  // ["epoch": "3"]
/// ```
///
/// dtypes: float32 tensors are stored as `F32`, float64 as `F64`. Reading also accepts `F16`
/// and `BF16`, converted exactly to float32; any other dtype throws `.unsupportedDType`.
public enum SafeTensors {
  /// The largest header accepted, in bytes (the Python library's limit).
  public static let maxHeaderSize = 100_000_000

  /// Writes `tensors`, in order, and `metadata` to `url`, atomically.
  ///
  /// The data is written bit for bit (NaN payloads, `-0.0` and subnormals included); gradients
  /// and `requiresGrad` are not saved. An existing file at `url` is replaced.
  ///
  /// - Parameters:
  ///   - tensors: Named tensors, as `Module.stateDict()` returns them. Names must be unique and
  ///     not `__metadata__`.
  ///   - metadata: Free-form strings stored in the header (`"format": "pt"`, an epoch, …).
  ///   - url: A file URL; its directory must exist.
  /// - Throws: `.duplicateTensor` or `.reservedName` for bad names (nothing is written);
  ///   `.unwritable` when the file cannot be created, written or renamed (the target is
  ///   unchanged and the temporary file removed).
  public static func write(
    _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:], to url: URL
  ) throws(SafeTensorsError) {
    let path = try filePath(url, reading: false)
    var header = SafeTensorsHeader(entries: [], metadata: metadata)
    var names = Set<String>()
    var cursor = 0
    for (name, tensor) in tensors {
      guard name != SafeTensorsHeader.metadataKey else {
        throw .reservedName(path: path, name: name)
      }
      guard names.insert(name).inserted else { throw .duplicateTensor(path: path, name: name) }
      let storage = StorageType(tensor.dtype)
      let size = tensor.count * storage.byteSize
      header.entries.append(
        .init(name: name, dtype: storage, shape: tensor.shape, begin: cursor, end: cursor + size))
      cursor += size
    }
    let headerBytes = header.encoded()
    try AtomicFile.write(to: path) { (file) throws(SafeTensorsError) in
      let length = UInt64(headerBytes.count)
      try file.write((0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) })
      try file.write(headerBytes)
      for (_, tensor) in tensors { try file.write(tensor) }
    }
  }

  /// Reads every tensor of the file at `url`, in the order of their data in the file (for
  /// files written by `write`, the order they were given in).
  ///
  /// The tensors are new leaves (`requiresGrad == false`). `F32` gives float32 tensors, `F64`
  /// float64; `F16` and `BF16` are converted exactly to float32.
  ///
  /// - Throws: a `SafeTensorsError` naming the file, the tensor and the problem, for a missing
  ///   or unreadable file, a truncated file, a malformed header, an unsupported dtype, a shape
  ///   that disagrees with its data offsets, or data ranges that overlap, leave gaps or do not
  ///   cover the data section exactly. Nothing is allocated until the header has been checked.
  public static func read(
    from url: URL
  ) throws(SafeTensorsError) -> [(name: String, tensor: Tensor)] {
    let (file, header, dataStart) = try openValidated(url)
    var tensors: [(name: String, tensor: Tensor)] = []
    tensors.reserveCapacity(header.entries.count)
    for entry in header.entries {
      tensors.append((entry.name, try readTensor(entry, from: file, at: dataStart + entry.begin)))
    }
    return tensors
  }

  /// The `__metadata__` strings of the file at `url` (empty when it has none). Only the header
  /// is read, but all of it is validated as `read(from:)` does.
  public static func readMetadata(from url: URL) throws(SafeTensorsError) -> [String: String] {
    try openValidated(url).header.metadata
  }

  // MARK: - Reading

  /// Opens the file and validates its length prefix and header.
  private static func openValidated(
    _ url: URL
  ) throws(SafeTensorsError) -> (file: InputFile, header: SafeTensorsHeader, dataStart: Int) {
    let path = try filePath(url, reading: true)
    let file = try InputFile(path: path)
    let prefixSize = SafeTensorsHeader.Scanner.headerStart
    guard file.size >= prefixSize else {
      throw .truncated(path: path, expected: prefixSize, actual: file.size)
    }
    let length = try file.read(at: 0, count: prefixSize).reversed()
      .reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    guard length <= UInt64(maxHeaderSize) else {
      throw .headerTooLarge(path: path, length: length, limit: maxHeaderSize)
    }
    let headerSize = Int(length)
    guard headerSize <= file.size - prefixSize else {
      throw .truncated(path: path, expected: prefixSize + headerSize, actual: file.size)
    }
    let bytes = try file.read(at: prefixSize, count: headerSize)
    let dataStart = prefixSize + headerSize
    let header = try SafeTensorsHeader.decode(
      bytes, path: path, dataSize: file.size - dataStart)
    return (file, header, dataStart)
  }

  /// Allocates one validated entry's tensor and fills it from `offset`.
  private static func readTensor(
    _ entry: SafeTensorsHeader.Entry, from file: InputFile, at offset: Int
  ) throws(SafeTensorsError) -> Tensor {
    switch entry.dtype {
    case .f32: return try readScalars(Float.self, shape: entry.shape, from: file, at: offset)
    case .f64: return try readScalars(Double.self, shape: entry.shape, from: file, at: offset)
    case .f16, .bf16:
      let bytes = try file.read(at: offset, count: entry.end - entry.begin)
      let convert =
        entry.dtype == .f16 ? HalfPrecision.float(fromHalf:) : HalfPrecision.float(fromBFloat16:)
      let tensor = Tensor.zeros(entry.shape, dtype: .float32)
      tensor.withUnsafeMutableBufferPointer(as: Float.self) { out in
        for i in out.indices {
          out[i] = convert(UInt16(bytes[2 * i]) | UInt16(bytes[2 * i + 1]) << 8)
        }
      }
      return tensor
    }
  }

  /// Reads `T`s stored little-endian straight into a new tensor's buffer.
  private static func readScalars<T: TensorScalar>(
    _ type: T.Type, shape: [Int], from file: InputFile, at offset: Int
  ) throws(SafeTensorsError) -> Tensor {
    let tensor = Tensor.zeros(shape, dtype: T.dtype)
    try tensor.withUnsafeMutableBufferPointer(as: T.self) { buffer in
      Result { () throws(SafeTensorsError) in
        let raw = UnsafeMutableRawBufferPointer(buffer)
        try file.read(at: offset, into: raw)
        #if _endian(big)
          byteSwap(raw, width: MemoryLayout<T>.size)
        #endif
      }
    }.get()
    return tensor
  }

  /// The path of a file URL; other URLs are refused.
  private static func filePath(_ url: URL, reading: Bool) throws(SafeTensorsError) -> String {
    guard url.isFileURL else {
      let reason = "not a file URL"
      throw reading
        ? .unreadable(path: url.absoluteString, reason: reason)
        : .unwritable(path: url.absoluteString, reason: reason)
    }
    return url.path
  }

  /// Reverses the bytes of each `width`-byte element (little-endian ↔ big-endian).
  static func byteSwap(_ raw: UnsafeMutableRawBufferPointer, width: Int) {
    var start = 0
    while start + width <= raw.count {
      var (i, j) = (start, start + width - 1)
      while i < j {
        raw.swapAt(i, j)
        (i, j) = (i + 1, j - 1)
      }
      start += width
    }
  }
}

extension SafeTensors {
  /// The element types this module reads, by their names in safetensors headers.
  enum StorageType: String {
    case f32 = "F32"
    case f64 = "F64"
    case f16 = "F16"
    case bf16 = "BF16"

    /// How `write` stores a tensor of `dtype`.
    init(_ dtype: DType) {
      switch dtype {
      case .float32: self = .f32
      case .float64: self = .f64
      }
    }

    /// Bytes per element.
    var byteSize: Int {
      switch self {
      case .f16, .bf16: return 2
      case .f32: return 4
      case .f64: return 8
      }
    }
  }
}
