import AutoGrad
import Foundation

/// Saving and loading a module's state dict as a safetensors file, readable by PyTorch's
/// `safetensors.torch.load_file` (and writable by its `save_file`).
extension Module {
  /// Writes every parameter and buffer (see `stateDict()`) to `path`, atomically.
  ///
  /// - Throws: `SafeTensorsError` when the file cannot be written.
  public func save(to path: String, metadata: [String: String] = [:]) throws {
    try SafeTensors.write(stateDict(), metadata: metadata, to: URL(fileURLWithPath: path))
  }

  /// Reads the safetensors file at `path` and copies its tensors into this module
  /// (see `load(stateDict:)`).
  ///
  /// - Throws: `SafeTensorsError` for a missing, truncated or corrupted file; `StateDictError`
  ///   listing every missing, unexpected or mis-shaped tensor when the file does not fit.
  public func load(from path: String) throws {
    try load(stateDict: SafeTensors.read(from: URL(fileURLWithPath: path)))
  }
}
