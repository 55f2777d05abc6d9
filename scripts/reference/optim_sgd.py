"""Reference values for Tests/OptimTests/SGDTests.swift.

Run: /tmp/peers/bin/python scripts/reference/optim_sgd.py  (needs torch). Prints the Swift
literals of `SGDReference`: 10 steps of torch.optim.SGD on the regression of optim_common.py,
in float32 and float64.
"""
import torch

from optim_common import print_reference

CONFIGS = {
    "plain": dict(lr=0.1),
    "momentum": dict(lr=0.05, momentum=0.9),
    "nesterovWeightDecay": dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
    "dampeningWeightDecay": dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.1),
}

print(f"// Printed by scripts/reference/optim_sgd.py (torch {torch.__version__}).")
print("enum SGDReference {")
for name, kwargs in CONFIGS.items():
    print_reference(name, lambda params, kwargs=kwargs: torch.optim.SGD(params, **kwargs))
print("}")
