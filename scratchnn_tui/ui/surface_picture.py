"""The loss surface's picture as cells: a pure function from a `SurfaceView` and a size.

No Textual here: each row is a list of (text, style key) pieces (`picture_cells`), and the
widget (`widgets/surface_view.py`, through `widgets/picture.py`) turns the keys into styles.
So where each mark lands can be tested without an app, against the loss computed by hand.

From the top: a title in words (the whole loss L(w₁₁, b₁) of a network with no other numbers,
or a slice of L through the selected number and its neuron's bias, every other number held);
the scale row, `log scale 0.0012 [▀▀▀…] 150` (`≤` before the low end when the grid goes lower:
a loss of 0 has no logarithm); the legend; the map; the axis row.

The map: the loss over the window, p₁ (the weight) across and p₂ (the bias) up, high at the
top, shaded by log₁₀ of the loss (a loss falls by decades as it converges; on a straight scale
everything near the answer would be the one darkest shade). In colour, half blocks `▀` of 16
shades (the upper pixel in the character's colour, the lower in its background); under
NO_COLOR, one shading character a cell, ` ░▒▓█`, darker (emptier) being lower. The gutter
writes p₂'s range and name (`b₁↑`), the axis row p₁'s (`w₁₁ →`). A map need not keep an aspect
ratio (the two numbers have different units): it fills the width.

The marks, over the map:
- a path: the optimizer's (p₁, p₂) after each epoch kept, joined by a thin braille line, each
  point marked `•`, and where the weights are now `◉`;
- in a race, each racer's path in its own mark and ink, sgd `•`, momentum `∘`, adam `×`, solved
  `+` (its one jump, start to answer), and where each is now in the mark made bold (`●◎✖✚`);
- `○`: the task's answer (under the current point's mark when they share a cell);
- the next step (one path only): a braille line from the current point to where the next epoch
  puts it, with an arrow (`→↗↑↖←↙↓↘`) at its end pointing its way on screen (a cell is about
  twice as tall as wide); a step shorter than a cell puts the arrow beside the current point.
  The legend writes the step's numbers and rule; a zero step says so and draws no arrow.
Marks outside the window are not drawn. Every key is in `STYLE_KEYS`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..training.surface_view import SurfacePath, SurfaceView
from .numbers import fmt
from .picture_cells import BRAILLE, PLAIN_SHADES, SHADES, Piece, Row, braille_line, fit, scale, words_rows, wrap

LEAST_MAP_ROWS = 4
LOW_END = 1e-8  # the scale's low end is at least the grid's highest loss × this (no log of 0)

STYLE_KEYS = (
    "words",         # the title's and the legend's words
    "label",         # the scale row's words and numbers, the gutter, the axis row
    "blank",         # padding
    "heat",          # ("heat", upper, lower): a half block `▀`, its two pixels' shades (0 … SHADES − 1)
    "plain-heat",    # under NO_COLOR: a shading character of ` ░▒▓█`, on the map and in the scale
    # Marks on the map are (name, level): level the shade beneath (the half block's lower
    # pixel), None under NO_COLOR, so the ink can be chosen to read on it.
    "trail-<key>",   # (…, level): braille, the line through path <key>'s points (sgd, momentum, adam, solved, …)
    "path-<key>",    # (…, level): one of path <key>'s points, an epoch kept, in its mark
    "now",           # (…, level): `◉`, where the one path's weights are now
    "now-<key>",     # (…, level): where racer <key> is now, in its bold mark
    "answer",        # (…, level): `○`, the task's answer
    "step",          # (…, level): the next step, its braille line and its arrow
    "legend-<key>",  # a legend's mark in path <key>'s ink; also legend-now, legend-answer, legend-step
)

ONE_PATH = ("•", "◉")  # one path: its points, and where it is now
RACE_MARKS = {"sgd": ("•", "●"), "momentum": ("∘", "◎"), "adam": ("×", "✖"), "solved": ("+", "✚")}
SPARE_MARKS = (("◇", "◆"), ("▫", "▪"), ("△", "▲"), ("□", "■"), ("~", "≈"))  # any other key
ANSWER = "○"
ARROWS = "→↗↑↖←↙↓↘"  # by direction on screen: right, then counterclockwise in eighths of a turn
_BESIDE = ((0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1), (1, 0), (1, 1))  # (row, col) per arrow


@dataclass(frozen=True)
class MapGeometry:
    """Where the map is in the drawn rows: its first row `top`, its first column `left` (the
    gutter's width), its size `rows` × `cols`, over the window `p1` × `p2` (low, high)."""

    top: int
    left: int
    rows: int
    cols: int
    p1: tuple[float, float]
    p2: tuple[float, float]

    def map_cell(self, p1: float, p2: float) -> tuple[int, int] | None:
        """The map's (row, col) that (p1, p2) falls in (row 0 at p₂'s high end), None outside."""
        (lo1, hi1), (lo2, hi2) = self.p1, self.p2
        if not (lo1 <= p1 <= hi1 and lo2 <= p2 <= hi2):  # NaN is outside too
            return None
        col = min(int(scale(p1, lo1, hi1, self.cols)), self.cols - 1)
        row = min(int(scale(hi2 - p2, 0.0, hi2 - lo2, self.rows)), self.rows - 1)
        return row, col

    def cell_of(self, p1: float, p2: float) -> tuple[int, int] | None:
        """The drawn rows' (row, col) that (p1, p2) falls in, None outside the window."""
        at = self.map_cell(p1, p2)
        return None if at is None else (self.top + at[0], self.left + at[1])

    def dot_of(self, p1: float, p2: float) -> tuple[float, float]:
        """(p1, p2) in the map's braille dots, (column, row) from its top left, 2 × 4 a cell."""
        (lo1, hi1), (lo2, hi2) = self.p1, self.p2
        return scale(p1, lo1, hi1, 2 * self.cols), scale(hi2 - p2, 0.0, hi2 - lo2, 4 * self.rows)


def map_geometry(view: SurfaceView, width: int, height: int, plain: bool = False) -> MapGeometry:
    """Where `draw(view, width, height, plain)` puts its map: under its words, right of the gutter,
    every row left but the axis row's, every column right of the gutter."""
    top = text_rows(view, width, plain)
    left = max(map(len, _gutter_labels(view))) + 1
    (lo1, hi1), (lo2, hi2) = view.window
    return MapGeometry(top=top, left=left, rows=max(height - top - 1, 1), cols=max(width - left, 1),
                       p1=(lo1, hi1), p2=(lo2, hi2))


def text_rows(view: SurfaceView, width: int, plain: bool = False) -> int:
    """The rows the picture's words take at `width` (title, scale, legend): the rest is the map
    and its axis row."""
    title, legend = _word_rows(view, width, ARROWS[0])
    return len(title) + 1 + len(legend)


def log_range(losses: Sequence[Sequence[float]]) -> tuple[float, float]:
    """The shading's ends: the grid's lowest and highest loss, the low end the lowest positive
    one and at least highest × LOW_END (a grid point may be the answer, where the loss is 0)."""
    finite = [v for row in losses for v in row if math.isfinite(v)]
    high = max(finite, default=0.0)
    if high <= 0.0:
        return 0.0, 0.0
    return max(min(v for v in finite if v > 0.0), high * LOW_END), high


def log_shade(value: float, low: float, high: float, shades: int = SHADES) -> int:
    """The shade (0 … shades − 1) of the loss `value` on the log scale `low`…`high`; below `low`
    (0 included) the lowest; NaN and infinity the highest."""
    return log_shades([value], low, high, shades)[0]


def log_shades(values: Sequence[float], low: float, high: float, shades: int = SHADES) -> list[int]:
    """`log_shade` of each of `values`, the logarithms of the ends taken once."""
    top = shades - 1
    if high <= low:
        return [0 if v <= low else top for v in values]  # NaN and infinity: the highest
    base, span, log10 = math.log10(low), math.log10(high) - math.log10(low), math.log10
    return [0 if v <= low else min(int((log10(v) - base) / span * shades), top) if v < math.inf else top
            for v in values]


def step_arrow(geometry: MapGeometry, start: tuple[float, float], end: tuple[float, float]) -> str | None:
    """The arrow from `start` to `end` as they are on screen, None for no move: columns across,
    rows up counted twice (a cell is about twice as tall as it is wide)."""
    (lo1, hi1), (lo2, hi2) = geometry.p1, geometry.p2
    dx = scale(end[0] - start[0], 0.0, hi1 - lo1, geometry.cols)
    dy = 2 * scale(end[1] - start[1], 0.0, hi2 - lo2, geometry.rows)
    if not (math.isfinite(dx) and math.isfinite(dy)) or (dx == 0 and dy == 0):
        return None
    return ARROWS[round(math.atan2(dy, dx) / (math.pi / 4)) % 8]


def path_marks(view: SurfaceView) -> list[tuple[str, str]]:
    """Each path's (mark, mark now): `•`/`◉` for one path; in a race its optimizer's own, a spare
    one for a key without one (or one already taken)."""
    if len(view.paths) == 1:
        return [ONE_PATH]
    spare = iter(SPARE_MARKS)
    taken: set[str] = set()
    out = []
    for path in view.paths:
        marks = RACE_MARKS.get(path.key)
        while marks is None or marks[0] in taken:
            marks = next(spare, None) or (chr(ord("a") + len(out) % 26), chr(ord("A") + len(out) % 26))
        taken.add(marks[0])
        out.append(marks)
    return out


# -- words ------------------------------------------------------------------------------------


def _title(view: SurfaceView) -> str:
    first, second = view.names
    if view.exact:
        return f"L({first}, {second}) = mean((ŷ − y)²): the whole loss, the network has no other numbers"
    layer = f" of layer {view.pair.layer + 1}" if view.pair.depth > 1 else ""
    held = f"at {view.held_at}" if view.held_at.startswith("the ") else view.held_at
    return f"a slice of L through {first} and {second}{layer} · every other number held at its value {held}"


def _signed(value: float) -> str:
    return fmt(value) if value < 0 or not math.isfinite(value) else "+" + fmt(value)


def _step_item(view: SurfaceView, path: SurfacePath, arrow: str | None) -> tuple[str, Hashable, str]:
    first, second = view.names
    d1, d2 = path.step[0] - path.current[0], path.step[1] - path.current[1]
    if d1 == 0 and d2 == 0:
        return "", "words", f"next step: none, Δ{first} = Δ{second} = 0 (converged)"
    rule = f" ({path.step_rule})" if path.step_rule else ""
    return arrow or "·", "legend-step", f"next step Δ{first} = {_signed(d1)}, Δ{second} = {_signed(d2)}{rule}"


def _legend(view: SurfaceView, arrow: str | None) -> list[list[tuple[str, Hashable, str]]]:
    """The legend's lines, each a list of items (mark, its key, words)."""
    paths = [path for path in view.paths if path.points]
    marks = path_marks(view)
    items: list[tuple[str, Hashable, str]] = []
    lines = [items]
    answer = None
    if view.answer is not None:
        answer = (ANSWER, "legend-answer", f"answer ({fmt(view.answer[0])}, {fmt(view.answer[1])})")
    if len(view.paths) == 1 and paths:
        path = paths[0]
        if len(path.points) > 1:
            items.append((ONE_PATH[0], f"legend-{path.key}", f"{path.label}'s path from epoch {path.epochs[0]}"
                          if path.epochs else f"{path.label}'s path"))
        items.append((ONE_PATH[1], "legend-now", f"now, epoch {path.epochs[-1]}" if path.epochs else "now"))
        if answer:
            items.append(answer)
        if path.step is not None:
            lines.append([_step_item(view, path, arrow)])
    else:
        for path, (mark, _) in zip(view.paths, marks):
            if path.points:
                items.append((mark, f"legend-{path.key}", path.label))
        if answer:
            items.append(answer)
        if paths:
            now = "".join(now for path, (_, now) in zip(view.paths, marks) if path.points)
            items.append((now, "legend-now", "where each is now"))
    return [line for line in lines if line]


def _item_rows(items: Sequence[tuple[str, Hashable, str]], width: int) -> list[Row]:
    """`items` as rows of `width`: `mark words`, joined by ` · `, an item that does not fit on
    the row begun going to the next, one longer than the width wrapped under its mark."""
    rows: list[Row] = []
    row: Row = []
    used = 0
    for mark, key, words in items:
        head: Row = [(mark, key), (" ", "words")] if mark else []
        lead = len(mark) + 1 if mark else 0
        if row and used + 3 + lead + len(words) <= width:
            row += [(" · ", "words"), *head, (words, "words")]
            used += 3 + lead + len(words)
            continue
        if row:
            rows.append(row)
        parts = wrap(words, width - lead) if lead + len(words) > width else [words]
        for k, part in enumerate(parts[:-1]):
            rows.append([*(head if k == 0 else [(" " * lead, "words")] if lead else []), (part, "words")])
        row = [*(head if len(parts) == 1 else [(" " * lead, "words")] if lead else []), (parts[-1], "words")]
        used = lead + len(parts[-1])
    if row:
        rows.append(row)
    return rows


def _word_rows(view: SurfaceView, width: int, arrow: str | None) -> tuple[list[Row], list[Row]]:
    """The title's rows and the legend's, at `width`."""
    legend = [row for items in _legend(view, arrow) for row in _item_rows(items, width)]
    return words_rows([_title(view)], width), legend


def _gutter_labels(view: SurfaceView) -> tuple[str, str, str]:
    """p₂'s high end (the top row), its name (a middle row), its low end (the bottom row)."""
    (_, _), (lo2, hi2) = view.window
    return fmt(hi2), f"{view.names[1]}↑", fmt(lo2)


def _scale_row(low: float, high: float, clamped: bool, width: int, plain: bool) -> Row:
    left, right = ("≤" if clamped else "") + fmt(low), fmt(high)
    bar = max(min(width - len(left) - len(right) - 14, 2 * SHADES), 5)
    row: Row = [(f"log scale {left} [", "label")]
    for i in range(bar):
        if plain:
            row.append((PLAIN_SHADES[i * len(PLAIN_SHADES) // bar], "plain-heat"))
        else:
            level = i * SHADES // bar
            row.append(("▀", ("heat", level, level)))
    row.append((f"] {right}", "label"))
    return row


# -- the map ----------------------------------------------------------------------------------


def _index(axis: Sequence[float], value: float) -> int:
    """The grid point on `axis` (evenly spaced, ascending) nearest `value`."""
    if len(axis) < 2 or axis[-1] == axis[0]:
        return 0
    step = (axis[-1] - axis[0]) / (len(axis) - 1)
    return max(0, min(len(axis) - 1, round((value - axis[0]) / step)))


@lru_cache(maxsize=4)
def _levels(losses: tuple[tuple[float, ...], ...], low: float, high: float, shades: int) -> list[list[int]]:
    """Each grid point's shade. Kept for the next frames: an exact surface's grid stays the same
    while the window does, and this is most of a frame's drawing (docs/PERFORMANCE.md)."""
    return [log_shades(row, low, high, shades) for row in losses]


def _heat(view: SurfaceView, geo: MapGeometry, low: float, high: float, plain: bool) -> list[list[Piece]]:
    """The map's cells: each pixel the log shade of the loss at its nearest grid point, each grid
    point's shade found once."""
    if not view.p1 or not view.p2 or not view.losses:
        return [[(" ", "blank")] * geo.cols for _ in range(geo.rows)]
    levels = _levels(view.losses, low, high, len(PLAIN_SHADES) if plain else SHADES)
    (lo1, hi1), (lo2, hi2) = geo.p1, geo.p2
    columns = [_index(view.p1, lo1 + (c + 0.5) / geo.cols * (hi1 - lo1)) for c in range(geo.cols)]
    if plain:
        out = []
        for r in range(geo.rows):
            line = levels[_index(view.p2, hi2 - (r + 0.5) / geo.rows * (hi2 - lo2))]
            out.append([(PLAIN_SHADES[line[i]], "plain-heat") for i in columns])
        return out
    pixels = [levels[_index(view.p2, hi2 - (p + 0.5) / (2 * geo.rows) * (hi2 - lo2))] for p in range(2 * geo.rows)]
    return [[("▀", ("heat", upper[i], lower[i])) for i in columns]
            for upper, lower in zip(pixels[0::2], pixels[1::2])]


def draw(view: SurfaceView, width: int, height: int, plain: bool = False) -> list[Row]:
    """The picture of `view` in exactly `width` × `height` cells, row by row."""
    geo = map_geometry(view, width, height, plain)
    low, high = log_range(view.losses)
    finite = [v for row in view.losses for v in row if math.isfinite(v)]
    clamped = bool(finite) and min(finite) < low
    cells = _heat(view, geo, low, high, plain)
    under = [[key[-1] if isinstance(key, tuple) else None for _, key in line] for line in cells]

    def put(at: tuple[int, int] | None, char: str, name: str) -> None:
        if at is not None:
            cells[at[0]][at[1]] = (char, (name, under[at[0]][at[1]]))

    paths = [path for path in view.paths if path.points]
    marks = [m for path, m in zip(view.paths, path_marks(view)) if path.points]
    stepping = paths[0] if len(view.paths) == 1 and paths and paths[0].step is not None else None
    # The lines: each path's in braille, the next step's last; a cell's dots are every line's
    # through it, in the ink of the last one drawn there.
    layers = [(f"trail-{path.key}", list(zip(path.points, path.points[1:]))) for path in paths]
    if stepping is not None:
        layers.append(("step", [(stepping.current, stepping.step)]))
    dots = [[0] * geo.cols for _ in range(geo.rows)]
    owner: list[list[str | None]] = [[None] * geo.cols for _ in range(geo.rows)]
    for name, segments in layers:
        if not segments:
            continue
        layer = [[0] * geo.cols for _ in range(geo.rows)]
        for a, b in segments:
            braille_line(layer, geo.dot_of(*a), geo.dot_of(*b))
        for r, line in enumerate(layer):
            for c, bits in enumerate(line):
                if bits:
                    dots[r][c] |= bits
                    owner[r][c] = name
    for r, line in enumerate(dots):
        for c, bits in enumerate(line):
            if bits:
                cells[r][c] = (chr(BRAILLE + bits), (owner[r][c], under[r][c]))
    for path, (mark, _) in zip(paths, marks):
        for point in path.points[:-1]:
            put(geo.map_cell(*point), mark, f"path-{path.key}")
    if view.answer is not None:
        put(geo.map_cell(*view.answer), ANSWER, "answer")
    arrow = None
    if stepping is not None:
        arrow = step_arrow(geo, stepping.current, stepping.step)
        end = geo.map_cell(*stepping.step)
        now = geo.map_cell(*stepping.current)
        if arrow is not None and end is not None:
            if end == now:  # shorter than a cell: beside the point, its way
                dr, dc = _BESIDE[ARROWS.index(arrow)]
                end = (end[0] + dr, end[1] + dc)
            if 0 <= end[0] < geo.rows and 0 <= end[1] < geo.cols:
                put(end, arrow, "step")
    for path, (_, now_mark) in zip(paths, marks):
        put(geo.map_cell(*path.current), now_mark, "now" if len(view.paths) == 1 else f"now-{path.key}")

    title, legend = _word_rows(view, width, arrow)
    top, middle, bottom = _gutter_labels(view)
    gutter = geo.left
    rows: list[Row] = [*title, _scale_row(low, high, clamped, width, plain), *legend]
    for r in range(geo.rows):
        if r == 0:
            label = top.rjust(gutter - 1) + "┤"
        elif r == geo.rows - 1:
            label = bottom.rjust(gutter - 1) + "┤"
        elif r == geo.rows // 2:
            label = middle.rjust(gutter - 1) + "│"
        else:
            label = " " * (gutter - 1) + "│"
        rows.append([(label, "label"), *cells[r]])
    left, right = fmt(geo.p1[0]), fmt(geo.p1[1])
    name = f"{view.names[0]} →"
    axis = left + name.center(max(geo.cols - len(left) - len(right), 0)) + right
    rows.append([(" " * gutter + axis, "label")])
    return fit(rows, width, height)
