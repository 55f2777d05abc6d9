import Foundation

/// `exp`, `log` (and from them `sigmoid`, `tanh`) of float32 on whole vectors: the C library
/// computes one element per call (about 3.3 ns each here, 13 for `tanhf`), which made the logs
/// of a loss over 12 K elements cost more than the rest of its forward pass. These evaluate 16
/// lanes at once (0.25 and 0.43 ns per element for `exp` and `log`) with the classic range
/// reduction and minimax polynomials of the Cephes library (S. Moshier): on normal inputs and
/// outputs every `exp` and `log` is within 1 ulp of the C library's, and most are equal to it;
/// every `tanh` is within 1 ulp of the correctly rounded value (`VectorMathTests` checks every
/// lane of wide sweeps). A vector holding any lane outside that range (a NaN, an infinity, a
/// log of 0, a negative or subnormal number, an `exp` that overflows or underflows) is computed
/// by the C library instead, so the special values are exactly the C library's (`tanh` takes
/// every value but NaN on vectors, and its ±0, ±∞ and subnormals come out exact).
///
/// Float64 stays on the C library: its polynomials would need twice the degree, and the float64
/// paths are the ones gradient checks rely on.
package enum VectorMath {
  typealias Vector = SIMD16<Float>

  /// `y[i] = eˣ⁽ⁱ⁾` for `i < count`.
  package static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    map(x, y, count: count, vector: exp, scalar: Foundation.exp)
  }

  /// `y[i] = log x[i]` (natural logarithm) for `i < count`.
  package static func log(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    map(x, y, count: count, vector: log, scalar: Foundation.log)
  }

  /// `y[i] = σ(x[i]) = 1 / (1 + e⁻ˣ⁽ⁱ⁾)`, as `UnaryKernel.sigmoid` computes it: `1 / (1 + e⁻ˣ)`
  /// for x ≥ 0 and `eˣ / (1 + eˣ)` below, so that no exponential overflows.
  package static func sigmoid(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int
  ) {
    map(x, y, count: count, vector: sigmoid, scalar: UnaryKernel.logistic)
  }

  /// `y[i] = tanh x[i]` for `i < count`.
  package static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int)
  {
    map(x, y, count: count, vector: tanh, scalar: Foundation.tanh)
  }

  @inline(__always)
  static func sigmoid(_ x: Vector) -> Vector? {
    let nonNegative = x .>= 0
    guard let e = exp(x.replacing(with: -x, where: nonNegative)) else { return nil }  // e^−|x|
    let one = Vector(repeating: 1)
    let denominator = one + e
    return (e / denominator).replacing(with: one / denominator, where: nonNegative)
  }

  /// Applies `vector` to whole vectors and `scalar` to the tail and to vectors it declines
  /// (`nil`: a lane is out of its range).
  @inline(__always)
  static func map(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
    vector: (Vector) -> Vector?, scalar: (Float) -> Float
  ) {
    let w = Vector.scalarCount
    var i = 0
    while i + w <= count {
      let v = UnsafeRawPointer(x + i).loadUnaligned(as: Vector.self)
      if let r = vector(v) {
        UnsafeMutableRawPointer(y + i).storeBytes(of: r, as: Vector.self)
      } else {
        for j in i..<(i + w) { y[j] = scalar(x[j]) }
      }
      i += w
    }
    while i < count {
      y[i] = scalar(x[i])
      i += 1
    }
  }

  /// eˣ for x in [−87, 88] (results normal), else `nil`.
  ///
  /// `x = n·ln 2 + r` with `n = round(x / ln 2)` and |r| ≤ ln 2 / 2 (ln 2 split in two parts,
  /// so r is exact); `eʳ = 1 + r + r²·P(r)` with Cephes' degree-5 P; `eˣ = 2ⁿ·eʳ`, the power
  /// built from its exponent bits.
  @inline(__always)
  static func exp(_ x: Vector) -> Vector? {
    guard all(x .>= -87) && all(x .<= 88) else { return nil }  // false for NaN lanes too
    // Round to nearest (even) by adding and subtracting 1.5·2²³: the sum's low mantissa bits
    // then hold n itself, read below as an integer (`rounded` would be a call per lane).
    let shifter = Vector(repeating: 12_582_912)
    let t = (x * 1.442_695_04) + shifter
    let n = t - shifter
    var r = x.addingProduct(n, Vector(repeating: -0.693_359_375))
    r = r.addingProduct(n, Vector(repeating: 2.121_944_4e-4))
    var p = Vector(repeating: 1.398_199_950_7e-3).addingProduct(
      Vector(repeating: 1.987_569_15e-4), r)
    p = Vector(repeating: 8.333_451_907_3e-3).addingProduct(p, r)
    p = Vector(repeating: 4.166_579_589_4e-2).addingProduct(p, r)
    p = Vector(repeating: 1.666_666_545_9e-1).addingProduct(p, r)
    p = Vector(repeating: 5.000_000_120_1e-1).addingProduct(p, r)
    let er = (r + 1).addingProduct(p, r * r)
    let nBits = unsafeBitCast(t, to: SIMD16<Int32>.self) &- 0x4b40_0000
    let scale = (nBits &+ 127) &<< 23
    return er * unsafeBitCast(scale, to: Vector.self)
  }

  /// tanh x for x not NaN, else `nil`.
  ///
  /// tanh on `a = |x|`, as Cephes' `tanhf` splits it: for a < 0.625, `a + a·z·P(z)` with
  /// `z = a²`; above, `1 − 2/(e^{2a} + 1)`, a first clamped to 44 (tanh is 1 in float32 long
  /// before, and e⁸⁸ is still finite). Both are evaluated in float64 from the float32 a and
  /// e^{2a}, and P is a degree-5 least-squares fit of (tanh a / a − 1)/z on [0, 0.625²]
  /// (relative error 1.6·10⁻¹⁰), so that only e^{2a} and the final rounding err: Cephes'
  /// float32 polynomial and arithmetic were up to 2 ulps off. tanh is odd: the result takes
  /// x's sign bit, so tanh(−0) = −0.
  @inline(__always)
  static func tanh(_ x: Vector) -> Vector? {
    guard all(x .== x) else { return nil }
    let bits = unsafeBitCast(x, to: SIMD16<UInt32>.self)
    let a = unsafeBitCast(bits & 0x7fff_ffff, to: Vector.self)
    guard let e = exp(2 * pointwiseMin(a, Vector(repeating: 44))) else { return nil }
    @inline(__always) func magnitude(_ a: SIMD8<Float>, _ e: SIMD8<Float>) -> SIMD8<Float> {
      let (a, e) = (SIMD8<Double>(a), SIMD8<Double>(e))
      let z = a * a
      var p = SIMD8<Double>(repeating: -8.177_093_613_053_858e-3).addingProduct(
        SIMD8(repeating: 2.142_803_650_790_844_4e-3), z)
      p = SIMD8(repeating: 2.170_050_062_845_465e-2).addingProduct(p, z)
      p = SIMD8(repeating: -5.394_670_321_047_323_5e-2).addingProduct(p, z)
      p = SIMD8(repeating: 1.333_320_522_390_402_7e-1).addingProduct(p, z)
      p = SIMD8(repeating: -3.333_333_076_710_402_5e-1).addingProduct(p, z)
      let large = 1 - 2 / (e + 1)
      return SIMD8<Float>(large.replacing(with: a.addingProduct(a * z, p), where: a .< 0.625))
    }
    let m = Vector(
      lowHalf: magnitude(a.lowHalf, e.lowHalf), highHalf: magnitude(a.highHalf, e.highHalf))
    let sign = bits & 0x8000_0000
    return unsafeBitCast(unsafeBitCast(m, to: SIMD16<UInt32>.self) | sign, to: Vector.self)
  }

  /// log x for normal positive finite x, else `nil`.
  ///
  /// `x = 2ᵉ·m` with m in [√½, √2) read from the bits; with `f = m − 1`,
  /// `log m = f − f²/2 + f³·P(f)` (Cephes' degree-8 P); `log x = log m + e·ln 2`, ln 2 split
  /// in two parts.
  @inline(__always)
  static func log(_ x: Vector) -> Vector? {
    guard all(x .>= Float.leastNormalMagnitude) && all(x .<= Float.greatestFiniteMagnitude) else {
      return nil
    }
    let bits = unsafeBitCast(x, to: SIMD16<UInt32>.self)
    var e = Vector(SIMD16<Int32>(truncatingIfNeeded: bits &>> 23) &- 126)
    // m in [0.5, 1); below √½ it is doubled (and e lowered) to land in [√½, √2).
    var m = unsafeBitCast((bits & 0x007f_ffff) | 0x3f00_0000, to: Vector.self)
    let small = m .< 0.707_106_781_186_547_524
    e = e.replacing(with: e - 1, where: small)
    m = m.replacing(with: m + m, where: small)
    let f = m - 1
    let z = f * f
    var p = Vector(repeating: -1.151_461_031_0e-1).addingProduct(
      Vector(repeating: 7.037_683_629_2e-2), f)
    p = Vector(repeating: 1.167_699_874_0e-1).addingProduct(p, f)
    p = Vector(repeating: -1.242_014_084_6e-1).addingProduct(p, f)
    p = Vector(repeating: 1.424_932_278_7e-1).addingProduct(p, f)
    p = Vector(repeating: -1.666_805_766_5e-1).addingProduct(p, f)
    p = Vector(repeating: 2.000_071_476_5e-1).addingProduct(p, f)
    p = Vector(repeating: -2.499_999_399_3e-1).addingProduct(p, f)
    p = Vector(repeating: 3.333_333_117_4e-1).addingProduct(p, f)
    var y = p * f * z
    y = y.addingProduct(e, Vector(repeating: -2.121_944_40e-4))
    y = y.addingProduct(z, Vector(repeating: -0.5))
    return (f + y).addingProduct(e, Vector(repeating: 0.693_359_375))
  }
}
