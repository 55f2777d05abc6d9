/// Greyscale images with integer class labels, as loaded from disk (MNIST, Fashion-MNIST,
/// OCTMNIST): raw bytes, not yet tensors.
///
/// Subsets (`prefix`, `suffix`, `subset`, `filter(classes:)`) copy only the selected images;
/// `features`, `labelsTensor`, `oneHot` and `binaryTargets` (in `ImageDataset+Tensor.swift`)
/// turn the result into tensors.
///
/// ```swift
/// let test = try MNIST.load(.test)
/// let fours = test.filter(classes: [4, 9], relabel: true)  // labels 4 → 0, 9 → 1
/// let x = fours.features(biasColumn: true)                 // [N, 785] float32 in [0, 1]
/// ```
public struct ImageDataset: Sendable, Equatable {
  /// `count · rows · cols` pixels, image after image, each row-major.
  public let images: [UInt8]
  /// One class index per image, in `0..<classCount`.
  public let labels: [Int]
  /// Number of images.
  public let count: Int
  /// Image height in pixels.
  public let rows: Int
  /// Image width in pixels.
  public let cols: Int
  /// Number of classes the labels index (10 for MNIST).
  public let classCount: Int

  /// Pixels per image (`rows · cols`; 784 for MNIST).
  public var pixelsPerImage: Int { rows * cols }

  /// Creates a dataset from raw pixels and labels.
  ///
  /// - Precondition: `images.count == labels.count · rows · cols`, every label in
  ///   `0..<classCount`. (The loaders validate files and throw; this checks programmer input.)
  public init(images: [UInt8], labels: [Int], rows: Int, cols: Int, classCount: Int) {
    precondition(rows >= 0 && cols >= 0, "ImageDataset: negative image size \(rows)×\(cols)")
    precondition(
      images.count == labels.count * rows * cols,
      "ImageDataset: \(images.count) pixels for \(labels.count) images of \(rows)×\(cols)")
    precondition(
      labels.allSatisfy { $0 >= 0 && $0 < classCount },
      "ImageDataset: labels must lie in 0..<\(classCount)")
    self.images = images
    self.labels = labels
    self.count = labels.count
    self.rows = rows
    self.cols = cols
    self.classCount = classCount
  }

  /// The pixels of image `index`.
  public func image(_ index: Int) -> ArraySlice<UInt8> {
    precondition(index >= 0 && index < count, "ImageDataset: index \(index) out of 0..<\(count)")
    return images[index * pixelsPerImage..<(index + 1) * pixelsPerImage]
  }

  /// The first `n` images (all of them if there are fewer).
  public func prefix(_ n: Int) -> ImageDataset {
    precondition(n >= 0, "ImageDataset.prefix: negative count \(n)")
    return slice(0..<min(n, count))
  }

  /// The last `n` images (all of them if there are fewer), like a Keras validation split.
  public func suffix(_ n: Int) -> ImageDataset {
    precondition(n >= 0, "ImageDataset.suffix: negative count \(n)")
    return slice(max(0, count - n)..<count)
  }

  /// The images at `indices`, in that order (repeats allowed).
  public func subset(_ indices: [Int]) -> ImageDataset {
    let size = pixelsPerImage
    var pixels = [UInt8]()
    pixels.reserveCapacity(indices.count * size)
    var selected = [Int]()
    selected.reserveCapacity(indices.count)
    for index in indices {
      precondition(index >= 0 && index < count, "ImageDataset: index \(index) out of 0..<\(count)")
      pixels.append(contentsOf: images[index * size..<(index + 1) * size])
      selected.append(labels[index])
    }
    return ImageDataset(
      images: pixels, labels: selected, rows: rows, cols: cols, classCount: classCount)
  }

  /// Only the images whose label is in `classes`, in their original order.
  ///
  /// - Parameter relabel: if `true`, labels become positions in `classes` (`[4, 9]`: 4 → 0,
  ///   9 → 1) and `classCount` becomes `classes.count`; otherwise labels are kept.
  public func filter(classes: [Int], relabel: Bool = false) -> ImageDataset {
    precondition(
      Set(classes).count == classes.count, "ImageDataset.filter: repeated classes \(classes)")
    var position = [Int](repeating: -1, count: classCount)
    for (i, c) in classes.enumerated() {
      precondition(
        c >= 0 && c < classCount, "ImageDataset.filter: class \(c) not in 0..<\(classCount)")
      position[c] = i
    }
    let kept = labels.indices.filter { position[labels[$0]] >= 0 }
    let chosen = subset(kept)
    guard relabel else { return chosen }
    return ImageDataset(
      images: chosen.images, labels: chosen.labels.map { position[$0] }, rows: rows, cols: cols,
      classCount: classes.count)
  }

  /// How many images each class has (`classCount` entries).
  public var classCounts: [Int] {
    var counts = [Int](repeating: 0, count: classCount)
    for label in labels { counts[label] += 1 }
    return counts
  }

  private func slice(_ range: Range<Int>) -> ImageDataset {
    let size = pixelsPerImage
    return ImageDataset(
      images: Array(images[range.lowerBound * size..<range.upperBound * size]),
      labels: Array(labels[range]), rows: rows, cols: cols, classCount: classCount)
  }
}
