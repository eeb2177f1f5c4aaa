"""The loss over the whole run, on Textual's own `Sparkline`, with a caption and labelled axes.

Loss falls over orders of magnitude, so by default the bars show log₁₀(loss): a drop from 60 to
0.01 and the slow crawl after it both stay visible. `Sparkline` raises on NaN or inf, so only
finite values ever reach it; the caption says when some were left out.

A Sparkline stretches its data over its whole width: two epochs would be two blocks half a
screen wide each. So while there are fewer points than columns it is made exactly as wide as
the points, one column each, left-aligned; with more, it fills the room and buckets them. On its
left the highest and the lowest loss drawn (the real losses, also on the log scale), under it the
epochs its first and last columns stand for. `chart_layout` works all of that out, without an app.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label, Sparkline, Static

from ...training.snapshot import Snapshot
from ..numbers import fmt
from .quiet_update import quiet_update

LOG_FLOOR = 1e-12  # where a loss of 0 is drawn on the log scale when no loss is above 0
GAP = 1  # columns between the value labels and the bars
AXIS_FROM = 4  # rows (caption, two of bars, epochs) from which the epoch line is shown
LOSS_LEAST_ROWS = AXIS_FROM  # the least the chart is given: its caption, two rows of bars, the epochs


def drawn_losses(losses: Sequence[float], width: int | None = None) -> list[float]:
    """The losses the bars stand for: the finite ones, at most `width` of them.

    Longer data are cut into `width` buckets exactly as `Sparkline` cuts them, each bucket
    summarised by its max: the bars keep their shapes, the Sparkline, which summarises every
    bucket again for each of its rows, then has one value per bucket to look at, and the bottom
    of its scale is the lowest bar drawn (the loss the bottom label names), not a loss inside
    some bucket that no bar shows.
    """
    finite = [v for v in losses if math.isfinite(v)]
    count = len(finite)
    if width is not None and 0 < width < count:
        # Sparkline's bucket i is data[⌊i·count/width⌋ : ⌊(i+1)·count/width⌋]
        finite = [max(finite[i * count // width:(i + 1) * count // width]) for i in range(width)]
    return finite


def chart_values(losses: Sequence[float], log_scale: bool, width: int | None = None) -> list[float]:
    """The bar heights: `drawn_losses`, as log₁₀ when `log_scale`."""
    drawn = drawn_losses(losses, width)
    if log_scale:
        # A loss of exactly 0 (Solved) has no logarithm: draw it a decade below the smallest
        # loss above 0, so it reads as the bottom without squashing every other bar to the top.
        positive = [v for v in drawn if v > 0]
        floor = min(positive) / 10 if positive else LOG_FLOOR
        return [math.log10(max(v, floor)) for v in drawn]
    return drawn


def value_labels(drawn: Sequence[float], rows: int) -> list[str]:
    """One line per row of bars: the highest loss drawn beside the top row, the lowest beside
    the bottom one. Sparkline puts the largest value at the very top and the smallest at the
    very bottom, on either scale, so the labels mark exactly the bars' range.

    One point is one full-height bar (its loss on top); equal points lie on the bottom row.
    """
    lines = [""] * max(rows, 1)
    if len(drawn) == 1:
        lines[0] = fmt(drawn[0])
    elif drawn:
        high, low = max(drawn), min(drawn)
        lines[-1] = fmt(low)  # on one row, the highest wins: it is the row's full blocks
        if high != low:
            lines[0] = fmt(high)
    width = max(map(len, lines))
    return [line.rjust(width) for line in lines]


def epoch_span(losses: Sequence[float], bucket: int, epoch: int) -> tuple[int, int] | None:
    """The first epoch of the first drawn point and the last epoch of the last one; point i
    covers epochs [i·bucket, (i+1)·bucket), the last one up to `epoch`. None when none is drawn."""
    drawn = [i for i, v in enumerate(losses) if math.isfinite(v)]
    if not drawn:
        return None
    return drawn[0] * bucket, max(min((drawn[-1] + 1) * bucket - 1, epoch), drawn[0] * bucket)


def epoch_axis(span: tuple[int, int] | None, columns: int, room: int) -> str:
    """`epoch 0` under the first column and `epoch N` ending under the last, or, when the bars
    are too narrow for both, `epochs 0–N` from the first column on; cut to `room` columns."""
    if span is None:
        return ""
    first, last = span
    if first == last:
        return f"epoch {first}"[:room]
    left, right = f"epoch {first}", f"epoch {last}"
    if len(left) + 1 + len(right) <= columns:
        return left + right.rjust(columns - len(left))
    return f"epochs {first}–{last}"[:room]


@dataclass(frozen=True)
class ChartLayout:
    """What the chart's parts show for one snapshot in a `width` × `height` widget."""

    values: list[float]  # the Sparkline's data: one value per column
    columns: int         # the Sparkline's width
    fill: bool           # the values fill the room (more points than columns: bucketed)
    labels: list[str]    # the value labels, one line per row of bars
    axis: str | None     # the epoch line, from the bars' first column; None when there is no room
    indent: int          # where the bars start: the labels' width and the gap


def chart_layout(snapshot: Snapshot, log_scale: bool, width: int, height: int) -> ChartLayout:
    """Size and label the chart: the caption takes a row, the epoch line one more when the
    widget is `AXIS_FROM` rows high, the bars the rest; the labels' column, then the bars."""
    with_axis = height >= AXIS_FROM
    rows = max(height - 1 - with_axis, 1)
    finite = drawn_losses(snapshot.losses)
    # The labels' width depends on the bucketing, which depends on the room the labels leave:
    # widen the labels until the bucketed losses' labels fit (at most a few rounds).
    label_width = len(value_labels(finite, rows)[0]) if finite else 0
    while True:
        room = max(width - label_width - GAP, 1)
        drawn = drawn_losses(finite, room)
        labels = value_labels(drawn, rows)
        if len(labels[0]) <= label_width:
            break
        label_width = len(labels[0])
    labels = [line.rjust(label_width) for line in labels]
    axis = None
    if with_axis:
        span = epoch_span(snapshot.losses, snapshot.loss_bucket, snapshot.epoch)
        axis = epoch_axis(span, len(drawn), room)
    return ChartLayout(values=chart_values(finite, log_scale, room), columns=len(drawn),
                       fill=len(finite) > room, labels=labels, axis=axis, indent=label_width + GAP)


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
    """A caption, then the value labels beside a Sparkline of the loss history, then the epochs."""

    DEFAULT_CSS = """
    LossChart { height: 1fr; min-height: 2; }
    LossChart Label, LossChart Static { color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    LossChart > Label { width: 1fr; height: 1; }
    /* The caption is never cut: a long one (a long run's bucket, non-finite losses) wraps. */
    LossChart > #loss-caption { height: auto; max-height: 2; text-wrap: wrap; }
    LossChart > #loss-plot { height: 1fr; min-height: 1; }
    LossChart #loss-values { width: auto; height: 1fr; margin-right: 1; }
    LossChart Sparkline { display: none; width: 0; height: 1fr; min-height: 1; }
    LossChart > #loss-epochs { width: 1fr; height: 1; }
    /* The bars in one colour, their heights telling the loss: Textual's default fades each bar
       from min-color to max-color, a colour of its own per cell, which the terminal (over SSH,
       the link) is sent every redraw; one colour joins into a run a row (ui/joined_styles.py). Under
       NO_COLOR in the foreground grey, which reads on black. */
    LossChart Sparkline > .sparkline--max-color { color: $accent; }
    LossChart Sparkline > .sparkline--min-color { color: $accent; }
    LossChart Sparkline:nocolor > .sparkline--max-color { color: $foreground; }
    LossChart Sparkline:nocolor > .sparkline--min-color { color: $foreground; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.log_scale = True
        self._snapshot: Snapshot | None = None

    def compose(self) -> ComposeResult:
        yield Label("loss: waiting for the session", id="loss-caption")
        with Horizontal(id="loss-plot"):
            yield Static("", id="loss-values")
            yield Sparkline([], summary_function=max)
        yield Static("", id="loss-epochs")

    def show(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        text = caption(snapshot, self.log_scale)
        caption_rows = 1 if len(text) <= self.size.width else 2  # it wraps: the bars get less
        layout = chart_layout(snapshot, self.log_scale, self.size.width, self.size.height - caption_rows + 1)
        sparkline = self.query_one(Sparkline)
        sparkline.styles.width = "1fr" if layout.fill else layout.columns
        sparkline.display = layout.columns > 0  # a Sparkline without data draws a baseline
        sparkline.data = layout.values
        quiet_update(self.query_one("#loss-values", Static), "\n".join(layout.labels))
        epochs = self.query_one("#loss-epochs", Static)
        epochs.display = layout.axis is not None
        epochs.styles.padding = (0, 0, 0, layout.indent)  # not spaces: SVG viewers may drop them
        quiet_update(epochs, layout.axis or "")
        caption_label = self.query_one("#loss-caption", Label)
        quiet_update(caption_label, text)
        if caption_rows != caption_label.size.height:
            caption_label.refresh(layout=True)  # one row more or less: lay the chart out again

    def on_resize(self) -> None:
        if self._snapshot is not None:  # the sizes, bucketing and labels depend on the room
            self.show(self._snapshot)

    def toggle_scale(self) -> None:
        self.log_scale = not self.log_scale
        if self._snapshot is not None:
            self.show(self._snapshot)
