/// Functional transforms, in the spirit of `torch.autograd.functional` and `torch.func`: gradients,
/// vector-Jacobian products, Jacobians and Hessians of functions at a point. They work on fresh
/// copies of the points, so the caller's tensors and their `grad` are left untouched.

/// The gradients of `output` with respect to each of `inputs` (like `torch.autograd.grad`),
/// returned instead of accumulated into `grad`. An input `output` does not depend on gets zeros.
///
/// - Parameters:
///   - gradient: ∂L/∂output; may be omitted for a one-element output.
///   - createGraph: record the computation, so the results can be differentiated again.
public func gradients(
  of output: Tensor, withRespectTo inputs: [Tensor], gradient: Tensor? = nil,
  retainGraph: Bool = false, createGraph: Bool = false
) -> [Tensor] {
  let seed = output.seedGradient(gradient, createGraph: createGraph, op: "gradients(of:)")
  var found = [Tensor?](repeating: nil, count: inputs.count)
  GradMode.with(enabled: createGraph) {
    output.backpropagate(seed: seed, release: !(retainGraph || createGraph)) { tensor, grad in
      for (i, input) in inputs.enumerated() where input === tensor {
        Tensor.accumulate(grad, into: &found[i], inPlace: !createGraph)
      }
    }
  }
  return zip(inputs, found).map { input, grad in
    guard let grad else { return Tensor.zeros(like: input) }
    return (createGraph ? grad : grad.detached()).ownedGradient()
  }
}

/// Fresh leaves holding copies of `points`, which require gradients.
private func leaves(_ points: [Tensor]) -> [Tensor] {
  points.map { $0.copy().requiringGrad() }
}

/// The value of `f` at `points` with the gradient of that (scalar) value with respect to each point.
public func valueWithGradients(
  at points: [Tensor], of f: ([Tensor]) -> Tensor
) -> (value: Tensor, gradients: [Tensor]) {
  let xs = leaves(points)
  let y = f(xs)
  return (y.detached(), gradients(of: y, withRespectTo: xs))
}

/// The value of `f` at `point` with its gradient ∇f(point); `f` must return one element.
public func valueWithGradient(
  at point: Tensor, of f: (Tensor) -> Tensor
) -> (value: Tensor, gradient: Tensor) {
  let (value, grads) = valueWithGradients(at: [point]) { f($0[0]) }
  return (value, grads[0])
}

/// The gradient ∇f(point) of a scalar function.
public func gradient(at point: Tensor, of f: (Tensor) -> Tensor) -> Tensor {
  valueWithGradient(at: point, of: f).gradient
}

/// The gradients of a scalar function of several tensors, one per point.
public func gradients(at points: [Tensor], of f: ([Tensor]) -> Tensor) -> [Tensor] {
  valueWithGradients(at: points, of: f).gradients
}

/// The value of `f` at `point` and the vector-Jacobian product `vᵀ·J`, J = ∂f/∂x, for the
/// cotangent `v` (of the shape of f's value).
public func vjp(
  at point: Tensor, cotangent v: Tensor, of f: (Tensor) -> Tensor
) -> (value: Tensor, vjp: Tensor) {
  let x = leaves([point])[0]
  let y = f(x)
  return (y.detached(), gradients(of: y, withRespectTo: [x], gradient: v)[0])
}

/// The Jacobian ∂f/∂x at `point`, of shape `f(x).shape + x.shape`: entry (i, j) is ∂fᵢ/∂xⱼ.
/// Computed with one backward pass per output element.
public func jacobian(at point: Tensor, of f: (Tensor) -> Tensor) -> Tensor {
  let x = leaves([point])[0]
  return jacobianRows(of: f(x), withRespectTo: x)
}

/// The Hessian ∂²f/∂x² of a scalar function at `point`, of shape `x.shape + x.shape`, by double
/// backward: the gradient is computed with `createGraph`, then differentiated once per element.
public func hessian(at point: Tensor, of f: (Tensor) -> Tensor) -> Tensor {
  let x = leaves([point])[0]
  let y = f(x)
  precondition(y.count == 1, "hessian: f must return one element, got shape \(y.shape)")
  let g = gradients(of: y, withRespectTo: [x], createGraph: true)[0]
  return jacobianRows(of: g, withRespectTo: x)
}

/// The Hessian-vector product `H·v` of a scalar function at `point`, by double backward without
/// forming H: `H·v = ∇ₓ(∇f(x)·v)`.
public func hessianVectorProduct(
  at point: Tensor, vector v: Tensor, of f: (Tensor) -> Tensor
) -> Tensor {
  let x = leaves([point])[0]
  let g = gradients(of: f(x), withRespectTo: [x], createGraph: true)[0]
  return gradients(of: (g * v).sum(), withRespectTo: [x])[0]
}

/// Rows ∂yᵢ/∂x for every element i of `y`, stacked to shape `y.shape + x.shape`.
private func jacobianRows(of y: Tensor, withRespectTo x: Tensor) -> Tensor {
  let rows = Tensor.zeros(y.shape + x.shape, dtype: y.dtype)
  guard y.requiresGrad else { return rows }
  for i in 0..<y.count {
    let seed = Tensor.zeros(like: y)  // fresh each time: a gradient may share the seed's memory
    seed[flat: i] = 1
    let row = gradients(of: y, withRespectTo: [x], gradient: seed, retainGraph: true)[0]
    for j in 0..<x.count { rows[flat: i * x.count + j] = row[flat: j] }
  }
  return rows
}
