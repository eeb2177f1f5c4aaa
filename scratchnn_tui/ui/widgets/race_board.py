"""The race board: one lane per optimizer, its rate, loss, a sparkline, and when it got there.

Thin, as every widget here: it renders a `RaceView` (plain numbers) and nothing else. The lane's
line is a pure function of its row (`lane_text`), and the bars are the loss chart's own log-scale
values (`chart_values`: finite only, since Textual's Sparkline raises on NaN and inf). The
winner is marked in words, `★ winner`, so NO_COLOR reads it too.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static

from ...training.race_view import TARGET_LOSS, RaceRow, RaceView
from ..numbers import fmt
from .loss_chart import chart_values


def lane_bars(losses: tuple[float, ...], room: int) -> tuple[list[float], int | str]:
    """A lane's bar heights and the Sparkline's width, for `room` columns (0: not laid out yet).

    Bars compare losses, so they need two: a lone loss (epoch 0, nothing trained yet) would be
    one full-height bar, which the Sparkline stretches over the whole lane, reading as a loss at
    its highest everywhere. No values instead: the Sparkline's empty baseline, ▁ across.
    As the loss chart does, a column a point while they fit, so two epochs are not two blocks
    half a screen wide; beyond that the Sparkline buckets them.
    """
    if len(losses) < 2:
        return [], "1fr"
    values = chart_values(losses, log_scale=True, width=room or None)
    return values, len(values) if 0 < len(values) < room else "1fr"


def lane_text(row: RaceRow) -> Text:
    """`★ winner  SGD+momentum  lr 0.02   loss 0.0001234   < 1e-3 at epoch 65`."""
    text = Text()
    text.append("★ winner  " if row.winner else "          ", style="bold")
    text.append(f"{row.label:<13}", style="bold" if row.winner else "")
    text.append(f"{'no lr' if row.lr is None else f'lr {row.lr:g}':<9}", style="dim")
    text.append(f" loss {fmt(row.loss):<9}")
    if row.diverged is not None:
        text.append(f" ✗ diverged: {row.diverged}", style="bold")
    else:
        reached = "—" if row.epochs_to_target is None else f"epoch {row.epochs_to_target}"
        text.append(f" < {TARGET_LOSS:g} at {reached}")
    return text


def board_caption(view: RaceView) -> str:
    """What the race is, in one line (and why an optimizer sits out, if one does)."""
    # A deeper network says its shape: the race is the task *and* the network.
    network = f" {'→'.join(map(str, view.sizes))}" if len(view.sizes) > 2 else ""
    said = (f"{view.task}{network}, epoch {view.epoch} · one set of starting weights · bars: log₁₀ "
            f"loss · first below {TARGET_LOSS:g} wins")
    return said if view.omitted is None else f"{said}. {view.omitted}"


class RaceLane(Vertical):
    """One optimizer: its line, then its losses as bars."""

    DEFAULT_CSS = """
    RaceLane { height: 1fr; min-height: 3; }
    RaceLane > Static { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    RaceLane > .why { height: auto; max-height: 2; text-wrap: wrap; color: $text-muted; padding-left: 2; }
    RaceLane > Sparkline { height: 1fr; min-height: 1; }
    /* One colour a lane, as the loss chart's (its CSS says why: bytes to the terminal). */
    RaceLane > Sparkline > .sparkline--max-color, RaceLane > Sparkline > .sparkline--min-color { color: $accent; }
    RaceLane > Sparkline:nocolor > .sparkline--max-color, RaceLane > Sparkline:nocolor > .sparkline--min-color { color: $foreground; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", classes="line")
        yield Static("", classes="why")
        yield Sparkline([])

    def show(self, row: RaceRow) -> None:
        self.query_one(".line", Static).update(lane_text(row))
        self.query_one(".why", Static).update(Text(f"why: {row.why}" if row.why else ""))
        values, width = lane_bars(row.losses, self.content_size.width)
        spark = self.query_one(Sparkline)
        if getattr(self, "_width", None) != width:  # a layout only when it changes
            self._width = spark.styles.width = width
        spark.data = values
        self.set_class(row.winner, "-winner")


class RaceBoard(Vertical):
    """Every racer's lane, under a caption; `show` draws a new `RaceView`.

    The lanes exist only while a race is on (`show` mounts one per racer, `clear` removes them):
    outside a race the screen holds no sparkline but the loss chart's.
    """

    DEFAULT_CSS = """
    RaceBoard { height: 1fr; }
    RaceBoard > #race-caption { height: auto; max-height: 2; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="race-caption")

    async def show(self, view: RaceView) -> None:
        self.query_one("#race-caption", Static).update(Text(board_caption(view)))
        lanes = list(self.query(RaceLane))
        if len(lanes) != len(view.rows):
            await self.clear()
            lanes = [RaceLane() for _ in view.rows]
            await self.mount(*lanes)
        for lane, row in zip(lanes, view.rows):
            lane.show(row)

    async def clear(self) -> None:
        """No lanes: the race is over."""
        await self.query(RaceLane).remove()
