import Foundation

/// The element type of a tensor: 32-bit (the default, for training) or 64-bit floating point
/// (for gradient checks and exact derivation checks), chosen at run time as in PyTorch.
public enum DType: String, Sendable, CustomStringConvertible {
  case float32
  case float64

  /// Bytes per element.
  public var byteSize: Int { self == .float32 ? 4 : 8 }

  public var description: String { rawValue }
}

/// A floating-point type a tensor can hold; kernels are written once, generically, over it.
///
/// Only `Float` (`.float32`) and `Double` (`.float64`) conform. The elementary functions are
/// requirements so that generic kernels call the C library's typed versions (`expf`, `exp`).
public protocol TensorScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable {
  /// The run-time tag of this type.
  static var dtype: DType { get }
  static func exp(_ x: Self) -> Self
  static func log(_ x: Self) -> Self
  static func log1p(_ x: Self) -> Self
  static func tanh(_ x: Self) -> Self
  static func pow(_ x: Self, _ y: Self) -> Self
}

extension Float: TensorScalar {
  public static var dtype: DType { .float32 }
  @inline(__always) public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
  @inline(__always) public static func log(_ x: Float) -> Float { Foundation.log(x) }
  @inline(__always) public static func log1p(_ x: Float) -> Float { Foundation.log1p(x) }
  @inline(__always) public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
  @inline(__always) public static func pow(_ x: Float, _ y: Float) -> Float { Foundation.pow(x, y) }
}

extension Double: TensorScalar {
  public static var dtype: DType { .float64 }
  @inline(__always) public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
  @inline(__always) public static func log(_ x: Double) -> Double { Foundation.log(x) }
  @inline(__always) public static func log1p(_ x: Double) -> Double { Foundation.log1p(x) }
  @inline(__always) public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
  @inline(__always) public static func pow(_ x: Double, _ y: Double) -> Double {
    Foundation.pow(x, y)
  }
}
