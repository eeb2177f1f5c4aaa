"""Why a network stops learning: every neuron of its output layer has died.

A ReLU neuron whose weighted sum z is ≤ 0 on every sample outputs 0 for all of them, and relu′
is 0 there, so no gradient reaches its weights: gradient descent can never bring it back. A
learning rate far too high does this in one update (the step overshoots and pushes every z below
0), and so does the article's zero initialisation (every z is 0 from the start, and relu′(0) = 0).
The loss then sits at mean(Y²), the loss of outputs that are all 0, and nothing says why: this
watch says it, once, with the epoch and the learning rate.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F

from .remedies import IN_APP, Remedies


class DeadOutputWatch:
    """Looks at the losses a session reads for the first one of an all-dead output layer.

    All outputs 0 gives exactly the loss mean(Y²) (the same operations on the same numbers),
    so a scan of the read losses for that value finds the epoch; the weights themselves then
    confirm it (z ≤ 0 on every sample, for every neuron of the output layer).
    """

    def __init__(self, model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> None:
        self._relu_output = bool(model.relu_after[-1])  # a linear output cannot die
        with torch.no_grad():
            self._dead_loss = F.mse_loss(torch.zeros_like(y), y).item()
        self._said = False
        self._born_dead = self._relu_output and _all_dead(model, x)  # as --init zero starts

    def look(self, values: list[float], first_epoch: int, model: torch.nn.Module, x: torch.Tensor,
             lr: float, optimizer_label: str, answer_known: bool = True,
             remedies: Remedies = IN_APP) -> str | None:
        """`values[i]` is the loss after `first_epoch + i` epochs, the last one the current
        weights'. The explanation, the first time the output layer is seen dead, else None; it
        ends with what to do about it in `remedies`' words (keys in the app, flags headless)."""
        if self._said or not self._relu_output or self._dead_loss not in values:
            return None
        if not _all_dead(model, x):
            return None
        self._said = True
        died = 0 if self._born_dead else first_epoch + values.index(self._dead_loss)
        one = model.sizes[-1] == 1
        outputs, it = ("The neuron is", "it") if one else ("Every neuron of the output layer is", "them")
        if died == 0:
            return (f"{outputs} dead from the start: its z ≤ 0 on every sample (with --init zero "
                    f"every z is 0), and relu′ is 0 there, so no gradient flows back and "
                    f"{optimizer_label} cannot move a weight: the loss stays at {self._dead_loss:g}. "
                    f"{'Solved still lands; ' if answer_known else ''}{remedies.born_dead}")
        return (f"{outputs} dead: the update of epoch {died - 1}, at learning rate {lr:g}, pushed "
                f"every z below 0; relu′ is 0 there, so no gradient can bring {it} back and the loss "
                f"stays at {self._dead_loss:g}. {remedies.dead_output}")


def _all_dead(model: torch.nn.Module, x: torch.Tensor) -> bool:
    """Whether every neuron of the output layer has z ≤ 0 on every sample."""
    with torch.no_grad():
        return bool((model.parts(x)[-1][0] <= 0).all())
