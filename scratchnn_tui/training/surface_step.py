"""The step the optimizer is about to take, found by taking it on a copy.

Where the next epoch's update will put the weights is not a formula to guess per optimizer:
SGD moves by −lr·∂L/∂θ, momentum by −lr·v with v = μv + ∂L/∂θ, Adam by about lr per number
whatever the gradient's size, Solved straight to the answer. So the session's own optimizer,
with its state (momentum's velocity, Adam's moments), takes the next epoch on a copy of the
network, and the copy's numbers are where the arrow points. Training is deterministic: the real
next epoch lands exactly there.
"""

from __future__ import annotations

import copy

import torch
from torch import Tensor, nn
from torch.optim import Optimizer

from ..core.epoch import train_epoch
from .timeline import copy_state

STEP_RULES = {"sgd": "−lr·∂L/∂θ", "momentum": "−lr·v, v = μ·v + ∂L/∂θ",
              "adam": "−lr·m̂/(√v̂ + ε): about lr a number", "solved": "straight to the answer"}
"""What each optimizer's step is, in the symbols the gradient panel uses."""


def next_parameters(model: nn.Module, optimizer: Optimizer, build: callable, x: Tensor, y: Tensor) -> Tensor:
    """The network's numbers, flat, after one more epoch of `optimizer` (rebuilt for the copy by
    `build(named_parameters)`, then given the live one's state); the live ones do not change."""
    twin = copy.deepcopy(model)
    stepper = build(twin.named_parameters())
    stepper.load_state_dict(copy_state(optimizer.state_dict()))
    train_epoch(twin, stepper, x, y)
    with torch.no_grad():
        return torch.cat([p.detach().reshape(-1) for p in twin.parameters()])
