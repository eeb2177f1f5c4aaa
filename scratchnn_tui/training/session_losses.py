"""A session's losses: how they wait to be read, and what reading them checks.

An epoch records the loss of the weights before its update for free (the loss after the previous
epoch); on a GPU that loss stays a tensor until a read, so a frame costs one device
synchronisation, not one an epoch (docs/PERFORMANCE.md). A read checks what it finds: a loss
that is not finite rolls the session back to the last epoch whose loss was (`Diverged`), and an
output layer that died is said once (`dead_output`).

`SessionLosses` is a part of `Session` (its base class), kept apart because it is one idea: the
session's set-up lives in `session.py`, its past (step back, edits) in `session_past.py`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch.nn import functional as F

from .errors import Diverged
from .optimizers import get_optimizer
from .timeline import KEYFRAME_EVERY


class SessionLosses:
    """The loss reads of a `Session` (see the module's docstring)."""

    def progress(self) -> tuple[int, float]:
        """The epoch and the exact loss after it, for a frame between two snapshots: a read
        of the pending losses alone, checked as `check` does."""
        self.check()
        return self.epoch, self._history.last

    def _keep(self) -> Callable[[torch.Tensor], float | torch.Tensor]:
        """How a loss waits to be read. On the cpu, its value at once (`item` is a plain read
        there). Elsewhere, the tensor: `item` would wait for the device every epoch, where one
        read per frame waits once (docs/PERFORMANCE.md)."""
        return torch.Tensor.item if self.device == "cpu" else torch.Tensor.detach

    @staticmethod
    def _values(losses: list) -> list[float]:
        """Kept losses as floats: read from the device in one transfer if they are tensors."""
        return torch.stack(losses).tolist() if losses and isinstance(losses[0], torch.Tensor) else losses

    def check(self) -> None:
        """Read the pending losses (one device sync). If one is not finite, go back to the last
        epoch whose loss is (from the timeline's keyframes, as `b` does), keep those weights,
        and raise `Diverged` saying where and why."""
        self._accept(self._values(self._pending_with_current()))

    def _accept(self, values: list[float]) -> None:
        """Record the losses just read (the pending ones, then the current one), or roll back."""
        finite = math.isfinite(sum(values))  # no inf or NaN: one C loop, a scan only if not
        bad = None if finite else next((i for i, v in enumerate(values) if not math.isfinite(v)), None)
        if bad is None:
            first = self._history.count
            self._record(values)
            if self.epoch > 0:  # only once it has trained: a dead start is told after epoch 1
                note = self._watch.look(values, first, self.model, self._x, self.lr,
                                        get_optimizer(self._optimizer_key).label, self.answer is not None,
                                        self.remedies)
                if note is not None:
                    self._notes.append(note)
            # A keyframe at a read (one a frame while running, one a key press when stepping)
            # once the last is KEYFRAME_EVERY moments old: a few a second cost run mode nothing
            # measurable, where one every KEYFRAME_EVERY epochs cost it ~4 % (docs/PERFORMANCE.md).
            if self._moment() - self._timeline.latest >= KEYFRAME_EVERY:
                self._timeline.add(self._capture())
            return
        diverged_at = self._history.count + bad  # the epoch after which the loss is not finite
        value = values[bad]
        # Edits read every loss first, so none lies among these: the last finite epoch's moment
        # is that epoch plus the edits so far.
        self._go_to(diverged_at - 1 + self._edits, explain=False)
        raise Diverged(
            f"loss became {value} at epoch {diverged_at}: learning rate {self.lr:g} is too high "
            f"for this task; {self.remedies.diverged}", epoch=diverged_at)

    def _known(self) -> int:
        """How many losses (after 0, 1, … epochs) are recorded or pending."""
        return self._history.count + len(self._pending)

    def _pending_with_current(self, current: torch.Tensor | None = None) -> list:
        """The pending losses, plus the loss of the current weights if it is not known yet,
        all kept as `_keep` keeps them."""
        if self._known() > self.epoch:
            return self._pending
        if current is None:
            with torch.no_grad():
                current = F.mse_loss(self.model(self._x), self._y)
        return [*self._pending, self._keep()(current)]

    def _record(self, values: list[float]) -> None:
        """Move the losses just read from pending into the history."""
        self._history.extend(values)
        self._pending = []

    def _read_pending(self) -> None:
        self._record(self._values(self._pending_with_current()))

    @property
    def losses(self) -> list[float]:
        """Loss after k epochs, k = 0 … epoch, down-sampled once the run is long (LossHistory)."""
        self._read_pending()
        return list(self._history.points())

    @property
    def loss(self) -> float:
        """The loss after the latest epoch (exact, never down-sampled)."""
        self._read_pending()
        return self._history.last
