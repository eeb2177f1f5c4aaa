"""The loss over a window of two parameters: every grid point at once, from the core's forward.

Each grid point is the network with two of its numbers replaced. `torch.func.vmap` runs the
core's own forward (`ScratchNet.forward` through `functional_call`) and the loss for all of
them as one batched computation, no autograd: SIDE × SIDE networks in about a millisecond on a
cpu. For a network with no other numbers (`triple`'s w₁₁ and b₁) that is the whole loss
surface, computed once for a window and kept until the window or the data change; for a
larger one it is a slice, computed again at each frame as the other numbers move.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch
from torch import Tensor, nn
from torch.func import functional_call, vmap
from torch.nn import functional as F

from .snapshot import number_name
from .surface_view import Pair, SurfaceChoice
from .surface_window import Window

SIDE = 49  # grid points along each parameter: more than the map's pixels at 120×40


def pair_for(sizes: Sequence[int], choice: SurfaceChoice) -> Pair:
    """The two parameters `choice` asks for in a network of `sizes`: the selected weight (the
    neuron's first weight when its bias is selected) and the same neuron's bias, clamped to
    what the network has."""
    depth = len(sizes) - 1
    layer = choice.layer % depth if choice.layer < 0 else min(choice.layer, depth - 1)
    n_in, n_out = sizes[layer], sizes[layer + 1]
    neuron = max(0, min(choice.neuron, n_out - 1))
    index = choice.index if 0 <= choice.index < n_in else 0
    names = (number_name(neuron, index, n_in), number_name(neuron, n_in, n_in))
    plain = tuple(name.translate(_PLAIN) for name in names)
    if depth > 1:
        plain = tuple(f"layer{layer + 1}_{name}" for name in plain)
    return Pair(layer=layer, neuron=neuron, index=index, names=names, plain=plain, depth=depth)


_PLAIN = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def axis(low: float, high: float, count: int = SIDE) -> list[float]:
    """`count` evenly spaced values from `low` to `high`, both ends included."""
    step = (high - low) / (count - 1)
    return [low + i * step for i in range(count)]


def grid_points(window: Window, side: int = SIDE) -> tuple[list[float], list[float]]:
    """The grid's values of p₁ (columns) and p₂ (rows)."""
    return axis(window.low1, window.high1, side), axis(window.low2, window.high2, side)


def losses_over(model: nn.Module, params: Mapping[str, Tensor], x: Tensor, y: Tensor, pair: Pair,
                p1: Sequence[float], p2: Sequence[float]) -> Tensor:
    """The loss at every (p1[i], p2[j]), flat, row by row (j outer): the network `model` with
    the numbers `params` (by name), the pair replaced at each point. One batched computation,
    in float64."""
    weight_name, bias_name = f"layers.{pair.layer}.weight", f"layers.{pair.layer}.bias"
    device = params[weight_name].device
    # In float64 (float32 where the device has no other, mps): the map is the loss at the grid's
    # numbers as written, near the minimum too, where float32's rounding of ŷ − y (~1e-6 on a
    # y of 12) would be a large part of a loss of 1e-8.
    exact = torch.float32 if device.type == "mps" else torch.float64
    params = {name: tensor.to(exact) for name, tensor in params.items()}
    x, y = x.to(exact), y.to(exact)
    weight, bias = params[weight_name], params[bias_name]
    at_weight = torch.zeros_like(weight, dtype=torch.bool)
    at_weight[pair.neuron, pair.index] = True
    at_bias = torch.zeros_like(bias, dtype=torch.bool)
    at_bias[pair.neuron] = True
    rows, columns = torch.meshgrid(torch.tensor(p2, device=device, dtype=weight.dtype),
                                   torch.tensor(p1, device=device, dtype=weight.dtype), indexing="ij")

    def loss_at(first: Tensor, second: Tensor) -> Tensor:
        moved = {**params, weight_name: torch.where(at_weight, first, weight),
                 bias_name: torch.where(at_bias, second, bias)}
        return F.mse_loss(functional_call(model, moved, (x,)), y)

    with torch.no_grad():
        return vmap(loss_at)(columns.flatten(), rows.flatten())


def losses_at(model: nn.Module, points: Tensor, x: Tensor, y: Tensor) -> Tensor:
    """The loss of `model` with each row of `points` as all of its numbers, laid end to end in
    `named_parameters()` order (a path's points, `param_path`): one batched computation, as
    the grid is, so a path's rows in a table are the losses at those weights, every number in
    place, not a slice's."""
    shapes = [(name, p.shape, p.numel()) for name, p in model.named_parameters()]

    def loss_at(flat: Tensor) -> Tensor:
        params, offset = {}, 0
        for name, shape, count in shapes:
            params[name] = flat[offset:offset + count].view(shape)
            offset += count
        return F.mse_loss(functional_call(model, params, (x,)), y)

    with torch.no_grad():
        return vmap(loss_at)(points)
