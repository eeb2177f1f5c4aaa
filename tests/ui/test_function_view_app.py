"""The function view in the app: where it stands at each size, `f`, the selection, NO_COLOR."""

from __future__ import annotations

from scratchnn_tui.training.function_view import CurveView, PlaneView
from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.function_marks import function_marks
from scratchnn_tui.ui.function_picture import PLAIN_SHADES
from scratchnn_tui.ui.scenes import settle, wait_until
from scratchnn_tui.ui.widgets.function_view import FunctionPicture


async def test_at_120x40_the_heat_map_is_on_screen_and_follows_a_run():
    app = ScratchApp(lambda: Session(task="xor", hidden="4", optimizer="adam", lr=0.02))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        panel = app.query_one("#function-panel")
        assert panel.display and isinstance(app.frame.snapshot.function, PlaneView)
        before = app.query_one(FunctionPicture).picture_rows()
        assert any("x₁" in row for row in before) and any(row.startswith("scale") for row in before)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.frame.snapshot.epoch > 300)
        await pilot.press("r")
        await settle(pilot)
        assert app.query_one(FunctionPicture).picture_rows() != before
        await pilot.press("f")  # f hides it there, and the loss chart takes the rows
        await settle(pilot)
        assert not panel.display and app.panel_plan.rows["loss"] > 30


async def test_at_80x24_f_brings_the_view_in_place_of_the_layer_and_f_again_returns():
    app = ScratchApp(lambda: Session(task="square", hidden="8"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel, layer = app.query_one("#function-panel"), app.query_one("#layer-panel")
        assert not panel.display and layer.display
        await pilot.press("f")
        await settle(pilot)
        assert panel.display and not layer.display
        title = str(panel.border_title)
        assert title.startswith("Function") and "f: the layer" in title
        assert len(title) + 4 <= panel.region.width  # whole on its border
        rows = app.query_one(FunctionPicture).picture_rows()
        assert "▲" in "".join(rows) and rows[-1].split()[0] == "-0.5"
        await pilot.press("f")
        await settle(pilot)
        assert layer.display and not panel.display


async def test_the_selection_picks_the_neuron_and_the_layer_of_the_map():
    app = ScratchApp(lambda: Session(task="xor", hidden="4"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("left_square_bracket", "down", "down")
        await wait_until(pilot, lambda: app.frame.snapshot.function.layer == 0
                         and app.frame.snapshot.function.neuron == 2)
        await settle(pilot)
        assert "hidden unit 3 of layer 1" in app.query_one(FunctionPicture).picture_rows()[0]


async def test_under_no_color_the_map_is_drawn_in_shading_with_its_legend(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = ScratchApp(lambda: Session(task="xor", hidden="4"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.no_color
        rows = app.query_one(FunctionPicture).picture_rows()
        shading = set("".join(rows)) & set(PLAIN_SHADES[1:])
        assert len(shading) >= 2
        assert any(row.startswith("scale") and "[" in row for row in rows)
        assert "scale" in app.export_screenshot()  # the whole screen renders under NO_COLOR


def test_the_probe_and_the_selected_unit_are_marked():
    session = Session(task="square", hidden="3")
    session.set_probe(("1.5",))
    snapshot = session.snapshot()
    assert isinstance(snapshot.function, CurveView)
    marks = function_marks(snapshot, layer=1, selected=(0, 2))
    assert marks.unit == 2 and marks.probe == (1.5, snapshot.probe.outputs[0])
    assert function_marks(snapshot, layer=0, selected=(1, 0)).unit == 1
    assert function_marks(snapshot, layer=1, selected=(0, 3)).unit is None  # the output's bias
