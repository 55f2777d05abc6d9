import AutoGrad

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension SafeTensors {
  /// A regular file opened read-only and read at explicit offsets.
  ///
  /// `size` comes from `fstat`, and reads refuse to go past it, so a header claiming more data
  /// than the file holds is caught before anything is allocated.
  final class InputFile {
    /// The path, for error messages.
    let path: String
    /// Size in bytes when the file was opened.
    let size: Int
    private let descriptor: Int32

    /// Opens `path`; throws `.fileNotFound`, or `.unreadable` for directories, permissions and
    /// I/O errors.
    init(path: String) throws(SafeTensorsError) {
      self.path = path
      // Non-blocking, so that opening a FIFO cannot hang; it is refused just below.
      let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
      guard fd >= 0 else {
        let code = errno
        throw code == ENOENT
          ? .fileNotFound(path: path) : .unreadable(path: path, reason: systemMessage(code))
      }
      var info = stat()
      guard fstat(fd, &info) == 0 else {
        let code = errno
        close(fd)
        throw .unreadable(path: path, reason: systemMessage(code))
      }
      guard (info.st_mode & S_IFMT) == S_IFREG else {
        close(fd)
        throw .unreadable(path: path, reason: "not a regular file")
      }
      descriptor = fd
      size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// `count` bytes starting at `offset`.
    func read(at offset: Int, count: Int) throws(SafeTensorsError) -> [UInt8] {
      try checkRange(offset: offset, count: count)
      var failure: SafeTensorsError?
      let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        do throws(SafeTensorsError) {
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

    /// Fills `buffer` with the bytes starting at `offset`.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(SafeTensorsError) {
      try checkRange(offset: offset, count: buffer.count)
      try fill(buffer, from: offset)
    }

    private func checkRange(offset: Int, count: Int) throws(SafeTensorsError) {
      guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
        let (end, overflow) = offset.addingReportingOverflow(count)
        throw .truncated(path: path, expected: overflow ? .max : end, actual: size)
      }
    }

    /// `pread` in a loop: it may return fewer bytes than asked for, or be interrupted.
    private func fill(
      _ buffer: UnsafeMutableRawBufferPointer, from offset: Int
    ) throws(SafeTensorsError) {
      guard let base = buffer.baseAddress else { return }
      var done = 0
      while done < buffer.count {
        let got = pread(
          descriptor, base + done, min(buffer.count - done, 1 << 30), off_t(offset + done))
        if got < 0 {
          let code = errno
          if code == EINTR { continue }
          throw .unreadable(path: path, reason: systemMessage(code))
        }
        // The file shrank after it was opened.
        if got == 0 { throw .truncated(path: path, expected: size, actual: offset + done) }
        done += got
      }
    }
  }

  /// Writes a file atomically: into a new temporary file next to the target, flushed to disk,
  /// then renamed over the target. On any failure the temporary file is removed and the target
  /// is left as it was.
  enum AtomicFile {
    /// The open temporary file `write(to:_:)` hands to its closure.
    struct Sink {
      fileprivate let descriptor: Int32
      /// The target's path, for error messages.
      let path: String
      /// The temporary file's path, for error messages.
      let temporaryPath: String

      /// Appends `bytes`.
      func write(_ bytes: [UInt8]) throws(SafeTensorsError) {
        let result = bytes.withUnsafeBytes { raw in
          Result { () throws(SafeTensorsError) in try write(raw) }
        }
        try result.get()
      }

      /// Appends a tensor's elements, little-endian.
      func write(_ tensor: Tensor) throws(SafeTensorsError) {
        switch tensor.dtype {
        case .float32: try write(Float.self, of: tensor)
        case .float64: try write(Double.self, of: tensor)
        }
      }

      private func write<T: TensorScalar>(_ type: T.Type, of tensor: Tensor)
        throws(SafeTensorsError)
      {
        try tensor.withUnsafeBufferPointer(as: T.self) { buffer in
          Result { () throws(SafeTensorsError) in
            #if _endian(big)
              var bytes = [UInt8](UnsafeRawBufferPointer(buffer))
              bytes.withUnsafeMutableBytes { byteSwap($0, width: MemoryLayout<T>.size) }
              try write(bytes)
            #else
              try write(UnsafeRawBufferPointer(buffer))
            #endif
          }
        }.get()
      }

      /// `write` in a loop: it may write fewer bytes than asked for, or be interrupted.
      func write(_ raw: UnsafeRawBufferPointer) throws(SafeTensorsError) {
        guard let base = raw.baseAddress else { return }
        var done = 0
        while done < raw.count {
          let wrote = systemWrite(descriptor, base + done, min(raw.count - done, 1 << 30))
          if wrote < 0 {
            let code = errno
            if code == EINTR { continue }
            throw .unwritable(
              path: path, reason: "writing \(temporaryPath): \(systemMessage(code))")
          }
          done += wrote
        }
      }
    }

    /// Creates a temporary file in `path`'s directory, lets `body` fill it, flushes it and
    /// renames it to `path`.
    static func write(
      to path: String, _ body: (Sink) throws(SafeTensorsError) -> Void
    ) throws(SafeTensorsError) {
      let (descriptor, temporaryPath) = try createTemporaryFile(near: path)
      let sink = Sink(descriptor: descriptor, path: path, temporaryPath: temporaryPath)
      var isOpen = true
      do throws(SafeTensorsError) {
        try body(sink)
        guard fsync(descriptor) == 0 else {
          throw failure(path, errno, "flushing \(temporaryPath)")
        }
        isOpen = false  // closed even when close reports an error
        guard close(descriptor) == 0 else {
          throw failure(path, errno, "closing \(temporaryPath)")
        }
        guard rename(temporaryPath, path) == 0 else {
          throw failure(path, errno, "renaming \(temporaryPath) to the target")
        }
      } catch {
        if isOpen { close(descriptor) }
        unlink(temporaryPath)
        throw error
      }
      // Make the rename itself durable; a failure here cannot be undone, so it is not reported.
      let directory = open(directoryPart(of: path), O_RDONLY | O_CLOEXEC)
      if directory >= 0 {
        fsync(directory)
        close(directory)
      }
    }

    /// A new file `.<name>.<random>.tmp` beside `path`, created exclusively, readable as the
    /// umask allows (like any new file, not `0600` as `mkstemp` would make it).
    private static func createTemporaryFile(
      near path: String
    ) throws(SafeTensorsError) -> (descriptor: Int32, path: String) {
      let directory = directoryPart(of: path)
      let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init)
      for _ in 0..<16 {
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let candidate = directory + "/." + (name ?? "checkpoint") + "." + suffix + ".tmp"
        let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        if fd >= 0 { return (fd, candidate) }
        let code = errno
        if code != EEXIST {
          throw failure(path, code, "creating a temporary file in \(directory)")
        }
      }
      throw .unwritable(path: path, reason: "could not create a unique temporary file")
    }

    /// Everything before the last `/` (`.` when there is none, `/` for files at the root).
    private static func directoryPart(of path: String) -> String {
      guard let slash = path.lastIndex(of: "/") else { return "." }
      return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// An `unwritable` error for `errno` value `code`, set while doing `action`.
    private static func failure(
      _ path: String, _ code: Int32, _ action: String
    ) -> SafeTensorsError {
      .unwritable(path: path, reason: "\(action): \(systemMessage(code))")
    }
  }
}

/// The C library's `write` (inside `Sink`, `write` names its own methods).
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}

/// The C library's message for an `errno` value.
private func systemMessage(_ code: Int32) -> String {
  guard let text = strerror(code) else { return "errno \(code)" }
  return String(cString: text)
}
