import XCTest

@testable import AutoGrad

/// Values and gradients of small compositions, compared with PyTorch 2 (float64). The literals
/// were printed by `python3 scripts/reference/autograd_compositions.py`, which builds the same
/// inputs with torch and calls `.backward()`.
final class PyTorchReferenceTests: XCTestCase {
  func testLogSoftmaxGatherCrossEntropy() {
    let ceLoss: [Double] = [1.1676474753916195]
    let ceGrad: [Double] = [
      -0.09906277596284355, 0.007514721892393506, 0.09154805407045005, 0.11481745894493865,
      0.10389113309718807, -0.21870859204212673, 0.16631023894370545, -0.18881788223630058,
      0.02250764329259511, 0.04658093080646189, 0.0767989714296246, -0.1233799022360865,
    ]
    let z = Tensor(
      [[1.0, -2.0, 0.5], [0.3, 0.2, -1.0], [2.0, 1.0, 0.0], [-0.5, 0.0, 0.5]], dtype: .float64,
      requiresGrad: true)
    let y = Tensor([[0], [2], [1], [2]], dtype: .float64)
    let loss = -z.logSoftmax(axis: 1).gather(axis: 1, indices: y).mean()
    loss.backward()
    assertClose(loss.values, ceLoss, accuracy: 1e-15)
    assertClose(z.grad?.values ?? [], ceGrad, accuracy: 1e-15)
  }

  func testMatMulSigmoidMean() {
    let msmValue: [Double] = [0.4698834386364429]
    let msmGradX: [Double] = [
      -0.006758023989843028, 0.03515414635374818, 0.011618832619904231, -0.005547779719136259,
      0.03969358949535468, 0.005204127134575905,
    ]
    let msmGradW: [Double] = [
      0.10743218854530862, 0.11221950214078381, -0.02897718171958317, -0.041343986160086395,
      0.04365534841062526, 0.06860374015698192,
    ]
    let x = Tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype: .float64, requiresGrad: true)
    let w = Tensor([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], dtype: .float64, requiresGrad: true)
    let out = x.matmul(w).sigmoid().mean()
    out.backward()
    assertClose(out.values, msmValue, accuracy: 1e-15)
    assertClose(x.grad?.values ?? [], msmGradX, accuracy: 1e-15)
    assertClose(w.grad?.values ?? [], msmGradW, accuracy: 1e-15)
  }

  func testBroadcastingDivide() {
    let divValue: [Double] = [-3.3333333333333335]
    let divGradA: [Double] = [0.10833333333333334, 0.9416666666666667, 1.775]
    let divGradB: [Double] = [6.400000000000001, 0.711111111111111, 0.4, 0.10000000000000002]
    let a = Tensor([[1.0], [2.0], [-3.0]], dtype: .float64, requiresGrad: true)
    let b = Tensor([[0.5, -1.5, 2.0, 4.0]], dtype: .float64, requiresGrad: true)
    let weights = Tensor.arange(0, 12, dtype: .float64).reshape([3, 4]) / 10
    let q = ((a / b) * weights).sum()
    q.backward()
    assertClose(q.values, divValue, accuracy: 1e-14)
    assertClose(a.grad?.values ?? [], divGradA, accuracy: 1e-14)
    assertClose(b.grad?.values ?? [], divGradB, accuracy: 1e-14)
  }
}
