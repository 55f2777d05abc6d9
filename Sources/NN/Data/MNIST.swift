/// Loader for MNIST (handwritten digits) and Fashion-MNIST (clothing), which share the IDX
/// format: 28×28 greyscale images with labels 0–9, 60,000 for training and 10,000 for testing.
///
/// Files are looked for in `mnist/` or `fashion-mnist/` under the data directory, under both
/// spellings of their names (`train-images-idx3-ubyte`, as originally distributed, and
/// `train-images.idx3-ubyte`), each plain or with `.gz`. A missing file throws
/// `DataError.fileNotFound` naming the fetch command. Image and label counts must agree and
/// every label must be below 10.
///
/// ```swift
/// let train = try MNIST.load(.train)                        // 60,000 digits
/// let shirts = try MNIST.load(.test, variant: .fashion)     // 10,000 Fashion-MNIST images
/// ```
public enum MNIST {
  /// Which of the two datasets.
  public enum Variant: Sendable, CaseIterable {
    /// The original handwritten digits.
    case digits
    /// Zalando's Fashion-MNIST.
    case fashion

    /// The subdirectory of the data directory that holds it.
    public var directoryName: String { self == .digits ? "mnist" : "fashion-mnist" }

    /// Human-readable name for messages.
    public var displayName: String { self == .digits ? "MNIST" : "Fashion-MNIST" }
  }

  /// The training or the test split.
  public enum Split: Sendable, CaseIterable {
    /// 60,000 images.
    case train
    /// 10,000 images.
    case test

    /// The file-name prefix (`train` or `t10k`).
    public var filePrefix: String { self == .train ? "train" : "t10k" }
  }

  /// Number of classes.
  public static let classCount = 10

  /// Loads one split from the data directory.
  ///
  /// - Parameters:
  ///   - split: `.train` or `.test`.
  ///   - variant: `.digits` (MNIST) or `.fashion` (Fashion-MNIST).
  ///   - directory: the data directory; by default resolved from the environment.
  /// - Throws: `DataError.fileNotFound` (naming `bash scripts/fetch-data.sh`) or any
  ///   validation error of `IDXReader`.
  public static func load(
    _ split: Split, variant: Variant = .digits, from directory: DataDirectory = .resolve()
  ) throws(DataError) -> ImageDataset {
    let imagesPath = try directory.locate(
      dataset: "\(variant.displayName) \(split) images",
      candidates: candidates(variant: variant, split: split, kind: "images", rank: 3))
    let labelsPath = try directory.locate(
      dataset: "\(variant.displayName) \(split) labels",
      candidates: candidates(variant: variant, split: split, kind: "labels", rank: 1))
    return try load(imagesPath: imagesPath, labelsPath: labelsPath)
  }

  /// Loads an image file and a label file given by path (IDX, plain or gzip).
  public static func load(imagesPath: String, labelsPath: String) throws(DataError)
    -> ImageDataset
  {
    let labels = try IDXReader.read(path: labelsPath, rank: 1)
    if let bad = labels.data.firstIndex(where: { Int($0) >= classCount }) {
      throw .invalidHeader(
        file: labelsPath, offset: 8 + bad, field: "label of image \(bad)",
        expected: "0...\(classCount - 1)", got: String(labels.data[bad]))
    }
    let images = try IDXReader.read(path: imagesPath, rank: 3)
    guard images.dimensions[0] == labels.dimensions[0] else {
      throw .inconsistent(
        file: imagesPath,
        reason: "\(images.dimensions[0]) images but \(labelsPath) has "
          + "\(labels.dimensions[0]) labels")
    }
    return ImageDataset(
      images: images.data, labels: labels.data.map { Int($0) }, rows: images.dimensions[1],
      cols: images.dimensions[2], classCount: classCount)
  }

  /// Relative paths tried for one file, in order: `train-images-idx3-ubyte`,
  /// `train-images.idx3-ubyte`, then the same with `.gz`.
  public static func candidates(variant: Variant, split: Split, kind: String, rank: Int)
    -> [String]
  {
    let stem = "\(split.filePrefix)-\(kind)"
    let names = ["\(stem)-idx\(rank)-ubyte", "\(stem).idx\(rank)-ubyte"]
    return (names + names.map { $0 + ".gz" }).map { "\(variant.directoryName)/\($0)" }
  }
}
