"""Reference values for Tests/OptimTests/LearningRateScheduleTests.swift.

Run: /tmp/peers/bin/python scripts/reference/optim_schedules.py  (needs torch). Prints the
get_last_lr() sequences of torch's StepLR, ExponentialLR and LambdaLR (t = 0 … 9), and
`ScheduleReference.stepLRMomentum`: the regression of optim_common.py trained with SGD whose
learning rate a StepLR drives (scheduler.step() after every optimizer.step()).
"""
import torch

from optim_common import print_reference, swift_array


def last_lrs(make_scheduler, lr, count=10):
    """get_last_lr() after construction and after each of count − 1 steps."""
    p = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=lr)
    scheduler = make_scheduler(optimizer)
    values = [scheduler.get_last_lr()[0]]
    for _ in range(count - 1):
        optimizer.step()
        scheduler.step()
        values.append(scheduler.get_last_lr()[0])
    return values


print(f"// Printed by scripts/reference/optim_schedules.py (torch {torch.__version__}).")
print("enum ScheduleReference {")
sequences = {
    "stepLR": last_lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5), 0.1),
    "exponentialLR": last_lrs(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9), 0.1),
    "lambdaLR": last_lrs(
        lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda t: 1 / (1 + t) ** 0.5), 0.2),
}
for name, values in sequences.items():
    print(f"  static let {name}: [Double] = {swift_array(values, indent='    ', close='  ')}")
print_reference(
    "stepLRMomentum",
    lambda params: torch.optim.SGD(params, lr=0.1, momentum=0.9),
    make_scheduler=lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5))
print("}")
