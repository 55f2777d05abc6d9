// Report 003's figures drawn from a `TrainingHistory` (TrainingLoop.swift): the loss and
// accuracy curves against the global step, with the early-stopping marker.

extension TrainingHistory {
  /// Report 003's loss figure: the mini-batch loss at every step and the validation loss at
  /// every evaluation, against the global step.
  func lossChart(title: String, validationNames: [String], yLabel: String) -> SVGChart {
    var chart = SVGChart(title: title, xLabel: "training step", yLabel: yLabel)
    let (x, y, window) = Self.thinned(stepLosses, maxPoints: 2000)
    let name = window == 1 ? "training (mini-batch)" : "training (mean of \(window) mini-batches)"
    chart.add(name, x: x, y: y, colorIndex: 0)
    let steps = evaluations.map { Double($0.step) }
    for (index, name) in validationNames.enumerated() {
      chart.add(
        name, x: steps, y: evaluations.map { $0.validation[index].loss }, colorIndex: index + 1)
    }
    chart.series[0].showsMarkers = false
    // Zoom on the part after the first epoch, as the report's plots do (its first steps reach
    // losses many times higher and would flatten the rest).
    let later = evaluations.filter { $0.epoch > 1 }.flatMap { $0.validation.map(\.loss) }
    if let highest = later.filter(\.isFinite).max(), highest > 0 {
      chart.yRange = 0...(1.5 * highest)
    }
    return chart
  }

  /// `values` (one per step 0, 1, …) as at most `maxPoints` points: means of `window`
  /// consecutive values, placed at the middle step of each window, so that long runs keep
  /// their SVG small.
  static func thinned(_ values: [Double], maxPoints: Int) -> (x: [Double], y: [Double], window: Int)
  {
    let window = max(1, (values.count + maxPoints - 1) / maxPoints)
    guard window > 1 else { return (values.indices.map(Double.init), values, 1) }
    let starts = Array(stride(from: 0, to: values.count, by: window))
    let x = starts.map { Double($0 + min($0 + window, values.count) - 1) / 2 }
    let y = starts.map { start in
      let chunk = values[start..<min(start + window, values.count)]
      return chunk.reduce(0, +) / Double(chunk.count)
    }
    return (x, y, window)
  }

  /// Report 003's accuracy figure: training and validation accuracy at every evaluation.
  func accuracyChart(title: String, validationNames: [String]) -> SVGChart {
    var chart = SVGChart(title: title, xLabel: "training step", yLabel: "accuracy")
    let steps = evaluations.map { Double($0.step) }
    if evaluations.first?.training != nil {
      chart.add("training", x: steps, y: evaluations.map { $0.training?.accuracy ?? .nan })
    }
    for (index, name) in validationNames.enumerated() {
      chart.add(
        name, x: steps, y: evaluations.map { $0.validation[index].accuracy },
        colorIndex: index + 1)
    }
    chart.yRange = Self.accuracyZoom(
      evaluations.filter { $0.epoch > 1 }.flatMap { point in
        point.validation.map(\.accuracy) + [point.training?.accuracy ?? .nan]
      })
    return chart
  }

  /// A y range from a little below the lowest of `accuracies` to 1 (`nil` when there is
  /// nothing to show), so that the differences after the first epoch are visible.
  static func accuracyZoom(_ accuracies: [Double]) -> ClosedRange<Double>? {
    guard let lowest = accuracies.filter(\.isFinite).min(), lowest < 1 else { return nil }
    return max(0, lowest - 0.2 * (1 - lowest))...1
  }

  /// A marker at the step where early stopping fired, if it did.
  func stopMarker(label: String = "early stop") -> SVGChart.Marker? {
    stopStep.map { SVGChart.Marker(x: Double($0), label: label) }
  }
}
