"""The loss surface's cells against the loss computed here, by hand (not against the picture).

The surface is triple's: y = 3x on x = 1…4, one neuron, L(w, b) = mean((relu(w·x + b) − 3x)²),
computed in plain Python on a grid built here. Where a point should be drawn is worked out here
too, from the map's edges as the drawn rows show them (the gutter's `┤`)."""

from __future__ import annotations

import math
import re

import pytest

from scratchnn_tui.training.surface_view import Pair, SurfacePath, SurfaceView
from scratchnn_tui.ui.numbers import fmt
from scratchnn_tui.ui.picture_cells import BRAILLE, DOTS, PLAIN_SHADES, braille_line
from scratchnn_tui.ui.surface_picture import (LEAST_MAP_ROWS, STYLE_KEYS, draw, log_range, map_geometry,
                                              text_rows)

XS = (1.0, 2.0, 3.0, 4.0)
PAIR = Pair(layer=0, neuron=0, index=0, names=("w₁₁", "b₁"), plain=("w11", "b1"))
DEEP = Pair(layer=1, neuron=0, index=1, names=("w₁₂", "b₁"), plain=("layer2_w12", "layer2_b1"), depth=2)


def loss(w: float, b: float) -> float:
    return sum((max(w * x + b, 0.0) - 3 * x) ** 2 for x in XS) / len(XS)


def axis(low: float, high: float, count: int) -> tuple[float, ...]:
    return tuple(low + (high - low) * k / (count - 1) for k in range(count))


def surface(paths=(), answer=None, p1=(-0.7, 4.3), p2=(-2.2, 1.9), side=49, exact=True, pair=PAIR,
            held_at="now") -> SurfaceView:
    a, b = axis(*p1, side), axis(*p2, side)
    losses = tuple(tuple(loss(w, c) for w in a) for c in b)
    return SurfaceView(pair=pair, p1=a, p2=b, losses=losses, exact=exact, paths=tuple(paths), answer=answer,
                       held_at=held_at)


def walk(points, key="sgd", label="SGD", step=None, rule="") -> SurfacePath:
    return SurfacePath(key=key, label=label, points=tuple(points), epochs=tuple(range(len(points))), step=step,
                       step_rule=rule)


def cells(row) -> list[tuple[str, object]]:
    """A drawn row a cell at a time: (character, key)."""
    return [(char, key) for text, key in row for char in text]


def text(rows) -> list[str]:
    return ["".join(t for t, _ in row) for row in rows]


def edges(rows) -> tuple[int, int, int, int]:
    """The map's first row, first column, rows and columns, read off the gutter's `┤`s."""
    marked = [r for r, line in enumerate(text(rows)) if "┤" in line]
    top, bottom = marked[0], marked[-1]
    left = text(rows)[top].index("┤") + 1
    return top, left, bottom - top + 1, len(text(rows)[top]) - left


def where(view: SurfaceView, rows, p1: float, p2: float) -> tuple[int, int]:
    """The drawn (row, col) of (p1, p2): its cell counted from the window's top left."""
    top, left, height, width = edges(rows)
    (lo1, hi1), (lo2, hi2) = (view.p1[0], view.p1[-1]), (view.p2[0], view.p2[-1])
    col = min(math.floor((p1 - lo1) / (hi1 - lo1) * width), width - 1)
    row = min(math.floor((hi2 - p2) / (hi2 - lo2) * height), height - 1)
    return top + row, left + col


def map_chars(rows) -> set[str]:
    """Every character drawn on the map (not the words, the gutter or the axis row)."""
    top, left, height, _ = edges(rows)
    return {char for row in rows[top:top + height] for char, _ in cells(row)[left:]}


def char_at(rows, at: tuple[int, int]) -> str:
    return cells(rows[at[0]])[at[1]][0]


def expected_level(view: SurfaceView, p1: float, p2: float, shades: int) -> int:
    """The log shade of the loss at the grid point nearest (p1, p2), from the losses here."""
    i = round((p1 - view.p1[0]) / (view.p1[1] - view.p1[0]))
    j = round((p2 - view.p2[0]) / (view.p2[1] - view.p2[0]))
    everything = [v for row in view.losses for v in row]
    high = max(everything)
    low = max(min(v for v in everything if v > 0), high * 1e-8)
    value = view.losses[j][i]
    if value <= low:
        return 0
    return min(int((math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low)) * shades),
               shades - 1)


def test_each_half_block_is_the_log_shade_of_the_loss_at_its_nearest_grid_point():
    view = surface()
    width, height = 44, 30
    rows = draw(view, width, height)
    top, left, map_h, map_w = edges(rows)
    (lo1, hi1), (lo2, hi2) = (view.p1[0], view.p1[-1]), (view.p2[0], view.p2[-1])
    levels = set()
    for r in range(map_h):
        line = cells(rows[top + r])[left:]
        assert len(line) == map_w
        for c, (char, key) in enumerate(line):
            assert char == "▀" and key[0] == "heat"
            p1 = lo1 + (c + 0.5) / map_w * (hi1 - lo1)
            for pixel, level in ((2 * r, key[1]), (2 * r + 1, key[2])):
                p2 = hi2 - (pixel + 0.5) / (2 * map_h) * (hi2 - lo2)
                assert level == expected_level(view, p1, p2, 16), (r, c, pixel)
                levels.add(level)
    assert len(levels) >= 12  # the log scale spreads the decades over the shades


def test_under_no_color_each_cell_is_one_shading_character_of_the_log_shade():
    view = surface()
    width, height = 40, 24
    rows = draw(view, width, height, plain=True)
    top, left, map_h, map_w = edges(rows)
    (lo1, hi1), (lo2, hi2) = (view.p1[0], view.p1[-1]), (view.p2[0], view.p2[-1])
    for r in range(map_h):
        for c, (char, key) in enumerate(cells(rows[top + r])[left:]):
            p1 = lo1 + (c + 0.5) / map_w * (hi1 - lo1)
            p2 = hi2 - (r + 0.5) / map_h * (hi2 - lo2)
            assert (char, key) == (PLAIN_SHADES[expected_level(view, p1, p2, len(PLAIN_SHADES))], "plain-heat")
    # The lowest loss (near the answer) is the emptiest character, the highest the darkest.
    drawn = {char for row in rows[top:top + map_h] for char, _ in cells(row)[left:]}
    assert {PLAIN_SHADES[0], PLAIN_SHADES[-1]} <= drawn


def test_the_scale_row_says_log_and_writes_the_grids_lowest_and_highest_loss():
    view = surface()
    everything = [v for row in view.losses for v in row]
    assert min(everything) > 0  # (3, 0) is not on this grid
    for plain in (False, True):
        line = next(line for line in text(draw(view, 44, 30, plain)) if line.startswith("log scale"))
        assert line.split("[")[0].split()[-1] == fmt(min(everything))
        assert line.rstrip().split()[-1] == fmt(max(everything))
        bar = line[line.index("[") + 1:line.index("]")]
        assert len(bar) >= 5 and (set(bar) <= set(PLAIN_SHADES) if plain else set(bar) == {"▀"})


def test_an_answer_on_the_grid_has_loss_zero_and_takes_the_lowest_shade_without_a_log_of_zero():
    view = surface(answer=(3.0, 0.0), p1=(0.0, 6.0), p2=(-3.0, 3.0))  # 3 and 0 are grid points
    assert view.losses[24][24] == 0.0
    rows = draw(view, 44, 30)
    everything = [v for row in view.losses for v in row]
    lowest_positive = min(v for v in everything if v > 0)
    line = next(line for line in text(rows) if line.startswith("log scale"))
    assert line.split("[")[0].split()[-1] == "≤" + fmt(lowest_positive)  # the low end, and lower
    top, left, map_h, map_w = edges(rows)
    (lo1, hi1), (lo2, hi2) = (view.p1[0], view.p1[-1]), (view.p2[0], view.p2[-1])
    for r in range(map_h):
        for c, (char, key) in enumerate(cells(rows[top + r])[left:]):
            if key[0] == "heat":
                p1 = lo1 + (c + 0.5) / map_w * (hi1 - lo1)
                assert key[1] == expected_level(view, p1, hi2 - (2 * r + 0.5) / (2 * map_h) * (hi2 - lo2), 16)
    at = where(view, rows, 3.0, 0.0)
    assert char_at(rows, at) == "○" and cells(rows[at[0]])[at[1]][1][0] == "answer"
    draw(view, 40, 20, plain=True)


def test_a_tiny_lowest_loss_is_held_at_a_hundred_millionth_of_the_highest():
    tiny = ((1e-15, 2.0), (50.0, 100.0))
    assert log_range(tiny) == (pytest.approx(100.0 * 1e-8), 100.0)
    assert log_range(((0.0, 0.0), (0.0, 0.0)))[1] == 0.0
    view = SurfaceView(pair=PAIR, p1=(0.0, 1.0), p2=(0.0, 1.0), losses=tiny, exact=True, paths=())
    line = next(line for line in text(draw(view, 40, 12)) if line.startswith("log scale"))
    assert line.split("[")[0].split()[-1] == "≤" + fmt(1e-6)
    flat = SurfaceView(pair=PAIR, p1=(0.0, 1.0), p2=(0.0, 1.0), losses=((0.0, 0.0), (0.0, 0.0)), exact=True,
                       paths=())
    assert len(draw(flat, 40, 12)) == 12 and len(draw(flat, 40, 12, plain=True)) == 12


def test_the_axes_write_both_ranges_and_both_names():
    view = surface()
    rows = text(draw(view, 44, 30))
    top, left, map_h, _ = edges(draw(view, 44, 30))
    assert rows[top][:left].strip() == fmt(view.p2[-1]) + "┤"       # p₂ high at the top
    assert rows[top + map_h - 1][:left].strip() == fmt(view.p2[0]) + "┤"
    assert any("b₁" in line[:left] for line in rows[top:top + map_h])  # p₂ is named up the gutter
    axis_words = rows[top + map_h].split()
    assert axis_words[0] == fmt(view.p1[0]) and axis_words[-1] == fmt(view.p1[-1]) and "w₁₁" in axis_words


def test_the_path_its_current_point_and_the_answer_sit_where_their_numbers_put_them():
    points = [(0.1, -1.8), (1.2, -1.2), (2.0, -0.4), (2.6, 0.5)]
    view = surface([walk(points)], answer=(3.0, 0.0))
    for plain in (False, True):
        rows = draw(view, 44, 30, plain)
        for point in points[:-1]:
            assert char_at(rows, where(view, rows, *point)) == "•", point
        assert char_at(rows, where(view, rows, *points[-1])) == "◉"
        assert char_at(rows, where(view, rows, 3.0, 0.0)) == "○"
        assert sum(char == "◉" for row in rows for char, _ in cells(row)) == 1 + 1  # on the map, in the legend
        key = cells(rows[where(view, rows, *points[-1])[0]])[where(view, rows, *points[-1])[1]][1]
        assert key[0] == "now" and (key[1] is None) == plain
        # The seam agrees with the cell worked out here.
        assert map_geometry(view, 44, 30, plain).cell_of(*points[1]) == where(view, rows, *points[1])
    legend = " ".join(text(draw(view, 44, 30))[:text_rows(view, 44)])
    assert "○ answer (3, 0)" in legend and "◉ now" in legend


def test_the_current_point_wins_its_cell_over_the_answer():
    view = surface([walk([(0.5, -1.0), (3.0, 0.0)])], answer=(3.0, 0.0))
    rows = draw(view, 44, 30)
    assert char_at(rows, where(view, rows, 3.0, 0.0)) == "◉"


def lit_dots(rows) -> set[tuple[int, int]]:
    """The braille dots lit on the map, (column, row) in dots from its top left."""
    top, left, height, _ = edges(rows)
    lit = set()
    for r in range(height):
        for c, (char, _) in enumerate(cells(rows[top + r])[left:]):
            bits = ord(char) - BRAILLE
            if 0 < bits <= 0xFF:
                lit |= {(2 * c + dc, 4 * r + dr) for dr in range(4) for dc in range(2) if bits & DOTS[dr][dc]}
    return lit


def test_the_line_between_two_points_is_drawn_in_braille_all_the_way_and_nowhere_else():
    start, end = (0.0, -1.9), (3.9, 1.5)
    view = surface([walk([start, end])])
    rows = draw(view, 44, 30)
    top, left, height, width = edges(rows)
    (lo1, hi1), (lo2, hi2) = (view.p1[0], view.p1[-1]), (view.p2[0], view.p2[-1])

    def dot(p1, p2):  # in dots: two a column, four a row
        return (p1 - lo1) / (hi1 - lo1) * 2 * width, (hi2 - p2) / (hi2 - lo2) * 4 * height

    (x0, y0), (x1, y1) = dot(*start), dot(*end)
    lit = lit_dots(rows)
    marked = {where(view, rows, *start), where(view, rows, *end)}
    for k in range(1, 400):  # every dot the segment crosses has a lit dot beside it
        x, y = x0 + (x1 - x0) * k / 400, y0 + (y1 - y0) * k / 400
        if (top + int(y) // 4, left + int(x) // 2) in marked:
            continue
        assert any((int(x) + dx, int(y) + dy) in lit for dx in (-1, 0, 1) for dy in (-1, 0, 1)), (x, y)
    length = math.hypot(x1 - x0, y1 - y0)
    for x, y in lit:  # and every lit dot is on it: a thin line
        centre = (x + 0.5 - x0, y + 0.5 - y0)
        assert abs(centre[0] * (y1 - y0) - centre[1] * (x1 - x0)) / length <= 1.5, (x, y)
    keys = {cells(rows[top + y // 4])[left + x // 2][1][0] for x, y in lit}
    assert keys == {"trail-sgd"}


def test_braille_line_sets_each_dot_of_a_segment():
    dots = [[0, 0], [0, 0]]  # 2 × 2 cells: 4 × 8 dots
    braille_line(dots, (0.5, 0.5), (3.5, 0.5))  # along the top dot row
    assert dots == [[DOTS[0][0] | DOTS[0][1]] * 2, [0, 0]]
    dots = [[0]]
    braille_line(dots, (0.5, -10.0), (0.5, 100.0))  # far outside at both ends: cut to the cell
    assert dots == [[DOTS[0][0] | DOTS[1][0] | DOTS[2][0] | DOTS[3][0]]]
    dots = [[0]]
    braille_line(dots, (5.0, 5.0), (9.0, 9.0))
    braille_line(dots, (float("nan"), 0.0), (1.0, 1.0))
    assert dots == [[0]]


def test_a_race_marks_each_path_its_own_way_and_names_all_four():
    start = (0.2, -1.6)
    racers = [("sgd", "SGD", [start, (0.9, -1.3), (1.6, -1.0)]),
              ("momentum", "SGD+momentum", [start, (1.5, 0.2), (3.6, 1.2)]),
              ("adam", "Adam", [start, (0.5, 0.0), (0.8, 1.4)]),
              ("solved", "Solved", [start, (3.0, 0.0)])]
    view = surface([walk(points, key, label) for key, label, points in racers], answer=(3.0, 0.0), exact=False,
                   held_at="the race's start")
    for plain in (False, True):
        rows = draw(view, 44, 30, plain)
        middles = {char_at(rows, where(view, rows, *points[1])) for _, _, points in racers[:3]}
        nows = {char_at(rows, where(view, rows, *points[-1])) for _, _, points in racers}
        assert len(middles) == 3 and len(nows) == 4 and not middles & nows
        for key, _, points in racers:
            at = where(view, rows, *points[-1])
            assert cells(rows[at[0]])[at[1]][1][0] == f"now-{key}"
        legend = " ".join(text(rows)[:edges(rows)[0]])
        for label in ("SGD", "SGD+momentum", "Adam", "Solved"):
            assert label in legend
        legend = " ".join(legend.split())
        marks = [re.search(rf"(\S) {re.escape(label)}(?= |$)", legend).group(1)
                 for label in ("SGD", "SGD+momentum", "Adam", "Solved")]
        assert len(set(marks)) == 4 and set(marks) >= middles
        assert "○ answer (3, 0)" in legend


def test_a_slice_says_so_and_where_the_other_numbers_are_held():
    view = surface([walk([(1.0, 0.0)])], exact=False, pair=DEEP, held_at="the race's start")
    words = " ".join(line.strip() for line in text(draw(view, 36, 30))[:text_rows(view, 36)])
    assert "slice" in words and "the race's start" in words and "w₁₂" in words and "of layer 2" in words
    whole = " ".join(text(draw(surface([walk([(1.0, 0.0)])]), 60, 30))[:2])
    assert "L(w₁₁, b₁)" in whole and "whole loss" in whole and "slice" not in whole


@pytest.mark.parametrize("step, arrow", [((1.0, 0.8), "↗"), ((-1.2, 0.0), "←"), ((0.0, -1.0), "↓")])
def test_the_next_step_is_an_arrow_at_its_end_pointing_its_way(step, arrow):
    now = (1.5, -0.5)
    end = (now[0] + step[0], now[1] + step[1])
    view = surface([walk([(0.5, -1.5), now], step=end, rule="−lr·∂L/∂θ")])
    for plain in (False, True):
        rows = draw(view, 44, 30, plain)
        at = where(view, rows, *end)
        assert cells(rows[at[0]])[at[1]][0] == arrow and cells(rows[at[0]])[at[1]][1][0] == "step"
        assert map_chars(rows) & set("→↗↑↖←↙↓↘") == {arrow}
    legend = " ".join(text(draw(view, 70, 30))[:text_rows(view, 70)])
    assert f"{arrow} next step Δw₁₁ = {'+' if step[0] >= 0 else ''}{fmt(step[0])}" in legend
    assert f"Δb₁ = {'+' if step[1] >= 0 else ''}{fmt(step[1])} (−lr·∂L/∂θ)" in legend


def test_the_arrow_counts_a_cell_twice_as_tall_as_it_is_wide():
    now = (1.0, -1.0)
    view = surface([walk([now], step=(0.0, 0.0))])
    width, height = 44, 30
    geo = map_geometry(view, width, height)
    # Two columns right and 0.6 of a row up: 17° in cells, 31° on screen, where a row is two wide.
    span1, span2 = view.p1[-1] - view.p1[0], view.p2[-1] - view.p2[0]
    end = (now[0] + 2 * span1 / geo.cols, now[1] + 0.6 * span2 / geo.rows)
    view = surface([walk([now], step=end)])
    rows = draw(view, width, height)
    assert math.degrees(math.atan2(0.6, 2)) < 22.5 < math.degrees(math.atan2(2 * 0.6, 2))  # → in cells, ↗ seen
    assert "↗ next step" in " ".join(text(rows)[:edges(rows)[0]])


def test_a_zero_step_says_it_converged_and_draws_no_arrow():
    view = surface([walk([(0.5, -1.0), (3.0, 0.0)], step=(3.0, 0.0))], answer=(3.0, 0.0))
    rows = draw(view, 44, 30)
    assert not map_chars(rows) & set("→↗↑↖←↙↓↘")
    assert "converged" in " ".join(text(rows)[:edges(rows)[0]])


def test_marks_outside_the_window_are_left_out():
    points = [(-40.0, 90.0), (1.0, 0.0), (float("nan"), 0.0), (1e9, -1e9)]
    view = surface([walk(points, step=(55.0, 55.0))], answer=(-30.0, -30.0))
    rows = draw(view, 44, 30)
    assert len(rows) == 30
    drawn = map_chars(rows)
    assert "○" not in drawn and "◉" not in drawn and "•" in drawn and not drawn & set("→↗↑↖←↙↓↘")


@pytest.mark.parametrize("width", [1, 8, 20, 36, 40, 44, 90])
@pytest.mark.parametrize("plain", [False, True])
def test_any_size_is_exactly_its_rows_and_columns_and_the_words_wrap(width, plain):
    race = surface([walk([(0.2, -1.6), (1.0, 0.0)], k, k.title()) for k in ("sgd", "momentum", "adam", "solved")],
                   answer=(3.0, 0.0), exact=False, pair=DEEP, held_at="the race's start")
    one = surface([walk([(0.2, -1.6), (1.0, 0.0)], step=(1.4, 0.3), rule="−lr·v, v = μ·v + ∂L/∂θ")],
                  answer=(3.0, 0.0))
    for view in (race, one):
        for height in (1, 2, 5, 9, 14, 30):
            rows = draw(view, width, height, plain)
            assert len(rows) == height
            assert all(sum(len(t) for t, _ in row) == width for row in rows)
            if plain:
                assert not any("▀" in t for row in rows for t, _ in row)
        words = text_rows(view, width, plain)
        height = words + LEAST_MAP_ROWS + 1
        rows = draw(view, width, height, plain)
        if width >= 20:  # the gutter and a map fit: the map starts where the words end
            assert edges(rows)[0] == words and edges(rows)[2] == LEAST_MAP_ROWS
            full = " ".join(" ".join(text(rows)[:words]).split())
            assert "answer (3, 0)" in full  # wrapped, not cut
            assert ("every other number held at its value at the race's start" in full if view is race
                    else "Δb₁ = +0.3 (−lr·v, v = μ·v + ∂L/∂θ)" in full)


def test_under_no_color_marks_are_characters_on_no_colour():
    view = surface([walk([(0.5, -1.0), (1.5, -0.3)], step=(2.0, 0.2))], answer=(3.0, 0.0))
    rows = draw(view, 44, 30, plain=True)
    top = edges(rows)[0]
    keys = {key for row in rows[top:] for _, key in cells(row)}
    assert all(key[1] is None for key in keys if isinstance(key, tuple))
    assert not any(isinstance(key, tuple) and key[0] == "heat" for row in rows for _, key in row)
    names = {key[0] for key in keys if isinstance(key, tuple)}
    assert {"path-sgd", "trail-sgd", "now", "answer", "step"} <= names
    documented = {key.split("<")[0] for key in STYLE_KEYS}
    assert all(any(name == d or (d.endswith("-") and name.startswith(d)) for d in documented) for name in names)
