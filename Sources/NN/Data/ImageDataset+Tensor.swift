import AutoGrad

extension ImageDataset {
  /// The images as a design matrix, one flattened image per row.
  ///
  /// Shapes: `[count, rows·cols]`, or `[count, 1 + rows·cols]` with `biasColumn` (a leading
  /// column of ones, so a linear model's bias is its first weight: 785 columns for MNIST).
  ///
  /// - Parameters:
  ///   - scale: divide pixels by 255, giving values in `[0, 1]` (as torchvision's `ToTensor`);
  ///     otherwise keep 0…255.
  ///   - biasColumn: prepend a column of ones.
  ///   - dtype: `.float32` (default) or `.float64`.
  public func features(scale: Bool = true, biasColumn: Bool = false, dtype: DType = .float32)
    -> Tensor
  {
    let width = pixelsPerImage + (biasColumn ? 1 : 0)
    // Every element is written below, so the memory is not zeroed first.
    let tensor = Tensor(uninitializedShape: [count, width], dtype: dtype)
    switch dtype {
    case .float32:
      tensor.withUnsafeMutableBufferPointer(as: Float.self) {
        fill($0, scale: scale, bias: biasColumn)
      }
    case .float64:
      tensor.withUnsafeMutableBufferPointer(as: Double.self) {
        fill($0, scale: scale, bias: biasColumn)
      }
    }
    return tensor
  }

  /// The labels as class indices, like a PyTorch label tensor converted to float.
  ///
  /// Shapes: `[count]`, holding `0, 1, …, classCount − 1`.
  public func labelsTensor(dtype: DType = .float32) -> Tensor {
    Self.vector(labels.map { Double($0) }, dtype: dtype)
  }

  /// One-hot targets: row `i` is 1 at column `labels[i]` and 0 elsewhere.
  ///
  /// Shapes: `[count, classes]`.
  ///
  /// - Parameter classes: the number of columns; `classCount` by default.
  /// - Precondition: `classes > max(labels)`.
  public func oneHot(classes: Int? = nil, dtype: DType = .float32) -> Tensor {
    let width = classes ?? classCount
    precondition(
      labels.allSatisfy { $0 < width },
      "oneHot: \(width) classes, but labels go up to \(labels.max() ?? 0)")
    let tensor = Tensor.zeros([count, width], dtype: dtype)
    switch dtype {
    case .float32:
      tensor.withUnsafeMutableBufferPointer(as: Float.self) { setOnes($0, width: width) }
    case .float64:
      tensor.withUnsafeMutableBufferPointer(as: Double.self) { setOnes($0, width: width) }
    }
    return tensor
  }

  /// Binary targets for one-vs-rest tasks: `positive` where the label is `positiveClass`,
  /// `negative` elsewhere (0/1 for BCE, −1/+1 for a perceptron).
  ///
  /// Shapes: `[count]`.
  public func binaryTargets(
    positiveClass: Int, positive: Double = 1, negative: Double = 0, dtype: DType = .float32
  ) -> Tensor {
    Self.vector(labels.map { $0 == positiveClass ? positive : negative }, dtype: dtype)
  }

  private static func vector(_ values: [Double], dtype: DType) -> Tensor {
    switch dtype {
    case .float32: return Tensor(shape: [values.count], values: values.map { Float($0) })
    case .float64: return Tensor(shape: [values.count], values: values)
    }
  }

  private func setOnes<T: TensorScalar>(_ out: UnsafeMutableBufferPointer<T>, width: Int) {
    for (i, label) in labels.enumerated() { out[i * width + label] = 1 }
  }

  /// Writes the rows. Scaling divides (`v / 255`) rather than multiplying by `1 / 255`, so the
  /// values equal PyTorch's `x.float() / 255` exactly.
  private func fill<T: TensorScalar>(
    _ out: UnsafeMutableBufferPointer<T>, scale: Bool, bias: Bool
  ) {
    let size = pixelsPerImage
    let width = size + (bias ? 1 : 0)
    let divisor: T = scale ? 255 : 1
    let lanes = SIMD16<T>(repeating: divisor)
    // Sixteen pixels at a time: widened to `T` and divided in vector registers (the same
    // correctly rounded `v / 255` as the scalar tail), then stored unaligned.
    images.withUnsafeBufferPointer { pixels in
      let source = UnsafeRawPointer(pixels.baseAddress!)
      let target = UnsafeMutableRawPointer(out.baseAddress!)
      for i in 0..<count {
        var o = i * width
        if bias {
          out[o] = 1
          o += 1
        }
        let p = i * size
        var j = 0
        while j + 16 <= size {
          let bytes = source.loadUnaligned(fromByteOffset: p + j, as: SIMD16<UInt8>.self)
          let values = SIMD16<T>(bytes) / lanes
          target.storeBytes(
            of: values, toByteOffset: (o + j) * MemoryLayout<T>.stride, as: SIMD16<T>.self)
          j += 16
        }
        while j < size {
          out[o + j] = T(pixels[p + j]) / divisor
          j += 1
        }
      }
    }
  }
}
