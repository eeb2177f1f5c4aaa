"""The loss over the whole run, on Textual's own `Sparkline`, with a one-line caption.

Loss falls over orders of magnitude, so by default the bars show log₁₀(loss): a drop from 60 to
0.01 and the slow crawl after it both stay visible. `Sparkline` raises on NaN or inf, so only
finite values ever reach it; the caption says when some were left out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Label, Sparkline

from ...training.snapshot import Snapshot
from ..numbers import fmt
from .quiet_update import quiet_update

LOG_FLOOR = 1e-12  # where a loss of 0 is drawn on the log scale when no loss is above 0


def chart_values(losses: Sequence[float], log_scale: bool, width: int | None = None) -> list[float]:
    """The bar heights: finite losses only, as log₁₀ when `log_scale`, at most `width` of them.

    Longer data are cut into `width` buckets exactly as `Sparkline` cuts them, each bucket
    summarised by its max: the bars are the same, but the Sparkline, which summarises every
    bucket again for each of its rows, then has one value per bucket to look at.
    """
    finite = [v for v in losses if math.isfinite(v)]
    count = len(finite)
    if width is not None and 0 < width < count:
        # Sparkline's bucket i is data[⌊i·count/width⌋ : ⌊(i+1)·count/width⌋]
        finite = [max(finite[i * count // width:(i + 1) * count // width]) for i in range(width)]
    if log_scale:
        # A loss of exactly 0 (Solved) has no logarithm: draw it a decade below the smallest
        # loss above 0, so it reads as the bottom without squashing every other bar to the top.
        positive = [v for v in finite if v > 0]
        floor = min(positive) / 10 if positive else LOG_FLOOR
        return [math.log10(max(v, floor)) for v in finite]
    return finite


def caption(snapshot: Snapshot, log_scale: bool) -> str:
    """`log scale, 25 epochs · first 49.77  min 0.01  last 0.01`, and what the bars stand for."""
    scale = "log" if log_scale else "linear"
    epochs = snapshot.epoch
    parts = [f"{scale} scale, {epochs} epoch{'' if epochs == 1 else 's'}"]
    parts.append(f"first {fmt(snapshot.loss_first)}  min {fmt(snapshot.loss_lowest)}  last {fmt(snapshot.loss)}")
    if snapshot.loss_bucket > 1:
        parts.append(f"a point is the worst of {snapshot.loss_bucket} epochs")
    dropped = sum(1 for v in snapshot.losses if not math.isfinite(v))
    if dropped:
        parts.append(f"{dropped} non-finite not drawn")
    return " · ".join(parts)


class LossChart(Widget):
    """A caption and a Sparkline of the loss history."""

    DEFAULT_CSS = """
    LossChart { height: 1fr; min-height: 2; }
    LossChart > Label { color: $text-muted; width: 1fr; height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    LossChart > Sparkline { height: 1fr; min-height: 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.log_scale = True
        self._snapshot: Snapshot | None = None

    def compose(self) -> ComposeResult:
        yield Label("loss: waiting for the session", id="loss-caption")
        yield Sparkline([], summary_function=max)

    def show(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        sparkline = self.query_one(Sparkline)
        sparkline.data = chart_values(snapshot.losses, self.log_scale, sparkline.size.width)
        quiet_update(self.query_one("#loss-caption", Label), caption(snapshot, self.log_scale))

    def on_resize(self) -> None:
        if self._snapshot is not None:  # the bucketing depends on the width
            self.show(self._snapshot)

    def toggle_scale(self) -> None:
        self.log_scale = not self.log_scale
        if self._snapshot is not None:
            self.show(self._snapshot)
