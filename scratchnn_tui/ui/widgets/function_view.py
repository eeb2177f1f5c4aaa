"""The function view (f): what the network computes, drawn over its data. A thin widget.

It draws `function_picture.draw`'s cells through Textual's line API (`render_line` → `Strip`),
one row at a time, with the styles cached by key: a heat map is thousands of cells, and a
widget per cell or a rich Text rebuilt each frame would cost the UI process several times more.
The picture is made again only when the view, the marks or the size change. Under NO_COLOR the
heat map is drawn in shading characters (the app's `no_color`), and every segment has a style
(Textual's monochrome filter needs one).
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from ...training.function_view import CurveView, FunctionView, PlaneView
from ..function_picture import LEAST_PLOT_ROWS, Marks, draw, text_rows

# A sequential scale (viridis's ends and middle): its brightness rises with the value, so
# Textual's greys under NO_COLOR keep the order too.
_ANCHORS = ((0x44, 0x01, 0x54), (0x3b, 0x52, 0x8b), (0x21, 0x91, 0x8c), (0x5e, 0xc9, 0x62), (0xfd, 0xe7, 0x25))
CURVE_PLOT_ROWS = 12  # the curve's plot, when the panel has the room
PLANE_MOST_ROWS = 18  # the heat map's, at most (36 half-block pixels)


def palette(shades: int) -> list[str]:
    """`shades` colours from the scale's low end to its high end, as hex."""
    out = []
    for i in range(shades):
        at = i / (shades - 1) * (len(_ANCHORS) - 1)
        k = min(int(at), len(_ANCHORS) - 2)
        t = at - k
        rgb = (round(a + (b - a) * t) for a, b in zip(_ANCHORS[k], _ANCHORS[k + 1]))
        out.append("#" + "".join(f"{c:02x}" for c in rgb))
    return out


_PALETTE = palette(16)
_STYLES = {
    "words": Style(), "blank": Style(), "label": Style(dim=True), "axis": Style(dim=True),
    "output": Style(color="#ffb000", bold=True), "target": Style(color="#5fd75f"),
    "unit": Style(color="#5fafd7"), "unit-bold": Style(color="#ffff5f", bold=True),
    "sample": Style(bold=True), "probe": Style(color="#ff5fff", bold=True),
    "hinge": Style(color="#5fafd7"), "hinge-bold": Style(color="#ffff5f", bold=True),
    "dead": Style(color="#ff5f5f", bold=True), "plain-heat": Style(),
}


@lru_cache(maxsize=1024)
def style_of(key) -> Style:
    """The style a picture's key stands for: a named one, a half-block's two colours, or a mark
    drawn on the map (in black or white, whichever reads on the colour beneath)."""
    if isinstance(key, str):
        return _STYLES[key]
    if key[0] == "heat":
        return Style(color=_PALETTE[key[1]], bgcolor=_PALETTE[key[2]])
    name, level = key
    if level is None:  # under NO_COLOR: on shading characters
        return Style(bold=True, reverse=name == "sample")
    ink = "#000000" if level >= len(_PALETTE) // 2 else "#ffffff"
    return Style(color=ink, bgcolor=_PALETTE[level], bold=name != "line")


def ideal_rows(view: FunctionView | None, width: int, marks: Marks = Marks(), plain: bool = False) -> int:
    """The rows the picture would like at `width` columns: its words, its plot, its axes."""
    if view is None:
        return 1
    words = text_rows(view, width, marks, plain)
    if isinstance(view, CurveView):
        return words + CURVE_PLOT_ROWS + (2 if view.units else 1)
    x1, x2 = view.x1[-1] - view.x1[0], view.x2[-1] - view.x2[0]
    fits = int((width - 6) / 2 / max(x1 / (x2 or 1.0), 1e-9))  # rows for the full width
    return words + max(LEAST_PLOT_ROWS, min(PLANE_MOST_ROWS, fits)) + 1


def least_rows(view: FunctionView | None, width: int, marks: Marks = Marks(), plain: bool = False) -> int:
    """The fewest rows it is drawn in whole: its words and a plot of LEAST_PLOT_ROWS."""
    if view is None:
        return 1
    below = 2 if isinstance(view, CurveView) and view.units else 1
    return text_rows(view, width, marks, plain) + LEAST_PLOT_ROWS + below


class FunctionPicture(Widget):
    """The picture of the latest frame's `FunctionView` (see the module's docstring)."""

    DEFAULT_CSS = "FunctionPicture { height: auto; }"

    def __init__(self) -> None:
        super().__init__(id="function")
        self.view: FunctionView | None = None
        self.marks = Marks()
        self._strips: list[Strip] | None = None
        self._drawn_for: tuple | None = None

    @property
    def plain(self) -> bool:
        """Shading characters instead of colours (NO_COLOR)."""
        return bool(getattr(self.app, "no_color", False))

    def show(self, view: FunctionView | None, marks: Marks = Marks()) -> None:
        """Draw `view` with `marks` (the probe, the selected unit) from the next paint on."""
        if (view, marks) == (self.view, self.marks):
            return
        self.view, self.marks, self._strips = view, marks, None
        self.refresh()

    def rows_for(self, width: int) -> int:
        return ideal_rows(self.view, width, self.marks, self.plain)

    def least_for(self, width: int) -> int:
        return least_rows(self.view, width, self.marks, self.plain)

    def get_content_height(self, container, viewport, width: int) -> int:
        return self.rows_for(width)

    def picture_rows(self) -> list[str]:
        """The picture as plain text, row by row, as it is drawn now (for tests and a look)."""
        return ["".join(segment.text for segment in strip) for strip in self._drawn()]

    def _drawn(self) -> list[Strip]:
        width, height = self.size
        if self._strips is None or self._drawn_for != (width, height):
            self._drawn_for = (width, height)
            if self.view is None or width < 1 or height < 1:
                self._strips = [Strip.blank(width, self.rich_style)] * max(height, 0)
            else:
                base = self.rich_style
                self._strips = [Strip([Segment(text, base + style_of(key)) for text, key in row], width)
                                for row in draw(self.view, width, height, self.marks, self.plain)]
        return self._strips

    def render_line(self, y: int) -> Strip:
        strips = self._drawn()
        return strips[y] if 0 <= y < len(strips) else Strip.blank(self.size.width, self.rich_style)

    def title(self) -> str:
        """What the panel's border says: which picture this is."""
        view = self.view
        if isinstance(view, PlaneView):
            return "Function · the plane"
        if isinstance(view, CurveView) and view.units:
            return f"Function · y(x), {len(view.units)} units"
        return "Function · y(x)"
