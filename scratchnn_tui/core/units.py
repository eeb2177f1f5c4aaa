"""What each hidden unit adds to the output: why a layer of ReLUs can bend a line.

Take a net with one input, one hidden layer of N units and a linear output (`ScratchNet([1, N,
1])`). Its output is a sum, one term a unit, plus the output's bias c:

    y(x) = v₁·relu(w₁x + b₁) + … + v_N·relu(w_N x + b_N) + c

Each term is zero on one side of the point where its unit switches on, x = −bₖ/wₖ (its hinge),
and a straight line of slope vₖ·wₖ on the other. So y is straight between hinges and turns a
corner at each one: N units can draw a curve with N joints, and training moves the joints.

    >>> net = ScratchNet([1, 8, 1])
    >>> x = torch.linspace(-1, 3, 50).unsqueeze(1)
    >>> parts = contributions(net, x)               # (50, 8): one column a unit
    >>> y = parts.sum(1) + net.layers[1].bias[0]    # equals net(x)[:, 0]
"""

from __future__ import annotations

import torch
from torch import Tensor

from .net import ScratchNet


def contributions(net: ScratchNet, x: Tensor, output: int = 0) -> Tensor:
    """Column k: hidden unit k's term in output `output`, vₖ·relu(wₖ·x + bₖ), for each row of
    `x` (batch × in). Their sum plus that output's bias is the net's output.

    Only for a net with one hidden layer and a linear output (`sizes` = [in, N, out]).
    """
    if len(net.layers) != 2:
        raise ValueError(f"contributions are one hidden layer's; this net has sizes {list(net.sizes)}")
    hidden, out = net.layers
    a = torch.relu(hidden(x))           # (batch, N): each unit's output
    return a * out.weight[output]       # (batch, N): times its weight vₖ into the output


def hinge(weight: float, bias: float) -> float | None:
    """Where a unit relu(w·x + b) of one input switches on: x = −b/w; None when w = 0 (then the
    unit is the same everywhere, on or off, and has no joint)."""
    return None if weight == 0 else -bias / weight
