"""A Session that trains one epoch at a time, with a hook after each: the seam tests use to
break a session (weights to inf or NaN, a device error) at a chosen epoch."""

from __future__ import annotations

from scratchnn_tui.training.session import Session


class EachEpoch(Session):
    def train(self, epochs: int = 1) -> None:
        for _ in range(epochs):
            self.before_epoch()
            super().train(1)
            self.after_epoch()

    def before_epoch(self) -> None:
        """Called before each epoch (may raise, as a failing device would)."""

    def after_epoch(self) -> None:
        """Called after each epoch; `self.epoch` counts it already."""
