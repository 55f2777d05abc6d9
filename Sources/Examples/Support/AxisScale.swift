import Foundation

/// A tick on an axis: its value and, if labelled, its label.
struct AxisTick: Equatable {
  /// Position in data units.
  var value: Double
  /// The label, or empty for an unlabelled (minor) tick.
  var label: String
  /// Raised text after `label`: the exponent of a `10ⁿ` label on a log axis.
  var superscript: String?
  /// Major ticks get grid lines and longer tick marks.
  var isMajor = true
  /// The label without a superscript (`0.1` for `10⁻¹`), used when minor ticks are labelled.
  var plainLabel: String?
}

/// The mapping of one data axis onto `0...1` (bottom/left to top/right), with its ticks.
///
/// Tick steps follow matplotlib's choice of 1, 2, 2.5 or 5 times a power of ten; labels on one
/// axis all get the same number of decimals (`0.0 2.5 5.0`). A log axis puts major ticks on
/// powers of ten and minor ticks at 2–9 times them; when the view spans less than two powers of
/// ten, the minor ticks are labelled too, so that the axis always has readable numbers.
struct AxisScale {
  /// The view's lower limit, in data units.
  let lower: Double
  /// The view's upper limit, in data units.
  let upper: Double
  /// Whether positions are proportional to `log10(value)`.
  let isLogarithmic: Bool
  /// The ticks inside the view, in increasing order.
  let ticks: [AxisTick]
  /// For very small or large numbers (below 10⁻⁴ or from 10⁶ on), labels show `value / 10ᵉ`
  /// and the axis is marked `×10ᵉ`, as matplotlib does; 0 otherwise.
  var exponent = 0

  /// The position of `value` in `0...1` (outside it when `value` is outside the view), or `nil`
  /// when it cannot be drawn (not finite; not positive on a log axis).
  func fraction(_ value: Double) -> Double? {
    guard value.isFinite else { return nil }
    if isLogarithmic {
      guard value > 0 else { return nil }
      return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
    }
    return (value - lower) / (upper - lower)
  }

  /// A linear axis showing exactly `lower...upper`, with at most `maxTicks` labelled ticks.
  ///
  /// - Parameter integerSteps: use only whole-number steps (1, 2, 5, 10, …), for epochs and
  ///   counts.
  static func linear(
    _ lower: Double, _ upper: Double, maxTicks: Int = 8, integerSteps: Bool = false
  ) -> AxisScale {
    var (low, high) = (lower, upper)
    if !(high > low) {  // a single value, or nothing finite
      let half = low.isFinite && low != 0 ? abs(low) * 0.1 : 1
      (low, high) = low.isFinite ? (low - half, low + half) : (0, 1)
    }
    let step = niceStep(span: high - low, maxTicks: maxTicks, integerSteps: integerSteps)
    let first = (low / step - 1e-9).rounded(.up)
    let last = (high / step + 1e-9).rounded(.down)
    let values = first <= last ? stride(from: first, through: last, by: 1).map { $0 * step } : []
    let largest = values.map(abs).max() ?? 0
    let magnitude = largest > 0 ? Int(log10(largest).rounded(.down)) : 0
    let exponent = magnitude <= -5 || magnitude >= 6 ? magnitude : 0
    let factor = pow(10, Double(exponent))
    let decimals = decimalsNeeded(step / factor)
    let ticks = values.map { value in
      AxisTick(value: value == 0 ? 0 : value, label: Format.fixed(value / factor, decimals))
    }
    return AxisScale(
      lower: low, upper: high, isLogarithmic: false, ticks: ticks, exponent: exponent)
  }

  /// A base-10 log axis showing exactly `lower...upper` (both positive).
  static func logarithmic(_ lower: Double, _ upper: Double) -> AxisScale {
    var (low, high) = (lower, upper)
    if !(low > 0 && low.isFinite) { low = 1e-3 }
    if !(high > low && high.isFinite) { high = low * 10 }
    let firstPower = Int(log10(low).rounded(.down))
    let lastPower = Int(log10(high).rounded(.up))
    let powers = lastPower - firstPower
    let majorStride = max(1, (powers + 7) / 8)  // at most ~8 labelled decades
    var ticks: [AxisTick] = []
    for power in firstPower...lastPower {
      let base = pow(10, Double(power))
      if base >= low * (1 - 1e-9), base <= high * (1 + 1e-9), power % majorStride == 0 {
        ticks.append(
          AxisTick(
            value: base, label: "10", superscript: Self.exponentText(power),
            plainLabel: Format.fixed(base, max(0, -power))))
      }
      guard majorStride == 1 else { continue }
      for multiple in 2...9 {
        let value = Double(multiple) * base
        if value >= low, value <= high {
          let label = Format.fixed(value, max(0, -power))
          ticks.append(AxisTick(value: value, label: label, isMajor: false))
        }
      }
    }
    ticks.sort { $0.value < $1.value }
    let scale = AxisScale(lower: low, upper: high, isLogarithmic: true, ticks: ticks)
    return ticks.filter(\.isMajor).count >= 2 ? scale.unlabellingMinorTicks() : scale.thinned()
  }

  /// `low...high` widened by `margin` of its span on each side (matplotlib's 5 %), in data
  /// units for a linear axis and in decades for a log axis.
  static func padded(
    _ low: Double, _ high: Double, margin: Double = 0.05, logarithmic: Bool = false
  ) -> (Double, Double) {
    if logarithmic {
      let (a, b) = (log10(low), log10(high))
      let pad = b > a ? (b - a) * margin : 0.5
      return (pow(10, a - pad), pow(10, b + pad))
    }
    let pad = high > low ? (high - low) * margin : max(abs(low) * 0.1, 1)
    return (low - pad, high + pad)
  }

  /// The smallest step `m·10ᵏ` (m ∈ {1, 2, 2.5, 5}) giving at most `maxTicks` ticks.
  static func niceStep(span: Double, maxTicks: Int, integerSteps: Bool) -> Double {
    let rough = span / Double(max(1, maxTicks - 1))
    var power = pow(10, (log10(rough)).rounded(.down) - 1)
    let mantissas: [Double] = integerSteps ? [1, 2, 5] : [1, 2, 2.5, 5]
    while true {
      for mantissa in mantissas {
        let step = mantissa * power
        if integerSteps && step < 1 { continue }
        if (span / step).rounded(.down) + 1 <= Double(maxTicks) { return step }
      }
      power *= 10
    }
  }

  /// Decimals that print every multiple of `step` exactly: 2 for 0.25, 0 for 50.
  static func decimalsNeeded(_ step: Double) -> Int {
    var scaled = step
    for decimals in 0...12 {
      if abs(scaled - scaled.rounded()) < 1e-6 * abs(scaled) { return decimals }
      scaled *= 10
    }
    return 12
  }

  /// The exponent of a power-of-ten label with a true minus sign: `−3`.
  static func exponentText(_ power: Int) -> String {
    power < 0 ? "\u{2212}\(-power)" : "\(power)"
  }

  private func unlabellingMinorTicks() -> AxisScale {
    let ticks = ticks.map { $0.isMajor ? $0 : AxisTick(value: $0.value, label: "", isMajor: false) }
    return AxisScale(lower: lower, upper: upper, isLogarithmic: isLogarithmic, ticks: ticks)
  }

  /// Drops minor labels closer than 5 % of the axis to the previous label (or to a major one).
  private func thinned() -> AxisScale {
    var kept: [AxisTick] = []
    var lastLabelled: Double?
    let majors = ticks.filter(\.isMajor).compactMap { fraction($0.value) }
    for var tick in ticks {
      let position = fraction(tick.value) ?? 0
      if let plain = tick.plainLabel {
        (tick.label, tick.superscript) = (plain, nil)
      } else {
        let nearMajor = majors.contains { abs($0 - position) < 0.05 }
        if nearMajor || lastLabelled.map({ position - $0 < 0.05 }) == true { tick.label = "" }
      }
      if !tick.label.isEmpty { lastLabelled = position }
      kept.append(tick)
    }
    return AxisScale(lower: lower, upper: upper, isLogarithmic: isLogarithmic, ticks: kept)
  }
}
