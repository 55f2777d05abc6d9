import Foundation

/// Why a safetensors checkpoint could not be read or written.
///
/// Everything in a checkpoint file is validated before any tensor is allocated; each problem
/// throws one of these cases instead of crashing. Every case names the file and, where it
/// applies, the tensor, the byte offset, what was expected and what was found, so that the
/// message alone tells the user what is wrong.
///
/// ```swift
/// do {
///   let tensors = try SafeTensors.read(from: url)
/// } catch {
///   print(error)  // "model.safetensors: tensor 'fc.weight': shape [3, 4] of F32 needs 48 bytes, …"
/// }
/// ```
public enum SafeTensorsError: Error, Equatable, Sendable {
  /// Nothing exists at `path`.
  case fileNotFound(path: String)
  /// The file exists but cannot be opened or read (a directory, permissions, an I/O error).
  case unreadable(path: String, reason: String)
  /// The checkpoint cannot be written. The target is untouched and the temporary file removed.
  case unwritable(path: String, reason: String)
  /// The file is shorter than its own layout requires: the 8-byte length prefix, the header the
  /// prefix announces, or the header plus the tensor data the header describes needs `expected`
  /// bytes, but the file has `actual`.
  case truncated(path: String, expected: Int, actual: Int)
  /// The length prefix announces a header above `limit` bytes; nothing was allocated.
  case headerTooLarge(path: String, length: UInt64, limit: Int)
  /// The JSON header is malformed at byte `offset` of the file: not UTF-8, not JSON, not an
  /// object, or an entry with a missing, unknown or mistyped field.
  case invalidHeader(path: String, offset: Int, reason: String)
  /// A tensor's dtype is not one this reader converts (`F32`, `F64`, `F16`, `BF16`).
  case unsupportedDType(path: String, tensor: String, dtype: String)
  /// A tensor's shape has a negative dimension, or its byte size overflows.
  case invalidShape(path: String, tensor: String, shape: [Int], reason: String)
  /// A tensor's shape and dtype need `expectedBytes`, but its data offsets span `actualBytes`.
  case shapeMismatch(
    path: String, tensor: String, shape: [Int], dtype: String, expectedBytes: Int, actualBytes: Int)
  /// A tensor's data offsets are negative, reversed, or leave a gap after the previous tensor.
  case invalidOffsets(path: String, tensor: String, begin: Int, end: Int, reason: String)
  /// A tensor's data lies (partly) beyond the `dataSize`-byte data section.
  case offsetsOutOfBounds(path: String, tensor: String, begin: Int, end: Int, dataSize: Int)
  /// Two tensors' data ranges overlap.
  case overlappingTensors(path: String, first: String, second: String)
  /// The data section has `actual` bytes but the tensors cover only the first `expected`.
  case trailingData(path: String, expected: Int, actual: Int)
  /// Two tensors have the same name (in the file, or in the list given to `write`).
  case duplicateTensor(path: String, name: String)
  /// A tensor is named `__metadata__`, the key the format reserves for metadata.
  case reservedName(path: String, name: String)
}

extension SafeTensorsError: CustomStringConvertible, LocalizedError {
  /// A one-line message naming the file, the tensor and what was wrong.
  public var description: String {
    switch self {
    case .fileNotFound(let path):
      return "\(path): no such checkpoint file"
    case .unreadable(let path, let reason):
      return "\(path): cannot read the checkpoint: \(reason)"
    case .unwritable(let path, let reason):
      return "\(path): cannot write the checkpoint: \(reason) (the file was not changed)"
    case .truncated(let path, let expected, let actual):
      return "\(path): truncated safetensors file: its layout needs \(expected) bytes, "
        + "the file has \(actual) (incomplete download or write, or a corrupt header length)"
    case .headerTooLarge(let path, let length, let limit):
      return "\(path): header length \(length) is above the limit of \(limit) bytes; "
        + "refusing to allocate (not a safetensors file, or corrupt)"
    case .invalidHeader(let path, let offset, let reason):
      return "\(path): invalid safetensors header at byte offset \(offset): \(reason)"
    case .unsupportedDType(let path, let tensor, let dtype):
      return "\(path): tensor '\(tensor)': unsupported dtype \"\(dtype)\" "
        + "(supported: F32, F64, and F16/BF16 converted to float32)"
    case .invalidShape(let path, let tensor, let shape, let reason):
      return "\(path): tensor '\(tensor)': invalid shape \(shape): \(reason)"
    case .shapeMismatch(let path, let tensor, let shape, let dtype, let expected, let actual):
      return "\(path): tensor '\(tensor)': shape \(shape) of \(dtype) needs \(expected) bytes, "
        + "but its data_offsets span \(actual)"
    case .invalidOffsets(let path, let tensor, let begin, let end, let reason):
      return "\(path): tensor '\(tensor)': invalid data_offsets [\(begin), \(end)]: \(reason)"
    case .offsetsOutOfBounds(let path, let tensor, let begin, let end, let dataSize):
      return "\(path): tensor '\(tensor)': data_offsets [\(begin), \(end)] lie outside "
        + "the \(dataSize)-byte data section"
    case .overlappingTensors(let path, let first, let second):
      return "\(path): the data of tensors '\(first)' and '\(second)' overlap"
    case .trailingData(let path, let expected, let actual):
      return "\(path): the tensors cover \(expected) bytes of data, but the data section "
        + "has \(actual) (extra bytes at the end, or a corrupt header)"
    case .duplicateTensor(let path, let name):
      return "\(path): tensor name '\(name)' appears more than once"
    case .reservedName(let path, let name):
      return "\(path): '\(name)' is reserved for metadata and cannot name a tensor"
    }
  }

  public var errorDescription: String? { description }
}
