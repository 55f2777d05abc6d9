import XCTest

@testable import AutoGrad

final class BufferPoolTests: XCTestCase {
  func testABlockGivenBackIsReusedForTheSameRoundedSize() {
    let pool = BufferPool(limit: 1 << 20)
    let first = pool.take(bytes: 70_000)
    XCTAssertEqual(first.bytes, 73_728, "rounded up to whole 4 KiB pages")
    XCTAssertEqual(UInt(bitPattern: first.pointer) % 64, 0)
    pool.give(first)
    XCTAssertEqual(pool.heldBytes, 73_728)
    let second = pool.take(bytes: 72_000)
    XCTAssertEqual(second.pointer, first.pointer)
    XCTAssertEqual(pool.heldBytes, 0)
    let other = pool.take(bytes: 100_000)
    XCTAssertNotEqual(other.pointer, first.pointer, "a different size gets a new block")
    pool.give(second)
    pool.give(other)
    XCTAssertEqual(pool.heldBytes, 73_728 + 102_400)
  }

  func testTheOldestSizesMakeRoomWithinTheLimit() {
    let pool = BufferPool(limit: 4 * 65_536)
    let a = pool.take(bytes: 65_536)
    let b = pool.take(bytes: 2 * 65_536)
    let c = pool.take(bytes: 65_536 + 4096)
    pool.give(a)
    pool.give(b)
    XCTAssertEqual(pool.heldBytes, 3 * 65_536)
    pool.give(c)  // a, given back first, is freed to make room; b stays
    XCTAssertEqual(pool.heldBytes, 2 * 65_536 + 65_536 + 4096)
    let b2 = pool.take(bytes: 2 * 65_536)
    let c2 = pool.take(bytes: 65_536 + 4096)
    XCTAssertEqual(b2.pointer, b.pointer)
    XCTAssertEqual(c2.pointer, c.pointer)
    let huge = pool.take(bytes: 5 * 65_536)
    pool.give(huge)  // larger than the limit: freed at once
    XCTAssertEqual(pool.heldBytes, 0)
    pool.give(b2)
    pool.give(c2)  // freed with the pool
  }

  func testLargeTensorsAreIndependentThroughReuse() {
    let count = BufferPool.minimumBytes  // floats: four times the threshold in bytes
    var first: Tensor? = Tensor.full([count], 3)
    XCTAssertEqual(first?[flat: count - 1], 3)
    first = nil
    let second = Tensor.zeros([count])
    let third = Tensor.full([count], 5)
    XCTAssertEqual(second.sum().item(), 0)
    XCTAssertEqual(third.sum().item(), 5 * Double(count))
  }
}
