/// Reader for NumPy's `.npz` files: a zip archive of `.npy` files, as written by `numpy.savez`
/// (stored entries) and `numpy.savez_compressed` (deflate).
///
/// Arrays are decompressed and parsed on demand, one at a time, so reading the labels of a
/// large archive does not decompress its images. Each array goes through the checks of
/// `ZipArchive.extract` (bounds, size, CRC-32) and `NPYReader.parse` (header, dtype, shape,
/// data length).
///
/// ```swift
/// let npz = try NPZReader(path: "octmnist.npz")
/// npz.arrayNames                         // ["test_images", "test_labels", "train_images", …]
/// let labels = try npz.array("test_labels")
/// labels.shape                           // [1000, 1]
/// ```
public struct NPZReader: Sendable {
  /// The underlying archive.
  public let archive: ZipArchive

  /// Opens and indexes the archive at `path`.
  public init(path: String) throws(DataError) {
    archive = try ZipArchive(path: path)
  }

  /// Indexes an archive held in memory; `name` appears in error messages.
  public init(bytes: [UInt8], name: String) throws(DataError) {
    archive = try ZipArchive(bytes: bytes, name: name)
  }

  /// The array names, without the `.npy` suffix, sorted.
  public var arrayNames: [String] {
    archive.entries.map { Self.arrayName($0.name) }.sorted()
  }

  /// The array called `name` (with or without `.npy`).
  ///
  /// - Throws: `DataError.missingEntry` listing the available arrays when there is none.
  public func array(_ name: String) throws(DataError) -> NPYArray {
    let bare = Self.arrayName(name)
    guard let entry = archive.entries.first(where: { Self.arrayName($0.name) == bare }) else {
      throw .missingEntry(file: archive.name, entry: bare, available: arrayNames)
    }
    let bytes = try archive.extract(entry)
    return try NPYReader.parse(bytes, name: "\(archive.name):\(entry.name)")
  }

  private static func arrayName(_ entryName: String) -> String {
    entryName.hasSuffix(".npy") ? String(entryName.dropLast(4)) : entryName
  }
}
