"""One line with the session's state: what a glance at the screen should tell you."""

from __future__ import annotations

from dataclasses import replace

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from ...training.snapshot import Frame
from ...training.run_speed import speed_label
from ..numbers import fmt


def memory_text(size: int) -> str:
    """`512 B`, `8 KiB`, `1.5 MiB`, `2.3 GiB`: a GPU's memory in binary units, as nvidia-smi's MiB."""
    value, unit = float(size), "B"
    for bigger in ("KiB", "MiB", "GiB", "TiB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.0f} {unit}" if unit == "B" or value >= 100 else f"{value:.3g} {unit}"


def device_text(frame: Frame) -> str:
    """`cpu`, or on a GPU `cuda:0 NVIDIA H200 8 KiB` (its name, the memory PyTorch holds on it),
    then the steps a second while running."""
    snap = frame.snapshot
    device = snap.device
    if snap.gpu is not None:
        device = f"{device} {snap.gpu.name} {memory_text(snap.gpu.memory_allocated)}"
    if frame.steps_per_second is not None:
        # On the device it is measured on: tiny work runs slower on a GPU (launches dominate).
        device = f"{device} {frame.steps_per_second:,.0f} steps/s"
    return device


def status_text(frame: Frame | None, alive: bool = True) -> Text:
    """`▶ running │ Epoch 12 │ loss 0.0089 │ SGD lr 0.02 │ cpu 2,400 steps/s │ seed 8`.

    The task is named in the diagram's title, which keeps this line inside 80 columns.
    """
    if frame is None:
        return Text("Loading PyTorch… (keys pressed now are kept)", style="italic")
    snap = frame.snapshot
    if not alive:  # the last frame stays on screen, but nothing trains it: never claim it does
        state = Text("✗ no training process", style="bold red")
        frame = replace(frame, running=False, steps_per_second=None)
    elif frame.running:
        state = Text("▶ running", style="bold green")
    else:
        state = Text("❚❚ paused", style="bold")
    if alive and snap.race is not None:  # the optimizers race (x): the board shows each one
        state = Text(f"{'▶' if frame.running else '❚❚'} racing", style=state.style)
    if alive and snap.run_speed is not None:  # run mode slowed down to watch (, and .); max says nothing
        state.append(f" · {speed_label(snap.run_speed)}", style="")
    sep = Text(" │ ", style="dim")
    return sep.join([
        state,
        Text(f"Epoch {snap.epoch}", style="bold"),
        Text(f"{'best ' if snap.race else ''}loss {fmt(snap.loss)}"),
        Text(f"{len(snap.race.rows)} optimizers") if snap.race else
        # Solved ignores the learning rate (it jumps to the answer): say so rather than show one.
        Text(f"{snap.optimizer} (no lr)" if snap.optimizer_key == "solved" else f"{snap.optimizer} lr {snap.lr:g}"),
        Text(device_text(frame)),
        Text(f"seed {snap.seed}"),
    ])


class StatusLine(Widget):
    """Shows `status_text` of the latest frame, drawn with Textual's line API.

    This line changes with every frame while training runs. A `Static` lays its text out
    through Textual's content pipeline on each change; styling one line's segments and cropping
    them to the width costs a third of that (docs/PERFORMANCE.md), and on a small machine that
    CPU comes out of the training core's neighbour.
    """

    DEFAULT_CSS = "StatusLine { height: 1; width: 1fr; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._text = status_text(None)
        self._drawn: tuple[tuple, Strip] | None = None  # ((width, style), the line as drawn)

    def show(self, frame: Frame | None, alive: bool = True) -> None:
        text = status_text(frame, alive)
        if (text.plain, text.spans, text.style) == (self._text.plain, self._text.spans, self._text.style):
            return
        self._text = text
        self._drawn = None
        self.refresh()

    def render(self) -> Text:
        """The line's text (what `render_line` draws)."""
        return self._text

    def render_line(self, y: int) -> Strip:
        width, style = self.size.width, self.rich_style
        if y:
            return Strip.blank(width, style)
        key = (width, style)
        if self._drawn is None or self._drawn[0] != key:
            console = self.app.console
            text = self._text
            if text.cell_len > width:  # cut with an ellipsis, never a number cut short unseen
                text = text.copy()
                text.truncate(width, overflow="ellipsis")
            # Text.render leaves out the text's own style when it has no spans: apply it here.
            base = style + console.get_style(text.style) if text.style else style
            segments = Segment.apply_style(text.render(console, end=""), base)
            # The rest of the line: background only, as a Static pads it.
            self._drawn = key, Strip(segments).crop_extend(0, width, Style(bgcolor=style.bgcolor))
        return self._drawn[1]
