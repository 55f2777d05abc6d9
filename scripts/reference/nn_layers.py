"""Reference values for Tests/NNTests/PyTorchLayerTests.swift (float32, like training).

Run: python3 scripts/reference/nn_layers.py  (needs torch). Prints Swift literals.
"""
import torch
import torch.nn as nn

f = torch.float32


def show(name, t):
    vals = [float(v) for v in torch.as_tensor(t).detach().flatten()]
    print(f"let {name}: [Double] = {vals}")


# Linear with given parameters; loss = Σ y ⊙ weights.
lin = nn.Linear(4, 2)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[0.1, -0.2, 0.3, -0.4], [0.5, 0.6, -0.7, 0.8]]))
    lin.bias.copy_(torch.tensor([0.05, -0.05]))
x = torch.tensor([[1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 0.0, 2.0], [0.3, -0.3, 0.9, -0.9]], requires_grad=True)
y = lin(x)
(y * torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.25]])).sum().backward()
show("linearOutput", y)
show("linearGradWeight", lin.weight.grad)
show("linearGradBias", lin.bias.grad)
show("linearGradInput", x.grad)

# Losses.
def loss_case(prefix, loss_fn, inp, tgt):
    inp = inp.clone().requires_grad_(True)
    out = loss_fn(inp, tgt)
    (out if out.dim() == 0 else (out * torch.arange(1, out.numel() + 1, dtype=f).reshape(out.shape))).sum().backward()
    show(prefix + "Value", out)
    show(prefix + "Grad", inp.grad)

pred = torch.tensor([0.5, -1.0, 2.0, 0.25])
targ = torch.tensor([1.0, 0.0, 1.5, -0.5])
for red in ["mean", "sum", "none"]:
    loss_case("mse" + red.capitalize(), nn.MSELoss(reduction=red), pred, targ)

p = torch.tensor([0.0, 1.0, 0.3, 0.9, 1e-8, 0.0, 1.0])
yb = torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0])
loss_case("bceMean", nn.BCELoss(), p, yb)
loss_case("bceNone", nn.BCELoss(reduction="none"), p, yb)

z = torch.tensor([100.0, -100.0, 1000.0, -1000.0, 0.5, -2.0])
yz = torch.tensor([1.0, 1.0, 0.0, 0.0, 1.0, 0.0])
loss_case("bceLogitsMean", nn.BCEWithLogitsLoss(), z, yz)
loss_case("bceLogitsSum", nn.BCEWithLogitsLoss(reduction="sum"), z, yz)

logits = torch.tensor([[1.0, 2.0, 0.5], [100.0, -100.0, 0.0], [0.1, 0.2, 0.3], [-3.0, 4.0, 1.0]])
cls = torch.tensor([1, 0, 2, 2])
loss_case("ceMean", nn.CrossEntropyLoss(), logits, cls)
loss_case("ceNone", nn.CrossEntropyLoss(reduction="none"), logits, cls)
loss_case("ceSmooth", nn.CrossEntropyLoss(label_smoothing=0.1), logits, cls)
probs = torch.tensor([[0.2, 0.7, 0.1], [1.0, 0.0, 0.0], [0.3, 0.3, 0.4], [0.0, 0.5, 0.5]])
loss_case("ceProbs", nn.CrossEntropyLoss(), logits, probs)
loss_case("ceOneClass", nn.CrossEntropyLoss(), torch.tensor([[3.0], [-2.0]]), torch.tensor([0, 0]))
loss_case("nllMean", nn.NLLLoss(), torch.log_softmax(logits, 1), cls)

# BatchNorm1d: 3 training steps, gradient on the first, running stats, then eval.
bn = nn.BatchNorm1d(3)
with torch.no_grad():
    bn.weight.copy_(torch.tensor([1.0, 0.5, 2.0]))
    bn.bias.copy_(torch.tensor([0.0, 0.1, -0.2]))
batches = [
    torch.tensor([[1.0, 2.0, 3.0], [4.0, 0.0, -1.0], [0.5, 0.5, 0.5], [2.0, -2.0, 1.0]]),
    torch.tensor([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0], [3.0, -1.0, 0.0], [-1.0, 2.0, 5.0]]),
    torch.tensor([[2.0, 2.0, 2.0], [0.0, 0.0, 1.0], [1.0, -1.0, 3.0], [5.0, 1.0, 0.0]]),
]
w = torch.tensor([[1.0, -1.0, 0.5], [2.0, 0.0, 1.0], [-0.5, 1.5, 1.0], [0.25, 0.75, -2.0]])
xb = batches[0].clone().requires_grad_(True)
out = bn(xb)
(out * w).sum().backward()
show("bnTrainOutput", out)
show("bnGradInput", xb.grad)
show("bnGradWeight", bn.weight.grad)
show("bnGradBias", bn.bias.grad)
bn(batches[1]); bn(batches[2])
show("bnRunningMean", bn.running_mean)
show("bnRunningVar", bn.running_var)
bn.eval()
show("bnEvalOutput", bn(batches[0]))
