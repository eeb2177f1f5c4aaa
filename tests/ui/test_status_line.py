"""The status line draws through Textual's line API; Textual's own Static is the oracle for
what each cell must look like."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Static

from scratchnn_tui.training.session import Session
from scratchnn_tui.training.snapshot import Frame
from scratchnn_tui.ui.widgets.status_line import StatusLine, status_text


class Beside(App):
    # As the app styles its status line; a line too long for the width ends in an ellipsis.
    CSS = """StatusLine, Static { padding: 0 1; background: $boost; height: 1; }
             Static { text-wrap: nowrap; text-overflow: ellipsis; }"""

    def compose(self) -> ComposeResult:
        yield StatusLine()
        yield Static()


def cells(widget, width: int) -> list[tuple[str, tuple]]:
    """Each cell's character and look (not Textual's offsets metadata, which only a Static has)."""
    line = widget.render_lines(Region(0, 0, width, 1))[0]
    return [(char, (s.style.color, s.style.bgcolor, s.style.bold, s.style.italic, s.style.dim))
            for s in line for char in s.text]


async def test_each_cell_looks_as_a_static_draws_it():
    frames = [None, Frame(Session().snapshot(), running=True, seq=1, steps_per_second=1234.5),
              Frame(Session(optimizer="solved").snapshot(), running=False, seq=2)]
    for width in (100, 80, 50):  # roomy, just short (steps/s while running), and cut short
        app = Beside()
        async with app.run_test(size=(width, 4)) as pilot:
            line, oracle = app.query_one(StatusLine), app.query_one(Static)
            for frame in frames:
                line.show(frame)
                oracle.update(status_text(frame))
                await pilot.pause()
                assert cells(line, width) == cells(oracle, width)
