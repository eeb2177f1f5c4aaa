"""The function view's cells against the network's own forward pass (not against the picture)."""

from __future__ import annotations

import pytest
import torch

from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.function_picture import (BRAILLE, PLAIN_SHADES, SHADES, Marks, draw, scale, shade,
                                               text_rows, y_range)


def text(rows) -> list[str]:
    return ["".join(t for t, _ in row) for row in rows]


def forward(session: Session, x) -> torch.Tensor:
    with torch.no_grad():
        return session.model(torch.tensor(x, dtype=torch.float32))


@pytest.fixture(scope="module")
def square():
    session = Session(task="square", hidden="8", optimizer="adam", lr=0.01, seed=1)
    session.train(3000)
    return session


@pytest.fixture(scope="module")
def xor():
    session = Session(task="xor", hidden="4", optimizer="adam", lr=0.02, seed=0)
    session.train(2000)
    return session


def test_the_curve_passes_where_the_network_outputs_in_every_column(square):
    view = square.snapshot().function
    width, height = 70, 20
    rows = draw(view, width, height)
    words = text_rows(view, width)
    low, high = y_range(view, Marks())
    gutter = text(rows)[words].index("┤") + 1  # the top row's label ends in ┤
    plot_w, plot_h = width - gutter, height - words - 2
    x0, x1 = view.x_range
    for col in range(0, plot_w, 3):
        x = x0 + (col + 0.5) / plot_w * (x1 - x0)
        y = forward(square, [[x]])[0, 0].item()
        row = int(scale(high - y + low, low, high, plot_h))
        column = [text(rows)[words + r][gutter + col] for r in range(plot_h)]
        drawn = [r for r, c in enumerate(column) if BRAILLE < ord(c) <= BRAILLE + 0xFF]
        if 0 <= row < plot_h and drawn:  # a sample's ● may stand on the dots
            assert min(abs(r - row) for r in drawn) <= 1, (col, row, drawn)


def test_the_hinges_and_the_ranges_are_written_under_the_plot(square):
    view = square.snapshot().function
    width, height = 70, 20
    lines = text(draw(view, width, height))
    marks_row, axis = lines[-2], lines[-1]
    x0, x1 = view.x_range
    gutter = len(axis) - len(axis.lstrip(" "))
    plot_w = width - gutter
    for k, at in enumerate(view.hinges):
        if at is not None and x0 <= at < x1:
            col = gutter + min(int(scale(at, x0, x1, plot_w)), plot_w - 1)
            assert marks_row[col] in "▲✗"
    assert axis.split()[0] == "-0.5" and axis.split()[-1] == "2.5"  # 0.5…2, 0 and a quarter's margin
    assert "c = " in " ".join(lines[:3])  # the output's bias is said


def test_the_selected_unit_is_drawn_bold_and_the_probe_marked():
    session = Session(task="square", hidden="3", seed=2)
    view = session.snapshot().function
    keys = {key for row in draw(view, 60, 18, Marks(unit=1, probe=(1.0, 0.3))) for _, key in row}
    assert "unit-bold" in keys and "probe" in keys
    assert "unit-bold" not in {key for row in draw(view, 60, 18) for _, key in row}


def test_each_heat_map_pixel_is_the_shade_of_the_networks_output_there(xor):
    view = xor.snapshot().function
    low, high = view.value_range
    rows = draw(view, 40, 24)
    map_rows = [row for row in rows if any(isinstance(key, tuple) and key[0] == "heat" for _, key in row[1:])]
    map_rows = [row for row in map_rows if row[0][0].rstrip().endswith(("┤", "│"))]
    height = len(map_rows)
    width = sum(len(t) for t, k in map_rows[0][1:] if k != "blank")
    (a0, a1), (b0, b1) = (view.x1[0], view.x1[-1]), (view.x2[0], view.x2[-1])
    checked = 0
    for r, row in enumerate(map_rows):
        cells = [piece for piece in row[1:] if piece[1] != "blank"]
        for c, (char, key) in enumerate(cells):
            if not (isinstance(key, tuple) and key[0] == "heat"):
                continue  # a line or a sample drawn over it
            for pixel, level in ((2 * r, key[1]), (2 * r + 1, key[2])):
                x1 = a0 + (c + 0.5) / width * (a1 - a0)
                x2 = b1 - (pixel + 0.5) / (2 * height) * (b1 - b0)
                value = forward(xor, [[x1, x2]])[0, 0].item()
                assert abs(level - shade(value, low, high)) <= 1  # the grid's nearest point
                checked += 1
    assert checked > 500


def test_the_corners_read_as_xor_and_the_scale_names_its_ends(xor):
    view = xor.snapshot().function
    low, high = view.value_range
    lines = text(draw(view, 40, 24))
    scale_line = next(line for line in lines if line.startswith("scale"))
    assert scale_line.split()[1] == f"{low:.4g}" and scale_line.split()[-1] == f"{high:.4g}"
    for x1, x2, want in ((0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)):
        assert forward(xor, [[x1, x2]])[0, 0].item() == pytest.approx(want, abs=0.1)
    joined = "\n".join(lines)
    assert joined.count("1") >= 2 and joined.count("0") >= 2  # the targets written on the map


def test_under_no_color_the_map_is_shading_darker_for_lower(xor):
    view = xor.snapshot().function
    rows = draw(view, 40, 24, plain=True)
    chars = {t for row in rows for t, key in row if key == "plain-heat"}
    assert chars <= set(PLAIN_SHADES) and len(chars) >= 3
    assert all(not isinstance(key, tuple) or key[0] != "heat" for row in rows for _, key in row)
    # The lowest value's shade is the first character, the highest's the last.
    assert shade(view.value_range[0], *view.value_range, len(PLAIN_SHADES)) == 0
    assert shade(view.value_range[1], *view.value_range, len(PLAIN_SHADES)) == len(PLAIN_SHADES) - 1
    assert SHADES > len(PLAIN_SHADES)
