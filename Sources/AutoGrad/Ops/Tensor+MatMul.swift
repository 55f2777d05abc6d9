/// Matrix products on the GEMM kernel. Transposed operands are read in place by the kernel, so
/// neither the forward nor the backward pass ever materialises a transpose.
extension Tensor {
  /// The matrix product `op(a)·op(b)`, with `op(x) = xᵀ` when the flag is set: 2-d operands, or
  /// 3-d operands with the same batch size (a batch of products).
  ///
  /// - Forward: `C = op(A)·op(B)`
  /// - Backward (shown for no transposes): `Ā = C̄·Bᵀ`, `B̄ = Aᵀ·C̄`; the other three cases follow
  ///   from `(XY)ᵀ = YᵀXᵀ` and are again products with transposed operands.
  public static func matmul(
    _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
  ) -> Tensor {
    precondition(a.dtype == b.dtype, "matmul: dtypes differ: \(a.dtype) vs \(b.dtype)")
    if a.rank == 3 && b.rank == 2 && !transposeA {
      // A batch of rows times one matrix: one product of the stacked rows.
      let (batch, m) = (a.shape[0], a.shape[1])
      return matmul(a.reshape([batch * m, a.shape[2]]), b, transposeB: transposeB)
        .reshape([batch, m, transposeB ? b.shape[0] : b.shape[1]])
    }
    precondition(
      (a.rank == 2 && b.rank == 2) || (a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0]),
      "matmul: \(a.shape) × \(b.shape): expected two matrices or two batches of equal size")
    let batch = a.rank == 3 ? a.shape[0] : 1
    let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
    let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
    let (m, k) = transposeA ? (ac, ar) : (ar, ac)
    let (k2, n) = transposeB ? (bc, br) : (br, bc)
    precondition(
      k == k2,
      "matmul: \(a.shape)\(transposeA ? "ᵀ" : "") × \(b.shape)\(transposeB ? "ᵀ" : ""): "
        + "inner dimensions differ (\(k) vs \(k2))")
    let y = Tensor(uninitializedShape: a.rank == 3 ? [batch, m, n] : [m, n], dtype: a.dtype)
    func run<T: TensorScalar>(_: T.Type) {
      let (pa, pb, pc) = (
        a.storage.pointer(as: T.self), b.storage.pointer(as: T.self),
        y.storage.pointer(as: T.self)
      )
      for i in 0..<batch {
        GEMM.multiply(
          transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
          a: pa + i * ar * ac, lda: ac, b: pb + i * br * bc, ldb: bc,
          c: pc + i * m * n, ldc: n, accumulate: false)
      }
    }
    switch a.dtype {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    }
    return y.recorded("matmul", "Ā = C̄·Bᵀ, B̄ = Aᵀ·C̄", from: a, b) { dc, _, a, b in
      let da: Tensor?
      let db: Tensor?
      switch (transposeA, transposeB) {
      case (false, false):
        da = a.requiresGrad ? matmul(dc, b, transposeB: true) : nil
        db = b.requiresGrad ? matmul(a, dc, transposeA: true) : nil
      case (true, false):
        da = a.requiresGrad ? matmul(b, dc, transposeB: true) : nil
        db = b.requiresGrad ? matmul(a, dc) : nil
      case (false, true):
        da = a.requiresGrad ? matmul(dc, b) : nil
        db = b.requiresGrad ? matmul(dc, a, transposeA: true) : nil
      case (true, true):
        da = a.requiresGrad ? matmul(b, dc, transposeA: true, transposeB: true) : nil
        db = b.requiresGrad ? matmul(dc, a, transposeA: true, transposeB: true) : nil
      }
      return (da, db)
    }
  }

  /// The matrix product `self · other` (like `torch.matmul`): matrices, batches of matrices, and
  /// vectors (a 1-d left operand is a row, a 1-d right operand a column; that dimension is
  /// dropped from the result).
  public func matmul(_ other: Tensor) -> Tensor {
    if rank == 1 { return reshape([1, count]).matmul(other).squeezed(at: -2) }
    if other.rank == 1 { return matmul(other.reshape([other.count, 1])).squeezed(at: -1) }
    return Tensor.matmul(self, other)
  }

  /// The affine map of a linear layer, `y = x·Wᵀ + b` (PyTorch's `F.linear`), fused: each
  /// element's multiply-add chain starts from its bias, in one GEMM (no pass over y before it).
  ///
  /// - Shapes: x `[batch, in]`, weight `[out, in]`, bias `[out]`, y `[batch, out]`.
  /// - Backward: `x̄ = ȳ·W`, `W̄ = ȳᵀ·x`, `b̄ = Σ_batch ȳ`
  public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    precondition(
      x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1],
      "linear: input \(x.shape) does not match weight \(weight.shape) (expected [batch, "
        + "\(weight.rank == 2 ? weight.shape[1] : -1)])")
    guard let bias else { return matmul(x, weight, transposeB: true) }
    let (batch, inputs, outputs) = (x.shape[0], x.shape[1], weight.shape[0])
    precondition(
      bias.shape == [outputs], "linear: bias \(bias.shape) does not match weight \(weight.shape)")
    precondition(
      x.dtype == weight.dtype && x.dtype == bias.dtype,
      "linear: dtypes differ: \(x.dtype), \(weight.dtype), \(bias.dtype)")
    let y = Tensor(uninitializedShape: [batch, outputs], dtype: x.dtype)
    func run<T: TensorScalar>(_: T.Type) {
      GEMM.multiply(
        transposeA: false, transposeB: true, m: batch, n: outputs, k: inputs,
        a: x.storage.pointer(as: T.self), lda: inputs, b: weight.storage.pointer(as: T.self),
        ldb: inputs, c: y.storage.pointer(as: T.self), ldc: outputs, accumulate: false,
        bias: bias.storage.pointer(as: T.self))
    }
    switch x.dtype {
    case .float32: run(Float.self)
    case .float64: run(Double.self)
    }
    return y.recorded("linear", "x̄ = ȳ·W, W̄ = ȳᵀ·x, b̄ = Σ ȳ", from: [x, weight, bias]) { dy, _ in
      [
        x.requiresGrad ? matmul(dy, weight) : nil,
        weight.requiresGrad ? matmul(dy, x, transposeA: true) : nil,
        bias.requiresGrad ? dy.sum(axis: 0) : nil,
      ]
    }
  }
}
