import Foundation

/// Why a dataset file could not be read: missing, unreadable, truncated, corrupt or unsupported.
///
/// Everything the data readers get from outside (files, archives, headers) is validated; each
/// problem throws one of these cases instead of crashing. Every case names the file (or archive
/// entry, written `archive.npz:train_images.npy`) and, where it applies, the byte offset, what
/// was expected and what was found, so that the message alone tells the user what to do.
///
/// ```swift
/// do {
///   let test = try MNIST.load(.test)
/// } catch {
///   print(error)  // "MNIST file not found: … Run `bash scripts/fetch-data.sh` to fetch it."
/// }
/// ```
public enum DataError: Error, Equatable, Sendable {
  /// A dataset file is absent. `tried` lists every path that was looked at; `remedy` says how
  /// to get it (usually the fetch command).
  case fileNotFound(dataset: String, tried: [String], remedy: String)
  /// The file exists but cannot be opened or read.
  case unreadable(file: String, reason: String)
  /// The data ends before a field or payload that starts at `offset` and needs `needed` bytes.
  case truncated(file: String, offset: Int, needed: Int, available: Int)
  /// The magic number (file signature) at `offset` is wrong.
  case badMagic(file: String, offset: Int, expected: String, got: String)
  /// A header field at `offset` has an invalid or inconsistent value.
  case invalidHeader(file: String, offset: Int, field: String, expected: String, got: String)
  /// The header promises a payload of `expected` bytes but the file holds `got`.
  case sizeMismatch(file: String, what: String, expected: Int, got: Int)
  /// A size claimed by the file is above the reader's safety limit (or above what the file
  /// could possibly contain); nothing was allocated.
  case tooLarge(file: String, what: String, claimed: Int, limit: Int)
  /// A compressed stream is corrupt (zlib's own message is in `reason`).
  case corruptStream(file: String, offset: Int, reason: String)
  /// An archive entry's CRC-32 does not match its content.
  case checksumMismatch(file: String, expected: UInt32, got: UInt32)
  /// The file uses a feature these readers deliberately do not support (zip64, big-endian
  /// `.npy`, encrypted zip entries, …).
  case unsupported(file: String, offset: Int, feature: String)
  /// An archive lacks an entry the caller asked for.
  case missingEntry(file: String, entry: String, available: [String])
  /// Two files (or arrays) that must agree do not, such as image and label counts.
  case inconsistent(file: String, reason: String)
}

extension DataError: CustomStringConvertible, LocalizedError {
  /// A one-paragraph message naming the file, the offset and what was expected.
  public var description: String {
    switch self {
    case .fileNotFound(let dataset, let tried, let remedy):
      let paths = tried.count == 1 ? tried[0] : "any of " + tried.joined(separator: ", ")
      return "\(dataset) file not found: looked for \(paths). \(remedy)"
    case .unreadable(let file, let reason):
      return "\(file): cannot read the file: \(reason)"
    case .truncated(let file, let offset, let needed, let available):
      return "\(file): truncated at byte offset \(offset): needed \(needed) bytes, "
        + "only \(max(available, 0)) available"
    case .badMagic(let file, let offset, let expected, let got):
      return "\(file): wrong magic number at byte offset \(offset): expected \(expected), "
        + "got \(got) (not the expected file type, or corrupt)"
    case .invalidHeader(let file, let offset, let field, let expected, let got):
      return "\(file): invalid \(field) at byte offset \(offset): expected \(expected), got \(got)"
    case .sizeMismatch(let file, let what, let expected, let got):
      return "\(file): \(what): the header implies \(expected) bytes but there are \(got) "
        + "(truncated or corrupt file)"
    case .tooLarge(let file, let what, let claimed, let limit):
      return "\(file): \(what) claims \(claimed) bytes, more than the limit of \(limit) bytes; "
        + "refusing to allocate (corrupt or hostile file)"
    case .corruptStream(let file, let offset, let reason):
      return "\(file): corrupt compressed data near byte offset \(offset): \(reason)"
    case .checksumMismatch(let file, let expected, let got):
      return "\(file): CRC-32 mismatch: expected \(Self.hex(expected)), got \(Self.hex(got)) "
        + "(corrupt archive)"
    case .unsupported(let file, let offset, let feature):
      return "\(file): unsupported at byte offset \(offset): \(feature)"
    case .missingEntry(let file, let entry, let available):
      return "\(file): no entry '\(entry)' (entries: \(available.joined(separator: ", ")))"
    case .inconsistent(let file, let reason):
      return "\(file): \(reason)"
    }
  }

  public var errorDescription: String? { description }
}

extension DataError {
  /// `0x00000803`-style formatting for magic numbers and checksums.
  static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
  }
}
