"""A fully connected layer written from scratch: the thing `nn.Linear` hides.

A neuron multiplies its inputs by weights, sums them and adds a bias. A layer is many neurons
side by side, and a mini-batch is many inputs at once, so the whole layer is one matrix product:

    Z = X Wᵀ + b        X: (batch, in)   W: (out, in)   b: (out,)   Z: (batch, out)

`W` is stored out × in, as PyTorch stores it, so row `j` holds the weights of neuron `j`.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn


class ScratchLinear(nn.Module):
    """`y = x @ weight.T + bias`, without `nn.Linear` or `F.linear`.

    Args:
        in_features: size of each input sample.
        out_features: number of neurons (size of each output sample).
        bias: if False, the layer learns no additive bias.

    Shape:
        - Input: ``(*, in_features)``
        - Output: ``(*, out_features)``

    Attributes:
        weight: learnable, shape ``(out_features, in_features)``, initialised from
            ``U(-k, k)`` with ``k = 1 / in_features``'s square root, exactly as `nn.Linear`.
        bias: learnable, shape ``(out_features,)``, from the same distribution.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 device: torch.device | str | None = None, dtype: torch.dtype | None = None) -> None:
        super().__init__()
        if in_features < 1 or out_features < 1:
            raise ValueError(f"a layer needs at least one input and one output, "
                             f"got {in_features} → {out_features}")
        self.in_features = in_features
        self.out_features = out_features
        # Empty storage first, values in reset_parameters(): the same two steps as nn.Linear,
        # so re-initialising a layer (the app's reset) is one call.
        self.weight = nn.Parameter(torch.empty(out_features, in_features, device=device, dtype=dtype))
        if bias:
            self.bias = nn.Parameter(torch.empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw weights and bias from U(-1/√in, 1/√in), consuming the RNG as nn.Linear does.

        kaiming_uniform with a=√5 gives exactly that bound for the weight; drawing the weight
        first and the bias second keeps a seeded ScratchLinear equal to a seeded nn.Linear.
        """
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features)
            nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x: Tensor) -> Tensor:
        z = x @ self.weight.T  # each neuron's weighted sum, for every sample at once
        if self.bias is not None:
            z = z + self.bias  # broadcast: one bias per neuron, the same for every sample
        return z

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
