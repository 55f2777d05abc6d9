/// An array read from a NumPy `.npy` file: element type, shape and raw little-endian bytes.
///
/// The bytes are kept as stored; the typed accessors convert them (`uint8Values()`,
/// `integerValues()`, `floatValues()`, `doubleValues()`).
public struct NPYArray: Sendable, Equatable {
  /// The element types the reader accepts (NumPy `descr` in brackets).
  public enum ElementType: String, Sendable, CaseIterable {
    case bool = "|b1"
    case uint8 = "|u1"
    case int8 = "|i1"
    case uint16 = "<u2"
    case int16 = "<i2"
    case uint32 = "<u4"
    case int32 = "<i4"
    case uint64 = "<u8"
    case int64 = "<i8"
    case float32 = "<f4"
    case float64 = "<f8"

    /// Bytes per element.
    public var size: Int {
      switch self {
      case .bool, .uint8, .int8: return 1
      case .uint16, .int16: return 2
      case .uint32, .int32, .float32: return 4
      case .uint64, .int64, .float64: return 8
      }
    }

    /// Whether the type holds integers (booleans count as 0/1).
    public var isInteger: Bool { self != .float32 && self != .float64 }
  }

  /// The element type.
  public let elementType: ElementType
  /// The shape, outermost first (`[]` for a scalar).
  public let shape: [Int]
  /// The elements' bytes in C (row-major) order, little-endian.
  public let data: [UInt8]
  /// Where the array came from, for error messages.
  public let source: String

  /// Number of elements (the product of `shape`).
  public var count: Int { data.count / elementType.size }

  /// The elements of a `uint8` (or `bool`) array, without conversion.
  ///
  /// - Throws: `DataError.unsupported` for any other element type.
  public func uint8Values() throws(DataError) -> [UInt8] {
    guard elementType == .uint8 || elementType == .bool else {
      throw .unsupported(
        file: source, offset: 0, feature: "expected a uint8 array, got \(elementType) (\(shape))")
    }
    return data
  }

  /// The elements of an integer array as `Int`.
  ///
  /// - Throws: `DataError.unsupported` for floating-point arrays; `.invalidHeader` for a
  ///   `uint64` value above `Int.max`.
  public func integerValues() throws(DataError) -> [Int] {
    switch elementType {
    case .bool, .uint8: return data.map { Int($0) }
    case .int8: return data.map { Int(Int8(bitPattern: $0)) }
    case .uint16: return load(UInt16.self).map { Int($0) }
    case .int16: return load(Int16.self).map { Int($0) }
    case .uint32: return load(UInt32.self).map { Int($0) }
    case .int32: return load(Int32.self).map { Int($0) }
    case .int64: return load(Int64.self).map { Int($0) }
    case .uint64:
      let values = load(UInt64.self)
      if let index = values.firstIndex(where: { $0 > UInt64(Int.max) }) {
        throw .invalidHeader(
          file: source, offset: index * 8, field: "uint64 element", expected: "at most Int.max",
          got: String(values[index]))
      }
      return values.map { Int($0) }
    case .float32, .float64:
      throw .unsupported(
        file: source, offset: 0, feature: "expected an integer array, got \(elementType)")
    }
  }

  /// The elements converted to `Double` (exact for every supported type except large 64-bit
  /// integers).
  public func doubleValues() -> [Double] {
    switch elementType {
    case .float32: return load(Float.self).map { Double($0) }
    case .float64: return load(Double.self)
    case .bool, .uint8: return data.map { Double($0) }
    case .int8: return data.map { Double(Int8(bitPattern: $0)) }
    case .uint16: return load(UInt16.self).map { Double($0) }
    case .int16: return load(Int16.self).map { Double($0) }
    case .uint32: return load(UInt32.self).map { Double($0) }
    case .int32: return load(Int32.self).map { Double($0) }
    case .uint64: return load(UInt64.self).map { Double($0) }
    case .int64: return load(Int64.self).map { Double($0) }
    }
  }

  /// The elements converted to `Float`.
  public func floatValues() -> [Float] {
    elementType == .float32 ? load(Float.self) : doubleValues().map { Float($0) }
  }

  /// Decodes little-endian elements of a fixed-width type (the bytes need not be aligned).
  private func load<T: BitwiseCopyable>(_ type: T.Type) -> [T] {
    let n = data.count / MemoryLayout<T>.size
    return data.withUnsafeBytes { raw in
      (0..<n).map { i in
        let value = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
        #if _endian(big)
          return Self.byteSwapped(value)
        #else
          return value
        #endif
      }
    }
  }

  #if _endian(big)
    private static func byteSwapped<T>(_ value: T) -> T {
      var copy = value
      withUnsafeMutableBytes(of: &copy) { $0.reverse() }
      return copy
    }
  #endif
}
