"""A picture on the line API: the thin widget both views are (the function view, f; the loss
surface, v).

It draws a pure function's cells (`function_picture.draw`, `surface_picture.draw`: rows of
(text, style key) pieces) through Textual's line API (`render_line` → `Strip`), one row at a
time, with the styles cached by key: a heat map is thousands of cells, and a widget per cell or
a rich Text rebuilt each frame would cost the UI process several times more. The picture is
made again only when the view, the marks or the size change. Under NO_COLOR the heat maps are
drawn in shading characters (the app's `no_color`), and every segment has a style (Textual's
monochrome filter needs one).
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

# A sequential scale (viridis's ends and middle): its brightness rises with the value, so
# Textual's greys under NO_COLOR keep the order too.
_ANCHORS = ((0x44, 0x01, 0x54), (0x3b, 0x52, 0x8b), (0x21, 0x91, 0x8c), (0x5e, 0xc9, 0x62), (0xfd, 0xe7, 0x25))


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
# The loss surface's marks, by what they are: each optimizer in its own colour (a race's
# legend names them), the point now and the answer bold, the next step in magenta.
_INKS = {"sgd": "#ffffff", "momentum": "#ff8700", "adam": "#ff5fff", "solved": "#5fd7ff",
         "now": "#ffffff", "answer": "#ffffff", "step": "#ff5fff"}


@lru_cache(maxsize=1024)
def style_of(key) -> Style:
    """The style a picture's key stands for: a named one, a half-block's two colours, or a mark
    drawn on the map (in its own ink, or black or white, whichever reads on the colour beneath)."""
    if isinstance(key, str):
        if key in _STYLES:
            return _STYLES[key]
        name = key.split("-")[-1]
        return Style(color=_INKS.get(name), bold=True)  # a legend's mark in its path's ink
    if key[0] == "heat":
        return Style(color=_PALETTE[key[1]], bgcolor=_PALETTE[key[2]])
    name, level = key
    if level is None:  # under NO_COLOR: on shading characters
        return Style(bold=True, reverse=name == "sample")
    ink = _INKS.get(name.split("-")[-1])
    if ink is None or ink == "#ffffff":
        ink = "#000000" if level >= len(_PALETTE) // 2 else "#ffffff"
    return Style(color=ink, bgcolor=_PALETTE[level], bold=name != "line")


class Picture(Widget):
    """The latest frame's picture of some view (see the module's docstring). A subclass says
    how it is drawn (`draw_rows`) and how many rows it wants (`rows_for`, `least_for`)."""

    DEFAULT_CSS = "Picture { height: auto; }"

    def __init__(self, id: str) -> None:
        super().__init__(id=id)
        self.view = None
        self.marks = None
        self._strips: list[Strip] | None = None
        self._rows: list | None = None  # the rows the strips were made from, to tell what changed
        self._drawn_for: tuple | None = None

    @property
    def plain(self) -> bool:
        """Shading characters instead of colours (NO_COLOR)."""
        return bool(getattr(self.app, "no_color", False))

    def show(self, view, marks=None) -> None:
        """Draw `view` with `marks` (what the screen adds) from the next paint on. Only the rows
        that changed are repainted: a map whose window holds still changes in a few cells as
        the path grows, and each repainted row of a heat map costs the terminal ~1 KB (a colour
        pair per cell), which over SSH is what the link carries (docs/PERFORMANCE.md)."""
        if (view, marks) == (self.view, self.marks):
            return
        before, size = self._rows, self._drawn_for
        self.view, self.marks, self._strips = view, marks, None
        if before is None or size != tuple(self.size) or view is None:
            self.refresh()
            return
        rows = self._drawn_rows()
        changed = [y for y in range(max(len(rows), len(before)))
                   if y >= len(rows) or y >= len(before) or rows[y] != before[y]]
        for y in changed:
            self.refresh(Region(0, y, self.size.width, 1))

    def draw_rows(self, width: int, height: int) -> list:
        raise NotImplementedError

    def rows_for(self, width: int) -> int:
        raise NotImplementedError

    def least_for(self, width: int) -> int:
        raise NotImplementedError

    def get_content_height(self, container, viewport, width: int) -> int:
        return self.rows_for(width)

    def picture_rows(self) -> list[str]:
        """The picture as plain text, row by row, as it is drawn now (for tests and a look)."""
        return ["".join(segment.text for segment in strip) for strip in self._drawn()]

    def _drawn_rows(self) -> list:
        """The picture's rows of (text, style key) at the widget's size, made once per view."""
        self._drawn()
        return self._rows

    def _drawn(self) -> list[Strip]:
        width, height = self.size
        if self._strips is None or self._drawn_for != (width, height):
            self._drawn_for = (width, height)
            if self.view is None or width < 1 or height < 1:
                self._rows = None
                self._strips = [Strip.blank(width, self.rich_style)] * max(height, 0)
            else:
                base = self.rich_style
                self._rows = [tuple(row) for row in self.draw_rows(width, height)]
                self._strips = [Strip([Segment(text, base + style_of(key)) for text, key in row], width)
                                for row in self._rows]
        return self._strips

    def render_line(self, y: int) -> Strip:
        strips = self._drawn()
        return strips[y] if 0 <= y < len(strips) else Strip.blank(self.size.width, self.rich_style)
