"""Reference values for Tests/OptimTests/AdamTests.swift.

Run: /tmp/peers/bin/python scripts/reference/optim_adam.py  (needs torch). Prints the Swift
literals of `AdamReference`: 10 steps of torch.optim.Adam / AdamW on the regression of
optim_common.py, in float32 and float64.
"""
import torch

from optim_common import print_reference

CONFIGS = {
    "adam": (torch.optim.Adam, dict(lr=0.1)),
    "adamL2": (torch.optim.Adam, dict(lr=0.1, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    "adamAMSGrad": (torch.optim.Adam, dict(lr=0.1, amsgrad=True)),
    "adamW": (torch.optim.AdamW, dict(lr=0.1, weight_decay=0.1)),
    "adamWAMSGrad": (
        torch.optim.AdamW, dict(lr=0.05, betas=(0.5, 0.9), weight_decay=0.5, amsgrad=True)),
}

print(f"// Printed by scripts/reference/optim_adam.py (torch {torch.__version__}).")
print("enum AdamReference {")
for name, (cls, kwargs) in CONFIGS.items():
    print_reference(name, lambda params, cls=cls, kwargs=kwargs: cls(params, **kwargs))
print("}")
