"""The function view's picture as cells: a pure function from a `FunctionView` and a size.

No Textual here: each row is a list of (text, style key) pieces, and the widget
(`widgets/function_view.py`) turns the keys into styles. So what is drawn where can be tested
without an app, against the core's forward pass.

A curve (one input): the network's output in braille dots (2 × 4 a cell), the task's true
function as `∙`, the data as `●`, each hidden unit's term vₖ·relu(wₖx + bₖ) as `·` (the selected
unit's as `•`), its hinge as `▲` under the plot (`✗`: a dead unit), a probe as `◆`.
A plane (two inputs): a heat map in half blocks (`▀`: the upper pixel in the character's colour,
the lower in its background), or, under NO_COLOR, one shading character a cell (` ░▒▓█`, darker
is lower); the lines where first-layer units switch on as `─│╱╲`; the samples as their targets.
Every picture writes its ranges as numbers. The cells, shades and braille dots are
`picture_cells`'s, shared with the loss surface's picture.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from ..training.function_view import CurveView, FunctionView, PlaneView
from .numbers import fmt, sub
from .picture_cells import (BRAILLE, DOTS, PLAIN_SHADES, SHADES, Piece, Row, fit, nearest, scale, shade,
                            words_rows, wrap)

LEAST_PLOT_ROWS = 4


@dataclass(frozen=True)
class Marks:
    """What the screen adds to the picture: the typed-in probe, and the selected unit."""

    probe: tuple[float, float] | None = None  # curve: (x, y); plane: (x1, x2)
    unit: int | None = None                   # the hidden unit drawn bold (curve)


def draw(view: FunctionView, width: int, height: int, marks: Marks = Marks(), plain: bool = False) -> list[Row]:
    """The picture of `view` in `width` × `height` cells, row by row."""
    if isinstance(view, PlaneView):
        return draw_plane(view, width, height, marks, plain)
    return draw_curve(view, width, height, marks)


def text_rows(view: FunctionView, width: int, marks: Marks = Marks(), plain: bool = False) -> int:
    """The rows the picture's words take at `width`: the rest of its height is the plot."""
    lines = _curve_words(view, marks) if isinstance(view, CurveView) else _plane_words(view, marks, plain)
    return sum(len(wrap(line, width)) for line in lines)


# -- one input: curves ------------------------------------------------------------------------


def y_range(view: CurveView, marks: Marks) -> tuple[float, float]:
    """The y axis: every curve, sample and the probe drawn, and 0, with a little room."""
    values = [*view.ys, *(y for _, y in view.samples), 0.0]
    if view.target is not None:
        values += view.target
    for unit in view.units:
        values += unit
    if marks.probe is not None:
        values.append(marks.probe[1])
    values = [v for v in values if math.isfinite(v)]
    low, high = min(values), max(values)
    pad = 0.05 * ((high - low) or 1.0)
    return low - pad, high + pad


def value_at(xs: Sequence[float], ys: Sequence[float], x: float) -> float:
    """The curve through the grid's points (`xs` ascending) at `x`, linearly between points:
    the network is straight between its hinges, and the grid is finer than a braille dot."""
    step = (xs[-1] - xs[0]) / (len(xs) - 1)
    at = min(max((x - xs[0]) / step, 0.0), len(xs) - 1.0)
    i = min(int(at), len(xs) - 2)
    return ys[i] + (ys[i + 1] - ys[i]) * (at - i)


def _curve_words(view: CurveView, marks: Marks) -> list[str]:
    along = f"x{sub(view.along + 1)}" if view.inputs > 1 else "x"
    legend = f"⣿ the network's y{'' if view.output == 0 and view.inputs == 1 else sub(view.output + 1)}"
    if view.target is not None:
        legend += f" · ∙ true y = {view.target_label}"
    legend += " · ● data"
    if marks.probe is not None:
        legend += " · ◆ probe"
    lines = [legend]
    if view.units:
        dead = [str(k + 1) for k, is_dead in enumerate(view.dead) if is_dead]
        lines.append(f"y = Σ vₖ·relu(wₖx + bₖ) + c, c = {fmt(view.output_bias)} · · a unit's term "
                     f"(• selected), ▲ its joint x = −bₖ/wₖ"
                     + (f" · ✗ dead (0 on all samples): {', '.join(dead)}" if dead else ""))
    if view.held:
        held = ", ".join(f"x{sub(i + 1)} = {fmt(v)}" for i, v in enumerate(view.held) if i != view.along)
        lines.append(f"along {along}; {held} held at their mean over the data")
    return lines


def draw_curve(view: CurveView, width: int, height: int, marks: Marks = Marks()) -> list[Row]:
    words = words_rows(_curve_words(view, marks), width)
    low, high = y_range(view, marks)
    labels = (fmt(high), fmt(low))
    gutter = max(map(len, labels)) + 1
    plot_w = max(width - gutter, 1)
    below = 2 if view.units else 1  # the hinges' row, then the x axis
    plot_h = max(height - len(words) - below, 1)
    x0, x1 = view.x_range
    grid: list[list[Piece | None]] = [[None] * plot_w for _ in range(plot_h)]

    def cell_of(x: float, y: float) -> tuple[int, int] | None:
        col, row = int(scale(x, x0, x1, plot_w)), int(scale(high - y + low, low, high, plot_h))
        if 0 <= col < plot_w and 0 <= row < plot_h:
            return row, col
        return None

    def put(x: float, y: float, char: str, key: Hashable) -> None:
        at = cell_of(x, y)
        if at is not None:
            grid[at[0]][at[1]] = (char, key)

    zero = cell_of(x0, 0.0)
    for col in range(plot_w):  # the x axis, y = 0, faint
        if zero is not None:
            grid[zero[0]][col] = ("─", "axis")
    centre = [x0 + (col + 0.5) / plot_w * (x1 - x0) for col in range(plot_w)]
    for k, unit in enumerate(view.units):  # the terms, under the output
        bold = k == marks.unit
        for col, x in enumerate(centre):
            at = cell_of(x, value_at(view.xs, unit, x))
            if at is not None and (bold or grid[at[0]][at[1]] is None or grid[at[0]][at[1]][1] == "axis"):
                grid[at[0]][at[1]] = ("•", "unit-bold") if bold else ("·", "unit")
    if view.target is not None:
        for x in centre:
            put(x, value_at(view.xs, view.target, x), "∙", "target")
    # The output in braille: two dot columns a cell, four dot rows, joined up between columns.
    dots = [[0] * plot_w for _ in range(plot_h)]
    previous = None
    for dot_col in range(2 * plot_w):
        x = x0 + (dot_col + 0.5) / (2 * plot_w) * (x1 - x0)
        dot_row = int(scale(high - value_at(view.xs, view.ys, x) + low, low, high, 4 * plot_h))
        rows = [dot_row] if previous is None else range(min(previous, dot_row), max(previous, dot_row) + 1)
        for r in rows:
            if 0 <= r < 4 * plot_h:
                dots[r // 4][dot_col // 2] |= DOTS[r % 4][dot_col % 2]
        previous = dot_row
    for row in range(plot_h):
        for col in range(plot_w):
            if dots[row][col]:
                grid[row][col] = (chr(BRAILLE + dots[row][col]), "output")
    for x, y in view.samples:
        put(x, y, "●", "sample")
    if marks.probe is not None:
        put(*marks.probe, "◆", "probe")
    rows = list(words)
    for row in range(plot_h):
        label = labels[0] if row == 0 else labels[1] if row == plot_h - 1 else ""
        line: Row = [(label.rjust(gutter - 1) + "┤" if label else " " * (gutter - 1) + "│", "label")]
        line += [piece or (" ", "blank") for piece in grid[row]]
        rows.append(line)
    if view.units:
        marks_row: list[Piece] = [(" ", "blank")] * plot_w
        for k, at in enumerate(view.hinges):
            if at is None or not x0 <= at < x1:
                continue
            col = min(int(scale(at, x0, x1, plot_w)), plot_w - 1)
            dead = view.dead[k] if k < len(view.dead) else False
            key = "dead" if dead else "hinge-bold" if k == marks.unit else "hinge"
            if marks_row[col][1] != "hinge-bold":
                marks_row[col] = ("✗" if dead else "▲", key)
        rows.append([(" " * gutter, "blank"), *marks_row])
    left, right = fmt(x0), fmt(x1)
    name = f"x{sub(view.along + 1)}" if view.inputs > 1 else "x"
    middle = max(plot_w - len(left) - len(right), 0)
    axis = left + name.center(middle) + right
    rows.append([(" " * gutter + axis[:plot_w], "label")])
    return fit(rows, width, height)


# -- two inputs: a heat map -------------------------------------------------------------------


def _plane_words(view: PlaneView, marks: Marks, plain: bool = False) -> list[str]:
    if view.output_layer:
        what = f"output y{sub(view.neuron + 1)}"
    else:
        what = f"hidden unit {view.neuron + 1} of layer {view.layer + 1}, a = relu(z),"
    return [f"{what} over (x₁, x₂)",
            "",  # the scale's row, drawn by draw_plane
            "╱ where a first-layer unit switches on, w·x + b = 0"
            + (" · numbers: the samples' targets" if view.labels is not None else " · ● samples")
            + (" · ◆ probe" if marks.probe is not None else "")]


def draw_plane(view: PlaneView, width: int, height: int, marks: Marks = Marks(), plain: bool = False) -> list[Row]:
    low, high = view.value_range
    words = _plane_words(view, marks, plain)
    title = words_rows(words[:1], width)
    legend = words_rows(words[2:], width)
    left, right = fmt(low), fmt(high)
    bar = max(min(width - len(left) - len(right) - 14, 2 * SHADES), 5)
    scale_row: Row = [(f"scale {left} [", "label")]
    for i in range(bar):
        level = i * SHADES // bar
        if plain:
            scale_row.append((PLAIN_SHADES[level * len(PLAIN_SHADES) // SHADES], "plain-heat"))
        else:
            scale_row.append(("▀", ("heat", level, level)))
    scale_row.append((f"] {right}", "label"))
    (x1_lo, x1_hi), (x2_lo, x2_hi) = (view.x1[0], view.x1[-1]), (view.x2[0], view.x2[-1])
    labels = (fmt(x2_hi), fmt(x2_lo))
    gutter = max(map(len, labels)) + 1
    map_h = max(height - len(title) - 1 - len(legend) - 1, 1)
    aspect = (x1_hi - x1_lo) / ((x2_hi - x2_lo) or 1.0)
    map_w = max(1, min(width - gutter, round(2 * map_h * aspect)))

    def value(px: float, py: float) -> float:
        """The value at pixel (px, py): columns from x1_lo, rows (2 a cell) from x2_hi down."""
        x1 = x1_lo + (px + 0.5) / map_w * (x1_hi - x1_lo)
        x2 = x2_hi - (py + 0.5) / (2 * map_h) * (x2_hi - x2_lo)
        return view.values[nearest(view.x2, x2)][nearest(view.x1, x1)]

    cells: list[list[Piece]] = []
    for row in range(map_h):
        line = []
        for col in range(map_w):
            top, bottom = value(col, 2 * row), value(col, 2 * row + 1)
            if plain:
                level = shade((top + bottom) / 2, low, high, len(PLAIN_SHADES))
                line.append((PLAIN_SHADES[level], "plain-heat"))
            else:
                line.append(("▀", ("heat", shade(top, low, high), shade(bottom, low, high))))
        cells.append(line)

    def cell_of(x1: float, x2: float) -> tuple[int, int] | None:
        col = int(scale(x1, x1_lo, x1_hi, map_w))
        row = int(scale(x2_hi - x2 + x2_lo, x2_lo, x2_hi, map_h))
        return (row, col) if 0 <= col < map_w and 0 <= row < map_h else None

    def overlay(row: int, col: int, char: str, key: str) -> None:
        under = cells[row][col][1]  # ("heat", upper, lower), (key, lower) or "plain-heat"
        level = under[-1] if isinstance(under, tuple) else None
        cells[row][col] = (char, (key, level))

    for w1, w2, b in view.lines:
        char = _line_char(w1, w2, map_w / ((x1_hi - x1_lo) or 1.0), 2 * map_h / ((x2_hi - x2_lo) or 1.0))
        for row in range(map_h):
            for col in range(map_w):
                xa, xb = x1_lo + col / map_w * (x1_hi - x1_lo), x1_lo + (col + 1) / map_w * (x1_hi - x1_lo)
                ya, yb = x2_hi - (row + 1) / map_h * (x2_hi - x2_lo), x2_hi - row / map_h * (x2_hi - x2_lo)
                # One cell a column for a flat line (it crosses the cell's vertical middle),
                # one a row for a steep one (its horizontal middle): a line one cell thick.
                if char in "─╱╲" and abs(w2) * (yb - ya) >= abs(w1) * (xb - xa):
                    ends = (((xa + xb) / 2, ya), ((xa + xb) / 2, yb))
                else:
                    ends = ((xa, (ya + yb) / 2), (xb, (ya + yb) / 2))
                if len({w1 * a + w2 * c + b > 0 for a, c in ends}) == 2:
                    overlay(row, col, char, "line")
    for k, (x1, x2) in enumerate(view.samples):
        at = cell_of(x1, x2)
        if at is None:
            continue
        text = "●" if view.labels is None else fmt(view.labels[k])
        for i, char in enumerate(text[: map_w - at[1]]):
            overlay(at[0], at[1] + i, char, "sample")
    if marks.probe is not None:
        at = cell_of(*marks.probe)
        if at is not None:
            overlay(*at, "◆", "probe")
    rows = [*title, scale_row, *legend]
    for row in range(map_h):
        label = labels[0] if row == 0 else labels[1] if row == map_h - 1 else ""
        rows.append([(label.rjust(gutter - 1) + "┤" if label else " " * (gutter - 1) + "│", "label"), *cells[row]])
    axis = fmt(x1_lo) + "x₁".center(max(map_w - len(fmt(x1_lo)) - len(fmt(x1_hi)), 0)) + fmt(x1_hi)
    rows.append([(" " * gutter + axis, "label")])
    return fit(rows, width, height)


def _line_char(w1: float, w2: float, cols_per_unit: float, rows_per_unit: float) -> str:
    """The character for the line w1·x1 + w2·x2 + b = 0 as the screen draws it: its direction
    (−w2, w1) in cells, a cell being about twice as tall as it is wide."""
    dx, dy = -w2 * cols_per_unit, w1 * rows_per_unit  # dy: half-block pixels, each about a column wide
    if abs(dy) < 0.4 * abs(dx):
        return "─"
    if abs(dx) < 0.4 * abs(dy):
        return "│"
    return "╱" if dx * dy > 0 else "╲"
