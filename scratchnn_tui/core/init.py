"""Where the weights start: the two initialisations the app offers.

- `uniform`, what `nn.Linear` does: each weight and bias drawn from U(−1/√in, 1/√in). Different
  neurons start different, so they learn different things.
- `zero`, the article's shortcut ("set them to zero"): every z is then 0, and relu′(0) = 0, so
  no gradient flows through a ReLU and gradient descent never moves a weight. `Solved` still
  lands in one step: it does not read gradients.
"""

from __future__ import annotations

import torch
from torch import nn

INITS = ("uniform", "zero")


@torch.no_grad()
def initialise(net: nn.Module, how: str = "uniform") -> nn.Module:
    """Set every layer of `net` (each with `reset_parameters()`, as ScratchLinear has) as `how`
    says, in place; returns `net`. `uniform` consumes the random generator as nn.Linear does."""
    if how not in INITS:
        raise ValueError(f"unknown initialisation {how!r}; choose one of: {', '.join(INITS)}")
    if how == "zero":
        for param in net.parameters():
            param.zero_()
        return net
    for module in net.modules():
        if module is not net and hasattr(module, "reset_parameters"):
            module.reset_parameters()
    return net
