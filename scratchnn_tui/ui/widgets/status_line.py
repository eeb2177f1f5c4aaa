"""One line with the session's state: what a glance at the screen should tell you."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...engine.snapshot import Frame
from ..numbers import fmt
from .quiet_update import quiet_update


def status_text(frame: Frame | None) -> Text:
    """`▶ running │ Epoch 12 │ loss 0.0089 │ SGD lr 0.02 │ cpu 2,400 steps/s │ seed 8`.

    The task is named in the diagram's title, which keeps this line inside 80 columns.
    """
    if frame is None:
        return Text("Loading PyTorch… (keys pressed now are kept)", style="italic")
    snap = frame.snapshot
    state = Text("▶ running", style="bold green") if frame.running else Text("❚❚ paused", style="bold")
    sep = Text(" │ ", style="dim")
    device = snap.device
    if frame.steps_per_second is not None:
        # On the device it is measured on: tiny work runs slower on a GPU (launches dominate).
        device = f"{snap.device} {frame.steps_per_second:,.0f} steps/s"
    return sep.join([
        state,
        Text(f"Epoch {snap.epoch}", style="bold"),
        Text(f"loss {fmt(snap.loss)}"),
        Text(f"{snap.optimizer} lr {snap.lr:g}"),
        Text(device),
        Text(f"seed {snap.seed}"),
    ])


class StatusLine(Static):
    """Shows `status_text` of the latest frame."""

    DEFAULT_CSS = "StatusLine { height: 1; width: 1fr; }"

    def show(self, frame: Frame | None) -> None:
        quiet_update(self, status_text(frame))
