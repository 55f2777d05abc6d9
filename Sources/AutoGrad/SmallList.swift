/// A list that keeps its first two elements inline and only the rest in an array: the operands of
/// a tape entry, and the gradients its pullback returns for them.
///
/// Almost every operation has one or two operands, so recording it and running its pullback
/// allocate no array. Reads like an array (`count`, subscripts, `for … in`, `map`, `zip`). On hot
/// paths build one with `SmallList(a)` or `SmallList(a, b)`: a literal `[a, b]` allocates nothing
/// either (its array stays on the stack), but costs about 150 instructions and a retain and release
/// per element more, its array being copied and then destroyed through the runtime.
package struct SmallList<Element>: RandomAccessCollection, ExpressibleByArrayLiteral {
  private var first: Element?
  private var second: Element?
  /// The elements after the second; empty (no allocation) for lists of two or fewer.
  private var rest: [Element]
  package let count: Int

  /// The list of `elements`, in order.
  @inline(__always) package init(contentsOf elements: some Collection<Element>) {
    var iterator = elements.makeIterator()
    first = iterator.next()
    second = iterator.next()
    rest = []
    // Element by element rather than `Array(elements.dropFirst(2))`: then a literal's own array
    // cannot end up in `rest`, so it never escapes and the compiler keeps it on the stack.
    while let element = iterator.next() { rest.append(element) }
    count = elements.count
  }

  /// The list of one element.
  @inline(__always) package init(_ only: Element) {
    (first, second, rest, count) = (only, nil, [], 1)
  }

  /// The list of two elements.
  @inline(__always) package init(_ first: Element, _ second: Element) {
    (self.first, self.second, rest, count) = (first, second, [], 2)
  }

  @inline(__always) package init(arrayLiteral elements: Element...) {
    self.init(contentsOf: elements)
  }

  package var startIndex: Int { 0 }
  package var endIndex: Int { count }

  @inline(__always) package subscript(position: Int) -> Element {
    precondition(position >= 0 && position < count, "SmallList: index \(position) of \(count)")
    switch position {
    case 0: return first.unsafelyUnwrapped
    case 1: return second.unsafelyUnwrapped
    default: return rest[position - 2]
    }
  }
}
