"""Reference values for Tests/AutoGradTests/PyTorchReferenceTests.swift.

Run: python3 scripts/reference/autograd_compositions.py  (needs torch). Prints Swift literals.
"""
import torch

torch.set_printoptions(precision=17)
d = torch.float64


def show(name, t):
    print(f"let {name}: [Double] = {[float(v) for v in t.detach().flatten()]}")


# 1. Cross-entropy by hand: -mean(logSoftmax(z)[i, y_i])
z = torch.tensor([[1.0, -2.0, 0.5], [0.3, 0.2, -1.0], [2.0, 1.0, 0.0], [-0.5, 0.0, 0.5]], dtype=d, requires_grad=True)
y = torch.tensor([[0], [2], [1], [2]])
loss = -torch.log_softmax(z, dim=1).gather(1, y).mean()
loss.backward()
show("ceLoss", loss)
show("ceGrad", z.grad)

# 2. matmul + sigmoid + mean
x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=d, requires_grad=True)
w = torch.tensor([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], dtype=d, requires_grad=True)
out = torch.sigmoid(x @ w).mean()
out.backward()
show("msmValue", out)
show("msmGradX", x.grad)
show("msmGradW", w.grad)

# 3. broadcasting divide: a [3,1] / b [1,4], then a weighted sum
a = torch.tensor([[1.0], [2.0], [-3.0]], dtype=d, requires_grad=True)
b = torch.tensor([[0.5, -1.5, 2.0, 4.0]], dtype=d, requires_grad=True)
weights = torch.arange(12, dtype=d).reshape(3, 4) / 10
q = ((a / b) * weights).sum()
q.backward()
show("divValue", q)
show("divGradA", a.grad)
show("divGradB", b.grad)
