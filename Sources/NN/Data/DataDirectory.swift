import Foundation

/// The one directory the datasets live in, and how it was chosen.
///
/// Resolution order: an explicit path (the Examples' `--data DIR` option), then the
/// environment variable `SWIFT_AUTOGRAD_DATA`, then `swift-autograd` under the user's cache
/// directory (`$XDG_CACHE_HOME`, else `~/.cache`). `scripts/fetch-data.sh` uses the same
/// order, so what it fetches is what the loaders find.
///
/// Layout: `mnist/` (IDX files), `fashion-mnist/` (`.gz` IDX files), `octmnist.npz`.
///
/// ```swift
/// let data = DataDirectory.resolve(option: options.dataDirectory)
/// let test = try MNIST.load(.test, from: data)
/// ```
public struct DataDirectory: Sendable, Equatable, CustomStringConvertible {
  /// Where the path came from.
  public enum Source: Sendable, Equatable {
    /// Given explicitly (a command-line option or code).
    case explicit
    /// Read from `SWIFT_AUTOGRAD_DATA`.
    case environment
    /// The default folder under the user's cache directory.
    case defaultCache
  }

  /// The environment variable that overrides the default location.
  public static let environmentVariable = "SWIFT_AUTOGRAD_DATA"

  /// The command that fills the default directory (run from the repository root).
  public static let fetchCommand = "bash scripts/fetch-data.sh"

  /// The directory's path.
  public let path: String
  /// How `path` was chosen.
  public let source: Source

  /// A data directory at an explicit path.
  public init(path: String) {
    self.init(path: path, source: .explicit)
  }

  private init(path: String, source: Source) {
    self.path = path
    self.source = source
  }

  /// Resolves the data directory: `option` if given, else `SWIFT_AUTOGRAD_DATA`, else the
  /// default cache folder. Empty strings count as absent.
  ///
  /// - Parameter environment: the process environment (a parameter so tests can pass their own).
  public static func resolve(
    option: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> DataDirectory {
    if let option, !option.isEmpty { return DataDirectory(path: option, source: .explicit) }
    if let value = environment[environmentVariable], !value.isEmpty {
      return DataDirectory(path: value, source: .environment)
    }
    return DataDirectory(path: defaultPath(environment: environment), source: .defaultCache)
  }

  /// `$XDG_CACHE_HOME/swift-autograd`, or `$HOME/.cache/swift-autograd`.
  public static func defaultPath(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String {
    if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty {
      return cache + "/swift-autograd"
    }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return home + "/.cache/swift-autograd"
  }

  /// The fetch command that fills this directory (with the path when it is not the default).
  public var fetchCommand: String {
    source == .defaultCache ? Self.fetchCommand : "\(Self.fetchCommand) '\(path)'"
  }

  /// What to tell a user whose dataset is missing from this directory.
  public var fetchRemedy: String {
    "Run `\(fetchCommand)` from the swift-autograd repository to fetch it (data directory: "
      + "\(path), chosen by \(sourceDescription))."
  }

  /// `path` joined with relative components.
  public func appending(_ components: String...) -> String {
    ([path] + components).joined(separator: "/")
  }

  /// The first of `candidates` (paths relative to this directory) that exists.
  ///
  /// - Throws: `DataError.fileNotFound` listing every candidate, with `remedy` (by default
  ///   the fetch command) in the message.
  public func locate(dataset: String, candidates: [String], remedy: String? = nil)
    throws(DataError) -> String
  {
    let paths = candidates.map { appending($0) }
    if let found = paths.first(where: BinaryFile.exists) { return found }
    throw .fileNotFound(dataset: dataset, tried: paths, remedy: remedy ?? fetchRemedy)
  }

  public var description: String { "\(path) (\(sourceDescription))" }

  private var sourceDescription: String {
    switch source {
    case .explicit: return "an explicit path"
    case .environment: return "$\(Self.environmentVariable)"
    case .defaultCache:
      return "the default; set $\(Self.environmentVariable) or --data to change it"
    }
  }
}
