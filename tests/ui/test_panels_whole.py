"""Every panel on screen is whole at the sizes people use: its top border, all it draws, its
bottom border; a panel with no room is hidden whole and the screen names the key that brings it
back. The rows each panel needs are computed here from the pure renderers (the diagram's
figure, the matrix form's bands, the gradient text wrapped), not read from the plan."""

from __future__ import annotations

import pytest
from textual.widgets import Sparkline, Static

from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import settle
from scratchnn_tui.ui.surface_picture import LEAST_MAP_ROWS
from scratchnn_tui.ui.surface_picture import text_rows as surface_text_rows
from scratchnn_tui.ui.widgets.diagram_figure import figure
from scratchnn_tui.ui.widgets.function_view import least_rows
from scratchnn_tui.ui.widgets.gradient_panel import GradientPanel
from scratchnn_tui.ui.widgets.matrix_form import MatrixForm
from scratchnn_tui.ui.widgets.neuron_diagram import NeuronDiagram

SIZES = [(80, 24), (100, 30), (120, 40)]
CASES = {
    # the squeezed cases: a three-line message, a tall hidden layer, g at 80×24
    "seed-2x2 lr 1e6, space ×2": (dict(task="seed-2x2", lr=1e6), ("space", "space")),
    "xor --hidden 4": (dict(task="xor", hidden="4"), ()),
    "xor --hidden 4, [": (dict(task="xor", hidden="4"), ("left_square_bracket",)),
    "square --hidden 8": (dict(task="square", hidden="8"), ("space",)),
    "triple, space, g": (dict(task="triple"), ("space", "g")),
    # the function view: in place of the layer's panels below 120 columns, hidden by f above
    "xor --hidden 4, f": (dict(task="xor", hidden="4"), ("f",)),
    "square --hidden 8, space, f": (dict(task="square", hidden="8"), ("space", "f")),
    # the surface view (v): in the pictures' place, the whole loss or a slice
    "triple, space ×3, v": (dict(task="triple"), ("space", "space", "space", "v")),
    "xor --hidden 4, v": (dict(task="xor", hidden="4"), ("v",)),
}
PANELS = ("#layer-panel", "#matrix-panel", "#gradient-panel", "#function-panel", "#surface-panel", "#loss-panel")


def content_rows(app: ScratchApp, panel_id: str) -> int:
    """What the panel's content takes at its width, from the renderers themselves."""
    panel = app.query_one(panel_id)
    width = panel.content_region.width
    if panel_id == "#layer-panel":
        diagram = app.query_one(NeuronDiagram)
        drawn = figure(diagram.layer_view, diagram.sample, diagram.selected, None, width)
        return drawn.height
    if panel_id == "#matrix-panel":
        return len(app.query_one(MatrixForm).render().plain.splitlines())
    if panel_id == "#gradient-panel":
        return len(app.query_one(GradientPanel).render().wrap(app.console, width))
    if panel_id == "#function-panel":  # its words and a plot of at least LEAST_PLOT_ROWS
        return least_rows(app.frame.snapshot.function, width)
    if panel_id == "#surface-panel":  # its words (the picture's own count) and a map of LEAST_MAP_ROWS
        return surface_text_rows(app.frame.snapshot.surface, width, app.no_color) + LEAST_MAP_ROWS + 1
    return 4  # the loss chart: its caption, two rows of bars, the epochs


async def check_whole(app: ScratchApp) -> None:
    panels_area = app.query_one("#panels").region
    shown = [panel_id for panel_id in PANELS if app.query_one(panel_id).display]
    assert "#loss-panel" in shown and any(p in shown for p in ("#layer-panel", "#function-panel", "#surface-panel"))
    regions = {}
    for panel_id in shown:
        panel = app.query_one(panel_id)
        region = regions[panel_id] = panel.region
        assert panels_area.contains_region(region), f"{panel_id} runs off the screen: {region}"
        # whole: its content region holds every row its content draws
        assert panel.content_region.height >= content_rows(app, panel_id), panel_id
    for a in shown:
        for b in shown:
            if a < b:
                assert not regions[a].overlaps(regions[b]), (a, b)
    sparkline = app.query_one(Sparkline)
    assert sparkline.display and sparkline.region.height >= 2  # the loss chart is a chart
    # A panel left out is named, with its key, on a bottom border of the screen.
    subtitles = " ".join(str(app.query_one(panel_id).border_subtitle) for panel_id in shown)
    for panel_id, title, key in (("#matrix-panel", "Matrix form", "m"), ("#gradient-panel", "Gradient", "g")):
        if panel_id not in shown and app.panel_plan.hidden and any(n.key == key for n in app.panel_plan.hidden):
            assert f"{title} ({key})" in subtitles


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("case", list(CASES))
async def test_every_panel_on_screen_is_whole(case, size):
    settings, keys = CASES[case]
    app = ScratchApp(lambda: Session(**settings))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        await pilot.pause()
        if "v" in keys:
            assert app.query_one("#surface-panel").display  # the case is about the surface
        await check_whole(app)


async def test_g_at_80x24_shows_the_gradient_and_the_matrix_form_gives_way_saying_so():
    app = ScratchApp(lambda: Session(task="triple"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "g")
        await settle(pilot)
        await pilot.pause()
        assert app.query_one("#gradient-panel").display
        assert app.query_one("#loss-panel").display
        assert not app.query_one("#matrix-panel").display
        assert "Matrix form (m)" in str(app.query_one("#loss-panel").border_subtitle)
        await pilot.press("m")  # the matrix form back, first: the gradient gives way
        await pilot.pause()
        assert app.query_one("#matrix-panel").display and not app.query_one("#gradient-panel").display
        assert "Gradient (g)" in str(app.query_one("#loss-panel").border_subtitle)


async def test_a_long_message_takes_its_rows_from_the_panels_and_is_read_whole():
    app = ScratchApp(lambda: Session(task="seed-2x2", lr=1e6))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        await settle(pilot)
        await pilot.pause()
        message = app.query_one("#message", Static)
        needed = message.visual.get_height(message.styles, message.content_region.width)
        assert needed == 3  # why the network died, at 80 columns
        assert message.region.height == needed  # every line of it on screen
        assert message.region.bottom == app.query_one("#status").region.y + 1 + needed
        await check_whole(app)


async def test_from_120_columns_the_function_view_and_the_loss_chart_stand_beside_the_layer():
    app = ScratchApp(lambda: Session(task="triple"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        layer, loss = app.query_one("#layer-panel").region, app.query_one("#loss-panel").region
        function = app.query_one("#function-panel").region
        assert function.x >= layer.right and function.y == layer.y and loss.y == function.bottom
        assert loss.x == function.x and layer.width == 80


async def test_a_message_of_four_lines_is_shown_whole():
    from scratchnn_tui.ui.messages import SessionNote
    app = ScratchApp(lambda: Session(task="triple"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        words = "Loaded /tmp/a/very/long/folder/name/that/a/fresh/clone/has/scratchnn-tui.safetensors"
        app.post_message(SessionNote(f"{words}: task triple, SGD, epoch 0; {words}; {words}", False))
        await pilot.pause()
        await pilot.pause()
        message = app.query_one("#message", Static)
        needed = message.visual.get_height(message.styles, message.content_region.width)
        assert 4 <= needed <= 6  # more than the three lines a message once had
        assert message.region.height == needed
        await check_whole(app)


async def test_the_footer_names_every_key_again_after_a_resize_below_the_least_and_back():
    from textual.widgets._footer import FooterKey
    app = ScratchApp(lambda: Session(task="triple"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer_keys = lambda: {key.description for key in app.query(FooterKey)}
        assert "Step" in footer_keys()
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert footer_keys() == {"Help", "Quit"}
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert "Step" in footer_keys()


async def test_the_number_field_opens_under_the_diagram_not_over_it():
    from scratchnn_tui.ui.widgets.number_field import NumberField
    app = ScratchApp(lambda: Session(task="seed-2x2"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        diagram, field = app.query_one(NeuronDiagram).region, app.query_one(NumberField).region
        assert field.height >= 1 and field.y == diagram.bottom  # below it, every diagram row kept
        assert app.query_one("#layer-panel").content_region.height == diagram.height + field.height
        await check_whole(app)
