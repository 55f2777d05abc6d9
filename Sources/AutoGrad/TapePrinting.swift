import Foundation

/// Teaching aids: the tape behind a tensor as text (one line per operation, in the order they ran,
/// with shapes and the local derivative rule) and as a Graphviz DOT graph.
extension Tensor {
  /// Names for every tensor in the graph of `self`: its label if set, else `x0, x1, …` for leaves
  /// and `t0, t1, …` for results, in execution order.
  private func graphNames() -> (
    order: [Tensor], leaves: [Tensor], names: [ObjectIdentifier: String]
  ) {
    let order = topologicalOrder()
    var names: [ObjectIdentifier: String] = [:]
    var leaves: [Tensor] = []
    for tensor in order {
      for input in tensor.node?.inputs ?? [] where input.node == nil {
        if names[ObjectIdentifier(input)] == nil {
          names[ObjectIdentifier(input)] = input.label ?? "x\(leaves.count)"
          leaves.append(input)
        }
      }
      names[ObjectIdentifier(tensor)] = tensor.label ?? "t\(names.count - leaves.count)"
    }
    if order.isEmpty { names[ObjectIdentifier(self)] = label ?? "x0" }
    return (order, leaves, names)
  }

  /// The recorded operations that produced this tensor, in the order they ran: for each, its
  /// result, operation, input shapes, result shape and local derivative rule. Leaves are listed
  /// first. Entries freed by a backward pass show no inputs.
  ///
  /// ```
  /// x0 = leaf [2, 3] requiresGrad
  /// t0 = matmul(x0, w) : [2, 3] × [3, 1] → [2, 1]    Ā = C̄·Bᵀ, B̄ = Aᵀ·C̄
  /// ```
  public func tapeDescription() -> String {
    let (order, leaves, names) = graphNames()
    func name(_ t: Tensor) -> String { names[ObjectIdentifier(t)] ?? "?" }
    var lines = leaves.map {
      "\(name($0)) = leaf \($0.shape)\($0.requiresGrad ? " requiresGrad" : "")"
    }
    if order.isEmpty { lines.append("\(name(self)) = leaf \(shape) (no recorded operations)") }
    for t in order {
      guard let node = t.node else { continue }
      let args = node.inputs.map(name).joined(separator: ", ")
      let shapes = node.inputs.map { "\($0.shape)" }.joined(separator: " × ")
      let head = "\(name(t)) = \(node.op)(\(args)) : \(shapes) → \(t.shape)"
      let pad = String(repeating: " ", count: Swift.max(2, 56 - head.count))
      lines.append(head + pad + (node.isReleased ? "(freed by backward)" : node.rule))
    }
    return lines.joined(separator: "\n")
  }

  /// The graph of this tensor in Graphviz DOT: leaves as boxes (filled when they require
  /// gradients), operations as ellipses labelled with their rule, edges in the direction data
  /// flows. Render with `dot -Tsvg graph.dot > graph.svg`.
  public func graphvizDOT() -> String {
    let (order, leaves, names) = graphNames()
    func name(_ t: Tensor) -> String { names[ObjectIdentifier(t)] ?? "?" }
    func quoted(_ s: String) -> String {
      "\""
        + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
          of: "\"", with: "\\\"") + "\""
    }
    var lines = ["digraph tape {", "  rankdir=LR;", "  node [fontname=\"Helvetica\"];"]
    for leaf in leaves {
      let style = leaf.requiresGrad ? ", style=filled, fillcolor=lightblue" : ""
      lines.append(
        "  \(quoted(name(leaf))) [shape=box, label=\(quoted("\(name(leaf))\n\(leaf.shape)"))\(style)];"
      )
    }
    for t in order {
      guard let node = t.node else { continue }
      let label = "\(name(t)) = \(node.op)\n\(t.shape)\n\(node.isReleased ? "(freed)" : node.rule)"
      lines.append("  \(quoted(name(t))) [shape=ellipse, label=\(quoted(label))];")
      for input in node.inputs { lines.append("  \(quoted(name(input))) -> \(quoted(name(t)));") }
    }
    lines.append("}")
    return lines.joined(separator: "\n")
  }
}
