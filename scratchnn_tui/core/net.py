"""A network of any depth: hand-made layers in a row, a ReLU after each hidden one.

    ScratchNet([2, 2])      the article's figure: 2 inputs, one layer of 2 neurons
    ScratchNet([1, 8, 1])   1 input, a hidden layer of 8 neurons, 1 output

Layer k computes `Z = X Wᵀ + b` from the layer below's output and passes on `A = relu(Z)`.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn

from .layer import ScratchLinear


class ScratchNet(nn.Module):
    """The seed article's `Net`, with `nn.Linear` replaced by `ScratchLinear`, and stacked.

    Which layers apply ReLU:
        - every hidden layer does: without a non-linearity between them, two layers would be
          one matrix product, no more able than a single layer;
        - a single-layer net keeps ReLU on its output too, as the article's `Net` does;
        - with hidden layers the output layer is linear. A ReLU there can only output values
          ≥ 0, and once its z is negative on every sample no gradient reaches the layers below:
          a 1→8→1 net with a ReLU output ends dead on most seeds for y = x², while with a
          linear output it fits.

    Args:
        sizes: the width of each layer, inputs first: ``[in, hidden…, out]``, at least two.

    Parameters are named ``layers.<k>.weight`` and ``layers.<k>.bias``, k = 0 for the layer
    next to the inputs: the names a task's answer uses, and the names `Solved` finds through
    ``named_parameters()``.
    """

    def __init__(self, sizes: Sequence[int]) -> None:
        super().__init__()
        sizes = tuple(int(size) for size in sizes)
        if len(sizes) < 2:
            raise ValueError(f"a network needs at least an input size and an output size, got {sizes}")
        self.sizes = sizes
        self.layers = nn.ModuleList(ScratchLinear(n_in, n_out) for n_in, n_out in zip(sizes, sizes[1:]))
        last = len(self.layers) - 1
        # relu_after[k]: whether layer k's output goes through ReLU (see the class docstring).
        self.relu_after = tuple(k < last or last == 0 for k in range(len(self.layers)))

    def forward(self, x: Tensor) -> Tensor:
        for layer, relu in zip(self.layers, self.relu_after):
            x = layer(x)
            if relu:
                x = torch.relu(x)
        return x

    def parts(self, x: Tensor) -> list[tuple[Tensor, Tensor]]:
        """Each layer's two halves, from the inputs up: (Z, A), the weighted sums and the
        outputs that the next layer reads (A = relu(Z), or Z itself for a linear output)."""
        found = []
        for layer, relu in zip(self.layers, self.relu_after):
            z = layer(x)
            x = torch.relu(z) if relu else z
            found.append((z, x))
        return found

    def extra_repr(self) -> str:
        return f"sizes={list(self.sizes)}"
