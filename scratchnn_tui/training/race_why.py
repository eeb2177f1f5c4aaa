"""Why each racer moves as it does, in one line from its own numbers: what the race board says
beside each lane, so the winner is explained, not only marked.

Read at one number every racer has, the output layer's first weight w₁₁: its slope ∂L/∂w₁₁
now (the gradient the next step will read), how far the last epochs moved it on average, and
the optimizer's own state for it. Plain SGD steps lr × the slope; momentum's velocity adds
agreeing slopes up, so its step outgrows SGD's on a steady slope; Adam divides by the slope's
typical size, so its step stays near lr whatever the slope; Solved reads no slope at all.
"""

from __future__ import annotations

import torch

from ..core.backward import gradients
from .snapshot import number_name


class StepWatch:
    """The watched weight before the last training burst, to measure how far it moved."""

    def __init__(self) -> None:
        self._before: torch.Tensor | None = None
        self._epochs = 0

    def before(self, session, epochs: int) -> None:
        self._before = _watched(session).detach().clone()  # on the device: no sync here
        self._epochs = epochs

    def moved(self, session) -> float | None:
        """How far the watched weight moved an epoch over the last burst (None before one)."""
        if self._before is None or not self._epochs:
            return None
        return (_watched(session).detach() - self._before).item() / self._epochs


def _watched(session) -> torch.Tensor:
    return session.model.layers[-1].weight[0, 0]


def why_line(key: str, session, moved: float | None) -> str:
    """One line: why optimizer `key`'s racer moves w₁₁ as it does, from its numbers now."""
    layer = session.model.layers[-1]
    name = number_name(0, 0, layer.in_features)
    if key == "solved":
        if session.epoch == 0:
            return "reads no slope: its one step writes in the answer"
        return f"read no slope: its first step wrote in the answer, {name} = {_g(_watched(session).item())}"
    x, y = session.batch
    slope = gradients(session.model, x, y)["layers.%d.weight" % (len(session.model.layers) - 1)][0, 0].item()
    lr = session.lr
    moved_text = "" if moved is None else f", moved {_g(moved)}/epoch"
    if key == "sgd":
        return f"lr × slope: ∂L/∂{name} = {_g(slope)}{moved_text}; slows as the slope flattens"
    state = session.optimizer.state.get(layer.weight, {})
    if key == "momentum":
        velocity = state.get("momentum_buffer")
        if velocity is None:
            return f"a velocity will add up the slopes that agree: ∂L/∂{name} = {_g(slope)}"
        v = velocity[0, 0].item()
        turning = " (past the dip: turning)" if v * slope < 0 else ""
        return f"velocity {_g(v)} adds slopes up: ∂L/∂{name} = {_g(slope)}{moved_text}{turning}"
    if key == "adam":
        return f"steps ≈ lr = {_g(lr)} whatever the slope: ∂L/∂{name} = {_g(slope)}{moved_text}"
    return f"∂L/∂{name} = {_g(slope)}{moved_text}"


def _g(value: float) -> str:
    return f"{value:.3g}"
