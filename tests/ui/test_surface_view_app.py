"""The surface view in the app: `v` shows it, the path follows `space` and `b`, the race draws
every racer's path, `f` and `v` take turns, NO_COLOR and 80×24. Where a mark should be is worked
out here from the session's own weights and the map's edges (the gutter's `┤`), not read back
from the picture's code."""

from __future__ import annotations

import math

from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.picture_cells import PLAIN_SHADES
from scratchnn_tui.ui.scenes import settle, wait_until
from scratchnn_tui.ui.widgets.surface_view import SurfacePicture


def picture(app, id: str = "surface") -> list[str]:
    return app.query_one(f"#{id}", SurfacePicture).picture_rows()


def map_of(rows: list[str]) -> tuple[int, int, list[str]]:
    """The map's first row and first column, and its rows (between the gutter's two `┤`)."""
    marked = [r for r, row in enumerate(rows) if "┤" in row]
    left = rows[marked[0]].index("┤") + 1
    return marked[0], left, [row[left:] for row in rows[marked[0]:marked[-1] + 1]]


def cell_of(view, rows: list[str], w: float, b: float) -> tuple[int, int]:
    """Where (w, b) falls on the drawn map, from the window's ends and the map's size."""
    _, _, cells = map_of(rows)
    (lo1, hi1), (lo2, hi2) = view.window
    col = min(math.floor((w - lo1) / (hi1 - lo1) * len(cells[0])), len(cells[0]) - 1)
    row = min(math.floor((hi2 - b) / (hi2 - lo2) * len(cells)), len(cells) - 1)
    return row, col


def weights(app) -> tuple[float, float]:
    layer = app.frame.snapshot.layers[-1]
    return layer.weight[0][0], layer.bias[0]


async def test_v_shows_the_surface_space_walks_the_path_and_b_steps_back_along_it():
    app = ScratchApp(lambda: Session(task="triple"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.frame.snapshot.surface is None  # hidden, nothing is computed
        assert not app.query_one("#surface-panel").display
        await pilot.press("v")
        await settle(pilot)
        panel = app.query_one("#surface-panel")
        view = app.frame.snapshot.surface
        assert panel.display and view.exact and view.names == ("w₁₁", "b₁")
        assert str(panel.border_title) == "Surface · L(w₁₁, b₁) · v hides"
        rows = picture(app)
        r, c = cell_of(view, rows, *weights(app))
        assert map_of(rows)[2][r][c] == "◉" and any("now, epoch 0" in row for row in rows)
        for _ in range(5):
            await pilot.press("space")
        await settle(pilot)
        view = app.frame.snapshot.surface
        assert view.paths[0].epochs == (0, 1, 2, 3, 4, 5)
        rows = picture(app)
        cells = map_of(rows)[2]
        r, c = cell_of(view, rows, *weights(app))
        assert cells[r][c] == "◉" and any("now, epoch 5" in row for row in rows)
        for w, b in view.paths[0].points[:-1]:  # each epoch before now has its mark (or another's on it)
            r, c = cell_of(view, rows, w, b)
            assert cells[r][c] in "•◉→↗↑↖←↙↓↘", (w, b)
        await pilot.press("b")
        await settle(pilot)
        view = app.frame.snapshot.surface
        assert view.paths[0].epochs == (0, 1, 2, 3, 4)
        rows = picture(app)
        r, c = cell_of(view, rows, *weights(app))
        assert map_of(rows)[2][r][c] == "◉" and any("now, epoch 4" in row for row in rows)
        await pilot.press("v")  # v again: the function view is back in its place
        await settle(pilot)
        assert not panel.display and app.query_one("#function-panel").display


async def test_the_race_draws_four_paths_from_one_start_with_a_legend():
    app = ScratchApp(lambda: Session(task="triple"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v", "x")
        await settle(pilot)
        for _ in range(20):
            await pilot.press("space")
        await wait_until(pilot, lambda: app.frame.snapshot.race is not None and app.frame.snapshot.race.epoch == 20)
        await settle(pilot)
        view = app.frame.snapshot.surface
        assert [path.key for path in view.paths] == ["sgd", "momentum", "adam", "solved"]
        assert len({path.points[0] for path in view.paths}) == 1
        assert all(path.epochs[0] == 0 and path.epochs[-1] == 20 for path in view.paths)
        assert view.paths[1].epochs == view.paths[2].epochs == tuple(range(21))  # momentum, Adam: far apart
        # Solved jumps once and stays: the points a map cannot tell apart are not sent
        assert view.paths[3].points[1:] == ((3.0, 0.0),) * (len(view.paths[3].points) - 1)
        assert app.query_one("#race-surface-panel").display
        rows = picture(app, "race-surface")
        words = "\n".join(rows)
        for label in ("• SGD", "∘ SGD+momentum", "× Adam", "+ Solved", "○ answer (3, 0)"):
            assert label in words
        cells = map_of(rows)[2]
        r, c = cell_of(view, rows, 3.0, 0.0)
        assert cells[r][c] == "✚"  # Solved is at the answer, in its bold mark
        drawn = "".join(cells)
        assert {"•", "∘", "×"} <= set(drawn)
        panel = app.query_one("#race-surface-panel")
        assert len(str(panel.border_title)) + 4 <= panel.region.width  # its title whole
        for lane in app.query("RaceLane"):  # the board keeps its lines whole beside the map
            assert "…" not in str(lane.query_one("Static").render())


async def test_f_over_the_surface_puts_the_function_view_in_its_place_and_v_back():
    app = ScratchApp(lambda: Session(task="triple"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert app.query_one("#function-panel").display and not app.query_one("#surface-panel").display
        assert app.frame.snapshot.surface is None  # not on screen: no longer computed
        await pilot.press("v")
        await settle(pilot)
        assert app.query_one("#surface-panel").display and not app.query_one("#function-panel").display


async def test_at_80x24_v_shows_the_surface_in_place_of_the_layer_with_its_title_whole():
    app = ScratchApp(lambda: Session(task="triple"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        panel = app.query_one("#surface-panel")
        assert panel.display and not app.query_one("#layer-panel").display
        title = str(panel.border_title)
        assert title == "Surface · L(w₁₁, b₁) · v: the layer" and len(title) + 4 <= panel.region.width
        rows = picture(app)
        assert "w₁₁ →" in rows[-1] and rows[-1].split()[0] == "-0.5052"  # the axis: its name and range
        assert len(map_of(rows)[2]) >= 4  # the map keeps rows of its own
        await pilot.press("v")
        await settle(pilot)
        assert app.query_one("#layer-panel").display and not panel.display


async def test_under_no_color_the_surface_is_shading_with_its_legend(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = ScratchApp(lambda: Session(task="triple"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v", "space", "space")
        await settle(pilot)
        assert app.no_color
        rows = picture(app)
        scale = next(row for row in rows if row.startswith("log scale"))
        assert set(PLAIN_SHADES) <= set(scale[scale.index("[") + 1:scale.index("]")])
        drawn = set("".join(map_of(rows)[2]))
        assert "▀" not in drawn and {"◉", "•"} <= drawn and len(drawn & set(PLAIN_SHADES)) >= 3
        assert "scale" in app.export_screenshot()  # the whole screen renders


async def test_the_slice_follows_the_selection_in_a_hidden_layer():
    app = ScratchApp(lambda: Session(task="xor", hidden="4"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v", "left_square_bracket", "down", "right")
        await wait_until(pilot, lambda: app.frame.snapshot.surface is not None
                         and app.frame.snapshot.surface.pair.layer == 0)
        await settle(pilot)
        view = app.frame.snapshot.surface
        assert not view.exact and (view.pair.neuron, view.pair.index) == (1, 1)
        assert view.names == ("w₂₂", "b₂")
        assert str(app.query_one("#surface-panel").border_title).startswith("Surface · slice w₂₂, b₂")
        words = " ".join(" ".join(picture(app)[:3]).split())  # the title, wrapped at the panel's width
        assert words.startswith("a slice of L through w₂₂ and b₂ of layer 1 · every other number held")


async def write_with_V(pilot, path) -> None:
    """V, the path typed into its prompt (as a user types it), enter."""
    from textual.widgets import Input

    await pilot.press("V")
    await pilot.pause()
    field = pilot.app.screen.query_one(Input)
    field.focus()
    field.value = ""
    await pilot.press(*str(path))
    await pilot.press("enter")
    await settle(pilot)


async def test_V_writes_the_sessions_surface_and_in_the_race_every_path(tmp_path):
    app = ScratchApp(lambda: Session(task="triple"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v", "space", "space")
        await settle(pilot)
        await write_with_V(pilot, tmp_path / "one.csv")
        rows = (tmp_path / "one.csv").read_text().splitlines()
        assert rows[0] == "kind,epoch,w11,b1,loss" and len(rows) == 1 + 2401 + 3
        assert [row.split(",")[:2] for row in rows[-3:]] == [["path", "0"], ["path", "1"], ["path", "2"]]
        await pilot.press("x", "space")
        await settle(pilot)
        await write_with_V(pilot, tmp_path / "race.csv")
        kinds = {row.split(",")[0] for row in (tmp_path / "race.csv").read_text().splitlines()[1:]}
        assert kinds == {"grid", "sgd", "momentum", "adam", "solved"}


async def test_below_120_columns_the_race_gives_its_bars_rows_to_the_map():
    app = ScratchApp(lambda: Session(task="triple"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v", "x", "space", "space")
        await settle(pilot)
        assert app.query_one("#race-surface-panel").display
        assert len(map_of(picture(app, "race-surface"))[2]) >= 4  # a map, not a strip
        assert not any(sparkline.display for sparkline in app.query("RaceLane Sparkline"))
        await pilot.press("v")  # the map hidden, the bars come back
        await settle(pilot)
        assert not app.query_one("#race-surface-panel").display
        assert all(sparkline.display for sparkline in app.query("RaceLane Sparkline"))

