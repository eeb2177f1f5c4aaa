"""The race board's bars: nothing to compare at epoch 0, so an empty baseline, not full blocks."""

from __future__ import annotations

from rich.console import Console
from textual.renderables.sparkline import Sparkline as SparklineRenderable
from textual.widgets import Sparkline

from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import settle
from scratchnn_tui.ui.widgets.race_board import RaceLane, lane_bars


def drawn(values, width: int) -> str:
    console = Console(width=width, color_system=None, file=None)
    with console.capture() as capture:
        console.print(SparklineRenderable(values, width=width), end="")
    return capture.get()


def test_at_epoch_0_a_lane_has_no_bars_and_draws_a_baseline():
    values, width = lane_bars((53.2,), 60)
    assert values == [] and width == "1fr"
    assert drawn(values, 60) == "▁" * 60
    assert lane_bars((53.2,), 0) == ([], "1fr")  # also before the lane is laid out


def test_once_trained_a_lane_has_a_column_an_epoch():
    values, width = lane_bars((53.2, 20.0, 5.0), 60)
    assert len(values) == 3 and width == 3
    assert "█" in drawn(values, 3) and drawn(values, 3) != "███"


async def test_in_the_app_no_lane_is_full_at_epoch_0_nor_after_R():
    app = ScratchApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        sparks = [lane.query_one(Sparkline) for lane in app.query(RaceLane)]
        assert sparks and all(list(spark.data) == [] for spark in sparks)
        await pilot.press("space", "R")
        await settle(pilot)
        assert app.frame.snapshot.race.epoch == 0
        assert all(list(lane.query_one(Sparkline).data) == [] for lane in app.query(RaceLane))
