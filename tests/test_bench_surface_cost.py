"""The benchmark's surface-view row: what one frame's surface costs the training process (its
shape and where it shows, never how fast it is)."""

from __future__ import annotations

import pytest

from scratchnn_tui.bench import report
from scratchnn_tui.bench.surface_cost import surface_view_ms_p95


@pytest.mark.parametrize("settings", [
    {"task": "triple", "optimizer": "sgd", "device": "cpu"},                 # the whole surface, kept
    {"task": "xor", "optimizer": "adam", "device": "cpu", "hidden": (4,)},  # a slice, made each frame
])
def test_the_surface_views_cost_is_a_positive_number_of_ms(settings):
    cost = surface_view_ms_p95(settings, repeats=20)
    assert isinstance(cost, float) and 0 < cost < 10_000


def test_the_report_shows_it_in_the_table_and_the_json():
    figures = {key: 1.0 for key, _, _ in report.ROWS} | {"history_points_after_1e6": 1}
    figures |= {"task": "triple", "hidden": [], "optimizer": "sgd", "device": "cpu", "seconds": 1.0,
                "machine": "test", "surface_view_ms_p95": 0.75}
    table = report.render(figures, as_json=False)
    assert [line for line in table.splitlines() if "surface view" in line][0].split()[-1] == "0.75"
    assert '"surface_view_ms_p95": 0.75' in report.render(figures, as_json=True)
