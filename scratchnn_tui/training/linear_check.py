"""PyTorch's own `nn.Linear`, given the hand-made layer's numbers: the oracle the code view shows.

The lesson says `ScratchLinear` computes what `nn.Linear` does. The code view (s) proves it on
the numbers of the moment: each layer's weight and bias copied into an `nn.Linear`, run on the
input that layer reads, beside the line of `ScratchLinear.forward` that made the same numbers.
Computed only while the code view is open.
"""

from __future__ import annotations

import torch
from torch import nn

from .snapshot import Matrix


@torch.no_grad()
def linear_checks(model, x: torch.Tensor) -> tuple[Matrix, ...]:
    """Each layer's Z as `nn.Linear` computes it from the same weight, bias and input."""
    found, layer_input = [], x
    for layer, (z, a) in zip(model.layers, model.parts(x)):
        reference = nn.Linear(layer.in_features, layer.out_features, bias=layer.bias is not None,
                              device=layer.weight.device, dtype=layer.weight.dtype)
        reference.weight.copy_(layer.weight)
        if layer.bias is not None:
            reference.bias.copy_(layer.bias)
        found.append(tuple(tuple(row) for row in reference(layer_input).tolist()))
        layer_input = a  # the next layer reads this one's A
    return tuple(found)
