/// The implicit seed ∂L/∂L = 1 of a backward pass from a one-element tensor (of rank below
/// `ranks`), made once per dtype and rank and shared by every pass, so that a pass allocates no
/// seed. Nothing writes to it: a gradient that still shares its memory when it is stored in a
/// `grad` or returned (the loss's own, or a leaf's reached only through additions and views) is
/// copied first (`ownedGradient()`).
enum SharedSeed {
  static let ranks = 3
  nonisolated(unsafe) private static let tensors: [[Tensor]] = [DType.float32, .float64].map {
    dtype in
    (0..<ranks).map { .ones(Array(repeating: 1, count: $0), dtype: dtype) }
  }

  static func tensor(dtype: DType, rank: Int) -> Tensor {
    tensors[dtype == .float32 ? 0 : 1][rank]
  }
}

/// One entry of the tape: the operation that produced a tensor, its inputs, and its pullback
/// (vector-Jacobian product), which turns the gradient of the result into gradients of the inputs.
///
/// The entry is owned by its result tensor and never refers back to it (no reference cycle): the
/// result is handed to the pullback as an argument when `backward()` runs.
final class TapeNode {
  /// The operation's name, e.g. `matmul`.
  let op: String
  /// The local derivative rule in words, for printing the tape.
  let rule: String
  /// The tensors the operation read; kept alive for the backward pass.
  @exclusivity(unchecked) private(set) var inputs: SmallList<Tensor>
  /// Turns ȳ (and y) into one gradient per input, in order, `nil` where none flows.
  private var pullback: Pullback?
  /// The gradient of the result gathered so far during a backward pass.
  @exclusivity(unchecked) var pendingGradient: Tensor?
  /// The number of the last traversal that reached this entry (see `topologicalOrder`).
  @exclusivity(unchecked) var visited = 0
  /// Counts traversals, so that marking an entry visited needs no set of seen entries.
  @exclusivity(unchecked) nonisolated(unsafe) static var traversal = 0
  /// The arrays of the last traversal, kept for the next one (the tape is driven from one
  /// thread at a time). A traversal takes them out, so a nested one allocates its own.
  @exclusivity(unchecked) nonisolated(unsafe) static var spareOrder: [Tensor] = []
  @exclusivity(unchecked) nonisolated(unsafe) static var spareStack:
    [(node: Unmanaged<TapeNode>, next: Int, tensor: Unmanaged<Tensor>)] = []

  /// A pullback, by the number of inputs: `(ȳ, y, x) -> x̄`, `(ȳ, y, a, b) -> (ā, b̄)`, or
  /// `(ȳ, y) -> [x̄ᵢ]` for any number. The one- and two-input forms are handed their operands and
  /// return their gradients as they are, without building a list.
  enum Pullback {
    case unary((Tensor, Tensor, Tensor) -> Tensor)
    case binary((Tensor, Tensor, Tensor, Tensor) -> (Tensor?, Tensor?))
    case list((Tensor, Tensor) -> SmallList<Tensor?>)
  }

  init(op: String, rule: String, inputs: SmallList<Tensor>, pullback: Pullback) {
    self.op = op
    self.rule = rule
    self.inputs = inputs
    self.pullback = pullback
  }

  /// Whether an earlier backward pass already released the saved values.
  var isReleased: Bool {
    if case .none = pullback { true } else { false }
  }

  func callAsFunction(_ gradient: Tensor, _ result: Tensor) -> SmallList<Tensor?> {
    switch pullback {
    case .unary(let pullback): return SmallList(pullback(gradient, result, inputs[0]))
    case .binary(let pullback):
      let (a, b) = pullback(gradient, result, inputs[0], inputs[1])
      return SmallList(a, b)
    case .list(let pullback): return pullback(gradient, result)
    case nil:
      preconditionFailure(
        "backward: the graph through '\(op)' was freed by an earlier backward(); "
          + "pass retainGraph: true to the first backward() to run backward twice")
    }
  }

  /// Frees the saved values and the inputs; the entry stays, to explain a second backward.
  func release() {
    pullback = nil
    inputs = []
  }
}

extension Tensor {
  /// Records `self`, freshly computed from `x` by `op`, on the tape — when recording is on and
  /// `x` requires gradients — and returns it. The `recorded` functions are the only place tape
  /// entries are made.
  ///
  /// - Parameters:
  ///   - op: the operation's name.
  ///   - rule: its local derivative in words, e.g. `x̄ = ȳ ⊙ (1 − y²)`.
  ///   - x: the operand.
  ///   - pullback: `(ȳ, y, x) -> x̄`, written with tensor operations so that it can itself be
  ///     differentiated (double backward). It must not capture `self`; use its `y` argument.
  ///
  /// The pullback is handed the operand instead of capturing it: one that captures nothing needs
  /// no closure context, one allocation less per operation. And it is an autoclosure, evaluated
  /// only when an entry is made, so an operation run outside the tape (inside a backward pass,
  /// under `withoutGrad`) allocates no closure context either.
  @inline(__always)
  package func recorded(
    _ op: String, _ rule: String, from x: Tensor,
    pullback: @autoclosure @escaping () -> (_ dy: Tensor, _ y: Tensor, _ x: Tensor) -> Tensor
  ) -> Tensor {
    record(op, rule, inputs: SmallList(x), pullback: .unary(pullback()))
  }

  /// Records `self`, computed from `a` and `b`; `pullback` is `(ȳ, y, a, b) -> (ā, b̄)`, each
  /// `nil` where no gradient flows (an input that does not require gradients). See
  /// `recorded(_:_:from:)`.
  @inline(__always)
  package func recorded(
    _ op: String, _ rule: String, from a: Tensor, _ b: Tensor,
    pullback:
      @autoclosure @escaping () -> (_ dy: Tensor, _ y: Tensor, _ a: Tensor, _ b: Tensor) ->
      (Tensor?, Tensor?)
  ) -> Tensor {
    record(op, rule, inputs: SmallList(a, b), pullback: .binary(pullback()))
  }

  /// Records `self`, computed from any number of `inputs`; `pullback` is `(ȳ, y) -> [x̄ᵢ]`, one
  /// gradient per input, and captures the inputs it needs. See `recorded(_:_:from:)`.
  @inline(__always)
  package func recorded(
    _ op: String, _ rule: String, from inputs: @autoclosure () -> SmallList<Tensor>,
    pullback: @autoclosure @escaping () -> (_ dy: Tensor, _ y: Tensor) -> SmallList<Tensor?>
  ) -> Tensor {
    record(op, rule, inputs: inputs(), pullback: .list(pullback()))
  }

  /// The common part of the `recorded` functions. `inputs` is evaluated only while recording is on
  /// or anomalies are detected, `pullback` only when an entry is made.
  @inline(__always)
  private func record(
    _ op: String, _ rule: String, inputs: @autoclosure () -> SmallList<Tensor>,
    pullback: @autoclosure () -> TapeNode.Pullback
  ) -> Tensor {
    if GradMode.isEnabled {
      let inputs = inputs()
      if inputs.contains(where: { $0.requiresGrad }) {
        requiresGrad = true
        node = TapeNode(op: op, rule: rule, inputs: inputs, pullback: pullback())
      }
    }
    if GradMode.detectsAnomalies {
      GradMode.check(self, op: op, phase: .forward, inputs: inputs())
    }
    return self
  }

  /// Computes the gradient of this tensor with respect to every leaf that requires gradients, and
  /// adds it to the leaves' `grad` (gradients accumulate over calls until `zeroGrad()`).
  ///
  /// One reverse sweep visits the recorded operations in reverse topological order; each one's
  /// pullback turns the gradient of its result into gradients of its inputs.
  ///
  /// - Parameters:
  ///   - gradient: ∂L/∂self, of this tensor's shape; may be omitted only for a one-element tensor
  ///     (it is then 1).
  ///   - retainGraph: keep the saved values so that `backward()` can run again through this graph.
  ///   - createGraph: record the backward computation itself, so that the gradients can be
  ///     differentiated again (second derivatives, Hessians). Implies `retainGraph`.
  public func backward(
    gradient: Tensor? = nil, retainGraph: Bool = false, createGraph: Bool = false
  ) {
    let seed = seedGradient(gradient, createGraph: createGraph, op: "backward")
    GradMode.with(enabled: createGraph) {
      backpropagate(seed: seed, release: !(retainGraph || createGraph)) { tensor, grad in
        if tensor.isLeaf || tensor.retainsGrad {
          let g = (createGraph || grad.isLeaf ? grad : grad.detached()).ownedGradient()
          Tensor.accumulate(g, into: &tensor.grad, inPlace: !createGraph)
        }
      }
    }
  }

  /// The gradient to start a backward pass from: `gradient`, checked, or 1 for one element.
  func seedGradient(_ gradient: Tensor?, createGraph: Bool, op: String) -> Tensor {
    precondition(
      requiresGrad,
      "\(op): this tensor of shape \(shape) does not require grad (no input requires grad, "
        + "or it was computed inside withoutGrad)")
    if let gradient {
      precondition(
        gradient.shape == shape && gradient.dtype == dtype,
        "\(op): gradient of shape \(gradient.shape) (\(gradient.dtype)) for a tensor of shape "
          + "\(shape) (\(dtype))")
      return createGraph ? gradient : gradient.detached()
    }
    precondition(
      count == 1,
      "\(op): implicit gradient only for one-element tensors; this one has shape \(shape) — "
        + "pass a gradient")
    return rank < SharedSeed.ranks
      ? SharedSeed.tensor(dtype: dtype, rank: rank) : .ones(shape, dtype: dtype)
  }

  /// `self`, or a copy if it shares the memory of a `SharedSeed`: what a backward pass hands out
  /// as a gradient must be the caller's own to write to.
  func ownedGradient() -> Tensor {
    count == 1 && rank < SharedSeed.ranks
      && storage === SharedSeed.tensor(dtype: dtype, rank: rank).storage ? copy() : self
  }

  /// `sum += g` for gradients: `sum = g` when there is none yet; in place when `inPlace` (no
  /// graph of the backward pass is being recorded) and nothing but `sum` refers to its tensor or
  /// to that tensor's memory, as PyTorch's `AccumulateGrad` does; otherwise as a new tensor
  /// `sum + g`, so that no tensor anyone else holds (the caller's old `grad`, a view of it, a
  /// gradient a pullback passed on to two inputs) changes. Same additions either way.
  static func accumulate(_ g: Tensor, into sum: inout Tensor?, inPlace: Bool) {
    guard sum != nil else {
      sum = g
      return
    }
    if inPlace, isKnownUniquelyReferenced(&sum), isKnownUniquelyReferenced(&sum!.storage) {
      add(g, into: sum!)
    } else {
      sum = sum! + g
    }
  }

  /// The reverse sweep from `self` with ∂L/∂self = `seed`. `deliver` receives each intermediate
  /// tensor's complete gradient once, and each leaf's gradient in parts (one per use) to be summed.
  func backpropagate(seed: Tensor, release: Bool, deliver: (Tensor, Tensor) -> Void) {
    guard let rootNode = node else {
      deliver(self, seed)
      return
    }
    rootNode.pendingGradient = seed
    var order = topologicalOrder()
    defer {
      // Emptied element by element: keeps the capacity, and for the few entries of a small
      // graph costs far less than `removeAll(keepingCapacity:)` (callgrind: 23 vs 162 instructions).
      while order.popLast() != nil {}
      TapeNode.spareOrder = order
    }
    for tensor in order.reversed() {
      guard let node = tensor.node, let dy = node.pendingGradient.take() else { continue }
      deliver(tensor, dy)
      // Inside a pullback, anomalies are attributed to this node (checked below), not to the
      // operations the pullback is written with.
      let detecting = GradMode.detectsAnomalies
      GradMode.detectsAnomalies = false
      let grads = node(dy, tensor)
      GradMode.detectsAnomalies = detecting
      precondition(
        grads.count == node.inputs.count,
        "backward: '\(node.op)' returned \(grads.count) gradients for \(node.inputs.count) inputs")
      for i in grads.indices {
        let input = node.inputs[i]
        guard let grad = grads[i], input.requiresGrad else { continue }
        precondition(
          grad.shape == input.shape,
          "backward: '\(node.op)' produced a gradient of shape \(grad.shape) for an input of shape "
            + "\(input.shape)")
        if GradMode.detectsAnomalies {
          GradMode.check(grad, op: node.op, phase: .backward, inputs: node.inputs)
        }
        if let inputNode = input.node {
          Tensor.accumulate(grad, into: &inputNode.pendingGradient, inPlace: !GradMode.isEnabled)
        } else {
          deliver(input, grad)
        }
      }
      if release { node.release() }
    }
  }

  /// The tensors produced by recorded operations that `self` depends on (through inputs that
  /// require gradients), each after all the tensors it was computed from. Iterative, so deep
  /// graphs do not overflow the stack.
  func topologicalOrder() -> [Tensor] {
    TapeNode.traversal &+= 1
    let mark = TapeNode.traversal
    var order = TapeNode.spareOrder
    TapeNode.spareOrder = []
    var stack = TapeNode.spareStack
    TapeNode.spareStack = []
    // Handed back as it is: the traversal below pops it empty (`removeAll(keepingCapacity:)` on
    // it cost a generic `replaceSubrange` call every pass).
    defer {
      assert(stack.isEmpty)
      TapeNode.spareStack = stack
    }
    guard let rootNode = node else { return order }
    // The stack holds unretained references: every entry is reachable from `self` through
    // tape inputs, so `self` keeps it alive for as long as the traversal runs.
    rootNode.visited = mark
    stack.append((Unmanaged.passUnretained(rootNode), 0, Unmanaged.passUnretained(self)))
    while let (entry, start, tensor) = stack.popLast() {
      // Descend into the first input from `start` on that is still unvisited; once none is
      // left, all of this entry's inputs are ordered, and so it can be.
      let child: (node: Unmanaged<TapeNode>, tensor: Unmanaged<Tensor>, next: Int)? =
        entry._withUnsafeGuaranteedRef { node in
          for i in start..<node.inputs.count {
            let input = node.inputs[i]
            if input.requiresGrad, let inputNode = input.node, inputNode.visited != mark {
              inputNode.visited = mark
              return (Unmanaged.passUnretained(inputNode), Unmanaged.passUnretained(input), i + 1)
            }
          }
          return nil
        }
      if let child {
        stack.append((entry, child.next, tensor))
        stack.append((child.node, 0, child.tensor))
      } else {
        order.append(tensor.takeUnretainedValue())
      }
    }
    return order
  }
}
