"""Shared fixture for the optimiser reference scripts (optim_sgd.py, optim_adam.py,
optim_schedules.py): a tiny linear regression with fixed data, trained with torch.optim.

The same numbers are in Tests/OptimTests/OptimTestSupport.swift (`RegressionFixture`).
"""
import torch

X = [
    [0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [-0.3, 0.8, 0.1], [1.0, 1.0, -1.0], [0.0, -0.5, 0.7],
]
Y = [[1.0, -0.5], [0.2, 0.3], [-1.2, 0.9], [0.4, 0.0], [0.6, -0.8]]
W0 = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]
B0 = [0.05, -0.1]


def train(make_optimizer, dtype, steps=10, make_scheduler=None):
    """Runs `steps` optimiser steps on mean((x·Wᵀ + b − y)²); returns the loss before each step
    and the final weight and bias (flattened), as Python floats."""
    x = torch.tensor(X, dtype=dtype)
    y = torch.tensor(Y, dtype=dtype)
    w = torch.tensor(W0, dtype=dtype, requires_grad=True)
    b = torch.tensor(B0, dtype=dtype, requires_grad=True)
    optimizer = make_optimizer([w, b])
    scheduler = make_scheduler(optimizer) if make_scheduler else None
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((torch.nn.functional.linear(x, w, b) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        if scheduler:
            scheduler.step()
        losses.append(loss.item())
    return losses, w.detach().flatten().tolist(), b.detach().flatten().tolist()


def swift_array(values, indent="      ", close="    "):
    """A Swift [Double] literal with shortest round-trip reprs, wrapped at 100 columns: items
    indented by `indent`, the closing bracket by `close`."""
    items = [repr(float(v)) for v in values]
    lines, line = [], indent
    for item in items:
        piece = item + ","
        if len(line) + len(piece) + 1 > 100:
            lines.append(line.rstrip())
            line = indent
        line += piece + " "
    lines.append(line.rstrip())
    return "[\n" + "\n".join(lines) + "\n" + close + "]"


def print_reference(name, make_optimizer, make_scheduler=None, steps=10):
    """Prints `static let <name>` as a Swift `RegressionReference` literal (float32 and float64)."""
    runs = {}
    for label, dtype in (("32", torch.float32), ("64", torch.float64)):
        runs[label] = train(make_optimizer, dtype, steps, make_scheduler)
    print(f"  static let {name} = RegressionReference(")
    fields = []
    for label in ("32", "64"):
        losses, w, b = runs[label]
        fields.append(f"    losses{label}: {swift_array(losses)}")
        fields.append(f"    weight{label}: {swift_array(w)}")
        fields.append(f"    bias{label}: {swift_array(b)}")
    print(",\n".join(fields) + ")")
