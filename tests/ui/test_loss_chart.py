"""The loss chart in the running app: one column per epoch while they fit, then the whole width;
the highest and lowest loss drawn beside the bars, the epochs under them."""

from __future__ import annotations

import pytest

from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.numbers import fmt
from scratchnn_tui.ui.scenes import settle, wait_until
from scratchnn_tui.ui.widgets.loss_chart import LossChart, drawn_losses
from textual.widgets import Sparkline, Static

SIZES = [(100, 30), (80, 24)]


def parts(app):
    chart = app.query_one(LossChart)
    values = str(chart.query_one("#loss-values", Static).render()).split("\n")
    epochs = str(chart.query_one("#loss-epochs", Static).render())
    return chart, chart.query_one(Sparkline), values, epochs


def epochs_at(app) -> int:
    """The screen column where the epoch line's text begins."""
    return app.query_one("#loss-epochs", Static).content_region.x


async def play_keys(pilot, *keys):
    await settle(pilot)
    await pilot.press(*keys)
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_two_epochs_are_three_columns_labelled_with_their_losses(size):
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=size) as pilot:
        await play_keys(pilot, "space", "space")
        losses = app.frame.snapshot.losses
        chart, sparkline, values, epochs = parts(app)
        assert len(losses) == 3  # the losses after 0, 1 and 2 epochs
        assert sparkline.size.width == 3 and len(sparkline.data) == 3  # one column each
        label_column = chart.query_one("#loss-values", Static)
        assert sparkline.region.x == label_column.region.right + 1  # left-aligned after the labels
        assert len(values) == sparkline.size.height  # one line per row of bars
        assert values[0].strip() == fmt(max(losses)) and values[-1].strip() == fmt(min(losses))
        assert all(not line.strip() for line in values[1:-1])
        assert epochs == "epochs 0–2"
        assert epochs_at(app) == sparkline.region.x  # under the bars


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_long_run_fills_the_width_and_labels_the_whole_run(size):
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.frame is not None and app.frame.snapshot.epoch >= 300)
        await pilot.press("r")  # pause: the paused frame reaches the chart at once
        await settle(pilot)
        snapshot = app.frame.snapshot
        chart, sparkline, values, epochs = parts(app)
        label_column = chart.query_one("#loss-values", Static)
        assert sparkline.region.right == chart.region.right  # the whole width
        assert len(sparkline.data) == sparkline.size.width < len(snapshot.losses)
        drawn = drawn_losses(snapshot.losses, sparkline.size.width)
        assert values[0].strip() == fmt(max(drawn)) == fmt(snapshot.loss_first)
        assert values[-1].strip() == fmt(min(drawn))
        assert epochs.startswith("epoch 0 ") and epochs_at(app) == sparkline.region.x
        assert epochs.endswith(f" epoch {snapshot.epoch}")
        assert len(epochs) == sparkline.size.width  # "epoch N" ends under the last column
        assert label_column.region.width == len(values[0])


async def test_the_chart_follows_a_resize_a_reset_and_the_scale_toggle():
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.frame is not None and app.frame.snapshot.epoch >= 150)
        await pilot.press("r")
        await settle(pilot)
        chart, sparkline, values, _ = parts(app)
        assert sparkline.region.right == chart.region.right  # over 150 epochs fill 100 columns
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        chart, sparkline, values, epochs = parts(app)
        assert sparkline.region.right == chart.region.right and chart.size.width < 80
        assert len(sparkline.data) == sparkline.size.width  # bucketed for the new width
        assert len(epochs) == sparkline.size.width and epochs.endswith(f" epoch {app.frame.snapshot.epoch}")
        await play_keys(pilot, "R")  # reset: the loss of the initial weights alone
        chart, sparkline, values, epochs = parts(app)
        assert sparkline.size.width == 1 and epochs == "epoch 0"
        assert values[0].strip() == fmt(app.frame.snapshot.loss) and not values[-1].strip()
        await play_keys(pilot, "space", "space")
        top = parts(app)[2][0]
        await pilot.press("l")
        await pilot.pause()
        _, sparkline, values, _ = parts(app)
        assert list(sparkline.data) == list(app.frame.snapshot.losses)  # linear: the losses
        assert sparkline.size.width == 3 and values[0] == top  # the labels are losses on either scale


async def test_a_long_runs_caption_wraps_whole_at_80_columns_and_the_bars_keep_their_labels():
    def long_run():
        session = Session()
        session.step(5000)  # the history is bucketed: a point is the worst of several epochs
        return session

    app = ScratchApp(make_session=long_run)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        chart, sparkline, values, _ = parts(app)
        caption = chart.query_one("#loss-caption")
        text = str(caption.render())
        assert "a point is the worst of" in text and text.endswith("epochs")
        assert caption.size.height == 2 and len(text) <= 2 * caption.size.width
        assert len(values) == sparkline.size.height  # one value label per row of bars
