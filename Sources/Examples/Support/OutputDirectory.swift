import Foundation

/// A failure to write a run's output files.
enum OutputError: Error, CustomStringConvertible {
  /// The output directory could not be created.
  case cannotCreateDirectory(path: String, reason: String)
  /// A file could not be written (or renamed into place).
  case cannotWrite(path: String, reason: String)

  var description: String {
    switch self {
    case .cannotCreateDirectory(let path, let reason):
      return "cannot create output directory '\(path)': \(reason)"
    case .cannotWrite(let path, let reason):
      return "cannot write '\(path)': \(reason)"
    }
  }
}

/// The folder a run writes into; every file is written atomically.
struct OutputDirectory: Sendable {
  /// The folder, as given (relative paths are relative to the working directory).
  let path: String

  /// Creates the folder and its parents if needed.
  init(path: String) throws(OutputError) {
    self.path = path
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
      prefix += component + "/"
      if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
        throw .cannotCreateDirectory(path: path, reason: Self.lastError())
      }
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw .cannotCreateDirectory(path: path, reason: "not a directory")
    }
  }

  /// `name` inside the folder: `runs/logreg-l2/loss.svg`.
  func file(_ name: String) -> String {
    Self.join(path, name)
  }

  /// `parent/child`, without doubling a trailing slash.
  static func join(_ parent: String, _ child: String) -> String {
    parent.hasSuffix("/") ? parent + child : parent + "/" + child
  }

  /// Writes `bytes` to `name` through a temporary file in the same folder and a rename, so
  /// that a reader never sees a half-written file. Returns the file's path.
  @discardableResult
  func write(_ bytes: some Collection<UInt8>, to name: String) throws(OutputError) -> String {
    precondition(
      !name.isEmpty && !name.contains("/"), "OutputDirectory: bad file name \"\(name)\"")
    let target = file(name)
    let temporary = file(".\(name).tmp-\(getpid())")
    let bytes = Array(bytes)
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { throw .cannotWrite(path: target, reason: Self.lastError()) }
    var written = 0
    while written < bytes.count {
      let count = bytes[written...].withUnsafeBytes {
        Foundation.write(descriptor, $0.baseAddress, $0.count)
      }
      guard count > 0 else { break }
      written += count
    }
    let failure = written < bytes.count ? Self.lastError() : nil
    guard close(descriptor) == 0, failure == nil, rename(temporary, target) == 0 else {
      let reason = failure ?? Self.lastError()
      unlink(temporary)
      throw .cannotWrite(path: target, reason: reason)
    }
    return target
  }

  /// Writes UTF-8 text to `name` atomically. Returns the file's path.
  @discardableResult
  func write(text: String, to name: String) throws(OutputError) -> String {
    try write(Array(text.utf8), to: name)
  }

  private static func lastError() -> String {
    String(cString: strerror(errno))
  }
}
