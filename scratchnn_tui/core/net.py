"""The network the app shows: one hand-made layer followed by a ReLU, `A = relu(X Wᵀ + b)`."""

from __future__ import annotations

from torch import Tensor, nn

from .layer import ScratchLinear


class ScratchNet(nn.Module):
    """The seed article's `Net`, with `nn.Linear` replaced by `ScratchLinear`.

    Its parameters are named ``layer.weight`` and ``layer.bias``: the names a task's answer
    uses, and the names `Solved` finds through ``named_parameters()``.
    """

    def __init__(self, in_features: int, out_features: int) -> None:
        super().__init__()
        self.layer = ScratchLinear(in_features, out_features)
        self.activation = nn.ReLU()

    def forward(self, x: Tensor) -> Tensor:
        return self.activation(self.layer(x))

    def parts(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """Both halves of a neuron: the weighted sum Z and the activation A = relu(Z)."""
        z = self.layer(x)
        return z, self.activation(z)
