/// Loader for OCTMNIST (MedMNIST v2): 28×28 greyscale retinal OCT images in 4 classes, stored
/// in one `octmnist.npz` with `train_images` (97,477), `val_images` (10,832), `test_images`
/// (1,000), each `uint8` N×28×28, and the matching `*_labels` arrays (N×1).
///
/// The file is not fetched by `scripts/fetch-data.sh` (MedMNIST is not reachable from the
/// project's machines); users download it from MedMNIST and place it in the data directory.
/// Only the two arrays of the requested split are decompressed.
///
/// ```swift
/// let test = try OCTMNIST.load(.test)
/// test.count       // 1000
/// ```
public enum OCTMNIST {
  /// A split of the archive.
  public enum Split: String, Sendable, CaseIterable {
    case train
    case validation = "val"
    case test

    /// The array-name prefix in the archive (`train`, `val`, `test`).
    public var arrayPrefix: String { rawValue }
  }

  /// Number of classes (choroidal neovascularization, diabetic macular edema, drusen, normal).
  public static let classCount = 4

  /// Paths tried under the data directory, in order.
  public static let candidates = ["octmnist.npz", "medmnist/octmnist.npz", "octmnist/octmnist.npz"]

  /// What to do when the file is missing.
  public static let remedy =
    "OCTMNIST is not fetched by scripts/fetch-data.sh (MedMNIST cannot be reached from here): "
    + "download octmnist.npz from MedMNIST (https://medmnist.com) and put it in the data "
    + "directory."

  /// Loads one split from `octmnist.npz` in the data directory.
  ///
  /// - Throws: `DataError.fileNotFound` when the file is absent; any validation error of
  ///   `ZipArchive`, `NPYReader` or the layout checks.
  public static func load(_ split: Split, from directory: DataDirectory = .resolve())
    throws(DataError) -> ImageDataset
  {
    let path = try directory.locate(
      dataset: "OCTMNIST", candidates: candidates,
      remedy: remedy + " Data directory: \(directory).")
    return try load(split, from: NPZReader(path: path))
  }

  /// Loads one split from an opened archive in the MedMNIST layout.
  public static func load(_ split: Split, from archive: NPZReader) throws(DataError)
    -> ImageDataset
  {
    let images = try archive.array("\(split.arrayPrefix)_images")
    let labels = try archive.array("\(split.arrayPrefix)_labels")
    guard images.shape.count == 3 else {
      throw .invalidHeader(
        file: images.source, offset: 0, field: "shape", expected: "N×H×W (greyscale)",
        got: "\(images.shape)")
    }
    let n = images.shape[0]
    guard labels.shape == [n, 1] || labels.shape == [n] else {
      throw .inconsistent(
        file: labels.source,
        reason: "labels of shape \(labels.shape) do not match \(n) images (expected [\(n), 1])")
    }
    let pixels = try images.uint8Values()
    let values = try labels.integerValues()
    if let bad = values.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
      throw .inconsistent(
        file: labels.source,
        reason: "label \(values[bad]) of image \(bad) is outside 0...\(classCount - 1)")
    }
    return ImageDataset(
      images: pixels, labels: values, rows: images.shape[1], cols: images.shape[2],
      classCount: classCount)
  }
}
