#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A regular file opened read-only, read at explicit offsets.
///
/// The readers use it to look at a header before deciding how much to allocate: `size` comes
/// from `fstat`, and `read(offset:count:)` refuses to go past it, so a header that claims more
/// data than the file holds is caught before any allocation. Errors are `DataError`s naming
/// the path.
final class BinaryFile {
  /// The path, as given (used in error messages).
  let path: String
  /// Size in bytes when the file was opened.
  let size: Int
  private let descriptor: Int32

  /// Opens `path` for reading.
  ///
  /// - Throws: `DataError.fileNotFound` when nothing is at `path` (with `dataset` and `remedy`
  ///   in the message), `DataError.unreadable` for directories, permissions and I/O errors.
  init(path: String, dataset: String = "data", remedy: String = "") throws(DataError) {
    self.path = path
    let fd = open(path, O_RDONLY)
    if fd < 0 {
      let code = errno
      if code == ENOENT {
        throw .fileNotFound(dataset: dataset, tried: [path], remedy: remedy)
      }
      throw .unreadable(file: path, reason: Self.message(code))
    }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let code = errno
      close(fd)
      throw .unreadable(file: path, reason: Self.message(code))
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      close(fd)
      throw .unreadable(file: path, reason: "not a regular file")
    }
    descriptor = fd
    size = Int(info.st_size)
  }

  deinit { close(descriptor) }

  /// Whether a regular file (or a link to one) exists at `path`.
  static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }

  /// Reads `count` bytes starting at `offset`.
  ///
  /// - Throws: `DataError.truncated` if the range goes past the end of the file.
  func read(offset: Int, count: Int) throws(DataError) -> [UInt8] {
    try checkRange(offset: offset, count: count)
    var failure: DataError?
    let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
      do throws(DataError) {
        try fill(UnsafeMutableRawBufferPointer(buffer), from: offset)
        initialized = count
      } catch {
        failure = error
        initialized = 0
      }
    }
    if let failure { throw failure }
    return bytes
  }

  /// Reads the whole file.
  func readAll() throws(DataError) -> [UInt8] {
    try read(offset: 0, count: size)
  }

  /// Reads `buffer.count` bytes starting at `offset` straight into `buffer`.
  func read(offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(DataError) {
    try checkRange(offset: offset, count: buffer.count)
    try fill(buffer, from: offset)
  }

  private func checkRange(offset: Int, count: Int) throws(DataError) {
    guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
      throw .truncated(file: path, offset: offset, needed: count, available: size - offset)
    }
  }

  /// `pread` in a loop (it may return fewer bytes than asked, or be interrupted).
  private func fill(_ buffer: UnsafeMutableRawBufferPointer, from offset: Int) throws(DataError) {
    guard let base = buffer.baseAddress else { return }
    var done = 0
    while done < buffer.count {
      let chunk = min(buffer.count - done, 1 << 30)
      let got = pread(descriptor, base + done, chunk, off_t(offset + done))
      if got < 0 {
        let code = errno
        if code == EINTR { continue }
        throw .unreadable(file: path, reason: Self.message(code))
      }
      if got == 0 {
        // The file shrank after it was opened.
        throw .truncated(
          file: path, offset: offset + done, needed: buffer.count - done, available: 0)
      }
      done += got
    }
  }

  private static func message(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
  }
}
