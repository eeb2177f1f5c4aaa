"""A line filter that joins neighbouring cells of one style before they go to the terminal.

Textual sends each segment of a line with its style in full and a reset after it. Widgets that
draw a cell at a time (Textual's Sparkline yields one segment per bar, a heat map one per cell)
then cost ~25 bytes a cell: ~2 KB a row of a 100-column chart, every redraw, and over SSH the
link carries each byte. Joined, a run of cells that share a style is one segment: the same
picture for a tenth of the bytes (measured in docs/PERFORMANCE.md). The last of the app's line
filters, so it joins what the others have coloured.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter


class JoinedStyles(LineFilter):
    """Neighbouring segments of one style as one (Rich's `Segment.simplify`)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return list(Segment.simplify(segments))
