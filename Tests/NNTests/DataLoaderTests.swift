import AutoGrad
import NN
import XCTest

/// Batching, seeded shuffling, drop-last and train/validation splits.
final class DataLoaderTests: XCTestCase {
  /// `n` samples of `width` features where row `i` is `[i, i + 0.5, …]`, targets `i`.
  private func dataset(_ n: Int, width: Int = 3) -> TensorDataset {
    let inputs = (0..<n).flatMap { i in (0..<width).map { Float(i) + Float($0) * 0.5 } }
    return TensorDataset(
      inputs: Tensor(shape: [n, width], values: inputs),
      targets: Tensor(shape: [n], values: (0..<n).map { Float($0) }))
  }

  /// The sample indices each batch holds, read back from the targets.
  private func visited(_ loader: DataLoader) -> [[Int]] {
    loader.map { batch in batch.targets.scalars(as: Float.self).map { Int($0) } }
  }

  func testTwoThousandSamplesInBatchesOfFiftyGiveFortyBatches() {
    let loader = DataLoader(dataset(2000, width: 784), batchSize: 50, shuffle: true, seed: 1)
    XCTAssertEqual(loader.batchCount, 40)
    var batches = 0
    for (x, y) in loader {
      XCTAssertEqual(x.shape, [50, 784])
      XCTAssertEqual(y.shape, [50])
      batches += 1
    }
    XCTAssertEqual(batches, 40)
  }

  func testDropLastDecidesWhetherThePartialBatchIsKept() {
    let keep = DataLoader(dataset(105), batchSize: 10)
    XCTAssertEqual(keep.batchCount, 11)
    let sizes = keep.map { $0.inputs.shape[0] }
    XCTAssertEqual(sizes, Array(repeating: 10, count: 10) + [5])

    let drop = DataLoader(dataset(105), batchSize: 10, dropLast: true)
    XCTAssertEqual(drop.batchCount, 10)
    XCTAssertEqual(drop.map { $0.inputs.shape[0] }, Array(repeating: 10, count: 10))
    XCTAssertEqual(DataLoader(dataset(3), batchSize: 10, dropLast: true).batchCount, 0)
  }

  func testUnshuffledBatchesCopyRowsInOrder() {
    let loader = DataLoader(dataset(7, width: 2), batchSize: 3)
    let batches = Array(loader)
    XCTAssertEqual(batches[0].inputs.scalars(as: Float.self), [0, 0.5, 1, 1.5, 2, 2.5])
    XCTAssertEqual(batches[2].inputs.shape, [1, 2])
    XCTAssertEqual(batches[2].inputs.scalars(as: Float.self), [6, 6.5])
    XCTAssertEqual(visited(loader), [[0, 1, 2], [3, 4, 5], [6]])
  }

  func testShuffledBatchesKeepInputsAndTargetsTogether() {
    let loader = DataLoader(dataset(20, width: 2), batchSize: 6, shuffle: true, seed: 9)
    for (x, y) in loader {
      let rows = x.scalars(as: Float.self)
      for (k, target) in y.scalars(as: Float.self).enumerated() {
        XCTAssertEqual(rows[2 * k], target)
        XCTAssertEqual(rows[2 * k + 1], target + 0.5)
      }
    }
  }

  func testLargeShuffledBatchesAreCopiedWholeAcrossThreads() {
    // Batches split into pieces that end mid-row: 160 rows of 500 features (80 K elements,
    // many pieces) and 16 rows of 530 (8,480 elements, the two pieces of a small gather).
    for (count, width, batchSize) in [(300, 500, 160), (40, 530, 16)] {
      let loader = DataLoader(
        dataset(count, width: width), batchSize: batchSize, shuffle: true, seed: 4)
      for (x, y) in loader {
        let rows = x.scalars(as: Float.self)
        for (k, target) in y.scalars(as: Float.self).enumerated() {
          let expected = (0..<width).map { target + Float($0) * 0.5 }
          XCTAssertEqual(
            Array(rows[(width * k)..<(width * k + width)]), expected, "width \(width) row \(k)")
        }
      }
    }
  }

  func testSameSeedGivesSameOrderAndDifferentSeedADifferentOne() {
    let a = DataLoader(dataset(100), batchSize: 10, shuffle: true, seed: 42)
    let b = DataLoader(dataset(100), batchSize: 10, shuffle: true, seed: 42)
    let c = DataLoader(dataset(100), batchSize: 10, shuffle: true, seed: 43)
    let first = visited(a)
    XCTAssertEqual(first, visited(b))
    XCTAssertNotEqual(first, visited(c))
    XCTAssertNotEqual(first.flatMap { $0 }, Array(0..<100), "shuffled")
    // Later epochs stay in step too.
    XCTAssertEqual(visited(a), visited(b))
  }

  func testEachEpochIsANewPermutationOfAllSamples() {
    let loader = DataLoader(dataset(50), batchSize: 8, shuffle: true, seed: 5)
    var orders: [[Int]] = []
    for epoch in 0..<3 {
      XCTAssertEqual(loader.epoch, epoch)
      let order = visited(loader).flatMap { $0 }
      XCTAssertEqual(order.sorted(), Array(0..<50), "every sample exactly once")
      orders.append(order)
    }
    XCTAssertEqual(loader.epoch, 3)
    XCTAssertNotEqual(orders[0], orders[1])
    XCTAssertNotEqual(orders[1], orders[2])
    // An explicit epoch replays that epoch without advancing the counter.
    let replay = Array(loader.batches(epoch: 1)).flatMap { batch in
      batch.targets.scalars(as: Float.self).map { Int($0) }
    }
    XCTAssertEqual(replay, orders[1])
    XCTAssertEqual(loader.order(epoch: 2), orders[2])
    XCTAssertEqual(loader.epoch, 3)
  }

  func testShuffleIsReproducibleBitForBit() {
    // Pinned so that a change of generator or shuffle algorithm is noticed.
    let loader = DataLoader(dataset(10), batchSize: 10, shuffle: true, seed: 0)
    let order = loader.order(epoch: 0)
    XCTAssertEqual(order.sorted(), Array(0..<10))
    XCTAssertEqual(
      order, DataLoader(dataset(10), batchSize: 3, shuffle: true, seed: 0).order(epoch: 0))
  }

  func testOneHotTargetsBatchAsRows() {
    let labels = [3, 0, 2, 1, 3]
    let oneHot = labels.flatMap { l in (0..<4).map { Float($0 == l ? 1 : 0) } }
    let loader = DataLoader(
      inputs: Tensor(shape: [5, 1], values: labels.map { Float($0) }),
      targets: Tensor(shape: [5, 4], values: oneHot), batchSize: 2)
    let batches = Array(loader)
    XCTAssertEqual(batches.map { $0.targets.shape }, [[2, 4], [2, 4], [1, 4]])
    XCTAssertEqual(batches[1].targets.scalars(as: Float.self), Array(oneHot[8..<16]))
  }

  func testFloat64DatasetsKeepTheirDtype() {
    let loader = DataLoader(
      inputs: Tensor(shape: [4, 2], values: [Double](repeating: 0.25, count: 8)),
      targets: Tensor(shape: [4], values: [0.0, 1, 2, 3]), batchSize: 3, shuffle: true, seed: 2)
    for (x, y) in loader {
      XCTAssertEqual(x.dtype, .float64)
      XCTAssertEqual(y.dtype, .float64)
    }
  }

  func testSplitLastTakesTheFinalSamplesInOrder() {
    let (train, validation) = dataset(10).split(.last(3))
    XCTAssertEqual(train.count, 7)
    XCTAssertEqual(validation.targets.scalars(as: Float.self), [7, 8, 9])
    XCTAssertEqual(train.targets.scalars(as: Float.self), (0..<7).map { Float($0) })
    XCTAssertEqual(validation.inputs.shape, [3, 3])
  }

  func testRandomSplitIsSeededDisjointAndComplete() {
    let data = dataset(40)
    let (train, validation) = data.split(.random(count: 10, seed: 7))
    let t = train.targets.scalars(as: Float.self).map { Int($0) }
    let v = validation.targets.scalars(as: Float.self).map { Int($0) }
    XCTAssertEqual(v.count, 10)
    XCTAssertEqual((t + v).sorted(), Array(0..<40))
    XCTAssertEqual(t, t.sorted(), "original order kept")
    XCTAssertNotEqual(v, Array(30..<40), "not simply the last ten")
    let again = data.split(.random(count: 10, seed: 7)).validation
    XCTAssertEqual(again.targets.scalars(as: Float.self).map { Int($0) }, v)
    let other = data.split(.random(count: 10, seed: 8)).validation
    XCTAssertNotEqual(other.targets.scalars(as: Float.self).map { Int($0) }, v)
    // Rows travel with their targets.
    XCTAssertEqual(validation.inputs.scalars(as: Float.self)[0], Float(v[0]))
  }

  func testImageDatasetFeedsALoader() {
    let images = ImageDataset(
      images: (0..<(6 * 4)).map { UInt8($0 * 10) }, labels: [0, 1, 2, 0, 1, 2], rows: 2,
      cols: 2, classCount: 3)
    let loader = DataLoader(
      inputs: images.features(biasColumn: true), targets: images.labelsTensor(), batchSize: 4)
    let first = try? XCTUnwrap(Array(loader).first)
    XCTAssertEqual(first?.inputs.shape, [4, 5])
    XCTAssertEqual(first?.targets.scalars(as: Float.self), [0, 1, 2, 0])
  }
}
