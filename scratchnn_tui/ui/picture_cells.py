"""What the pictures are made of: rows of (text, style key) pieces, and the helpers both use.

The function view (`function_picture`) and the loss surface (`surface_picture`) are pure
functions from a frozen view and a size to rows of cells; the widget (`widgets/picture.py`)
turns each piece's key into a style. Here: the pieces, the heat maps' shades (16 colours, or
` ░▒▓█` under NO_COLOR), braille dots (2 × 4 a cell) and the lines drawn in them, words wrapped
to the width, and `fit`, which makes any rows exactly `width` × `height` cells.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Hashable, Sequence

Piece = tuple[str, Hashable]
Row = list[Piece]

SHADES = 16                # colours in a heat map's scale
PLAIN_SHADES = " ░▒▓█"     # under NO_COLOR: darker is lower
BRAILLE = 0x2800           # the empty braille cell; its dots are bits above it
DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [row][column] of a 2 × 4 cell


def scale(value: float, low: float, high: float, cells: int) -> float:
    """Where `value` falls on an axis of `cells` cells from `low` to `high` (0 at `low`)."""
    return (value - low) / ((high - low) or 1.0) * cells


def shade(value: float, low: float, high: float, shades: int = SHADES) -> int:
    """The shade (0: lowest … shades − 1: highest) of `value` on the scale `low`…`high`."""
    if not math.isfinite(value):
        return 0 if value < 0 else shades - 1
    return max(0, min(shades - 1, int(scale(value, low, high, shades))))


def nearest(axis: Sequence[float], value: float) -> int:
    """The index of the grid point on `axis` (evenly spaced) nearest `value`."""
    step = (axis[-1] - axis[0]) / (len(axis) - 1)
    return max(0, min(len(axis) - 1, round((value - axis[0]) / step)))


def wrap(line: str, width: int) -> list[str]:
    """`line` in lines of at most `width` characters, broken between words (an empty line: one)."""
    return textwrap.wrap(line, max(width, 1)) or [""]


def words_rows(lines: Sequence[str], width: int, key: Hashable = "words") -> list[Row]:
    """Each of `lines` wrapped to `width`, a row a part, in the one style `key`."""
    return [[(part.ljust(width)[:width], key)] for line in lines for part in wrap(line, width)]


def braille_line(dots: list[list[int]], start: tuple[float, float], end: tuple[float, float]) -> None:
    """Set the braille dots of the segment `start`–`end` in `dots` (a cell's bits, [row][col]).

    Points are in dot coordinates, (column, row) from the top left, two dot columns and four dot
    rows a cell: dot (c, r) covers [c, c + 1) × [r, r + 1). The segment is cut to the cells
    first (a point far outside costs nothing) and then stepped a dot at a time, every dot it
    passes set, as `draw_curve` joins its columns. Non-finite points draw nothing."""
    rows = len(dots)
    cols = len(dots[0]) if rows else 0
    if not cols or not all(map(math.isfinite, (*start, *end))):
        return
    width, height = 2 * cols, 4 * rows
    clipped = _clip(start, end, width, height)
    if clipped is None:
        return
    (x0, y0), (x1, y1) = clipped
    steps = max(int(math.ceil(max(abs(x1 - x0), abs(y1 - y0)))), 1)
    for k in range(steps + 1):
        t = k / steps
        c = min(max(int(x0 + (x1 - x0) * t), 0), width - 1)
        r = min(max(int(y0 + (y1 - y0) * t), 0), height - 1)
        dots[r // 4][c // 2] |= DOTS[r % 4][c % 2]


def _clip(start: tuple[float, float], end: tuple[float, float], width: float,
          height: float) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The part of the segment inside [0, width] × [0, height] (Liang–Barsky), or None."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0), (dx, width - x0), (-dy, y0), (dy, height - y0)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    return (x0 + dx * t0, y0 + dy * t0), (x0 + dx * t1, y0 + dy * t1)


def fit(rows: list[Row], width: int, height: int) -> list[Row]:
    """`height` rows of exactly `width` cells: cut what does not fit, pad with blanks."""
    fitted = []
    for row in rows[:height]:
        out, used = [], 0
        for text, key in row:
            text = text[: max(width - used, 0)]
            if text:
                out.append((text, key))
                used += len(text)
        if used < width:
            out.append((" " * (width - used), "blank"))
        fitted.append(out)
    while len(fitted) < height:
        fitted.append([(" " * width, "blank")])
    return fitted
