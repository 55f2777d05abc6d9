extension SafeTensors {
  /// Exact conversions from the 16-bit float formats found in safetensors files to `Float`.
  ///
  /// Every IEEE half (`F16`) and bfloat16 (`BF16`) value is exactly representable as a `Float`,
  /// so these conversions lose nothing: signed zeros, subnormals, infinities and NaN payloads
  /// are kept. Written with bit operations so they need no `Float16` support from the platform.
  enum HalfPrecision {
    /// An IEEE 754 binary16 value (1 sign, 5 exponent, 10 fraction bits), given by its bits.
    static func float(fromHalf bits: UInt16) -> Float {
      let sign = UInt32(bits & 0x8000) << 16
      let exponent = UInt32(bits >> 10) & 0x1F
      let fraction = UInt32(bits & 0x03FF)
      switch exponent {
      case 0x1F:
        // Infinity or NaN: all-ones exponent, fraction (the NaN payload) moved to the top.
        return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
      case 0:
        // Zero or subnormal: fraction × 2⁻²⁴, which is a normal (or zero) Float.
        let magnitude = Float(fraction) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
      default:
        // Rebias the exponent from 15 to 127.
        return Float(bitPattern: sign | (exponent + 112) << 23 | fraction << 13)
      }
    }

    /// A bfloat16 value (the top 16 bits of a `Float`), given by its bits.
    static func float(fromBFloat16 bits: UInt16) -> Float {
      Float(bitPattern: UInt32(bits) << 16)
    }
  }
}
