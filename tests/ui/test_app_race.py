"""The race in the app: x starts it from the session, space, r and R work on it, x or escape
leaves it for the session exactly as it was."""

from __future__ import annotations

from textual.widgets import Sparkline

from scratchnn_tui.training.race_view import RaceRow, RaceView
from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import settle, wait_until
from scratchnn_tui.ui.widgets.race_board import RaceBoard, RaceLane, lane_text
from scratchnn_tui.ui.widgets.status_line import StatusLine

SIZE = (100, 30)


def status(app) -> str:
    return str(app.query_one(StatusLine).render())


def lanes(app) -> list[str]:
    return [str(lane.query_one("Static").render()) for lane in app.query(RaceLane) if lane.display]


async def start_racing(pilot):
    """Settle, press x, settle: the session's snapshot from before the race."""
    await settle(pilot)
    before = pilot.app.frame.snapshot
    await pilot.press("x")
    await settle(pilot)
    return before


async def test_x_races_space_steps_every_racer_and_x_returns_to_the_session_unchanged():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        await settle(pilot)
        before = app.frame.snapshot
        await pilot.press("x")
        await settle(pilot)
        race = app.frame.snapshot.race
        assert race is not None and race.epoch == 0
        assert app.query_one("#race-panel").display and not app.query_one("#panels").display
        assert "racing" in status(app)
        await pilot.press("space")
        await settle(pilot)
        race = app.frame.snapshot.race
        assert race.epoch == 1 and [row.epoch for row in race.rows] == [1, 1, 1, 1]
        assert race.winner.key == "solved" and race.winner.loss == 0.0
        shown = lanes(app)
        assert len(shown) == 4 and "★ winner" in shown[3] and "Solved" in shown[3]
        assert "at epoch 1" in shown[3] and "at —" in shown[0]
        assert all(row.losses[0] == before.loss for row in race.rows)  # from the session's weights
        await pilot.press("x")
        await settle(pilot)
        assert app.frame.snapshot.race is None
        assert app.frame.snapshot == before  # the session, as it was
        assert app.query_one("#panels").display and not app.query_one("#race-panel").display
        assert not app.query(RaceLane)  # the lanes go with the race: one sparkline, the loss chart's
        assert "racing" not in status(app) and "SGD lr 0.02" in status(app)


async def test_r_runs_the_race_R_resets_it_and_escape_leaves_it():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        before = await start_racing(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.frame.running and app.frame.snapshot.race.epoch > 10)
        assert "▶ racing" in status(app)
        await pilot.press("r")
        await settle(pilot)
        assert not app.frame.running and app.frame.snapshot.race.epoch > 10
        await pilot.press("R")
        await settle(pilot)
        assert app.frame.snapshot.race.epoch == 0
        assert all(row.losses == (before.loss,) for row in app.frame.snapshot.race.rows)
        await pilot.press("escape")
        await settle(pilot)
        assert app.frame.snapshot == before


async def test_keys_that_would_change_the_waiting_session_do_nothing_while_racing():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        before = await start_racing(pilot)
        await pilot.press("o", "t", "d", "b", "plus")
        await settle(pilot)
        assert app.frame.snapshot.race.epoch == 0
        await pilot.press("x")
        await settle(pilot)
        assert app.frame.snapshot == before


async def test_the_race_on_xor_leaves_solved_out_and_says_why():
    app = ScratchApp(make_session=lambda: Session(task="xor"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x", "space")
        await settle(pilot)
        assert len(lanes(app)) == 3
        caption = str(app.query_one("#race-caption").render())
        assert "Solved is unavailable" in caption
        assert all(isinstance(lane.query_one(Sparkline).data, list) for lane in app.query(RaceLane))


async def test_race_flag_starts_the_app_in_the_race():
    app = ScratchApp(race=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.frame.snapshot.race is not None
        assert app.query_one(RaceBoard).display


def test_a_lane_says_its_rate_loss_and_arrival_in_words():
    row = RaceRow("adam", "Adam", 0.05, 300, 1e-4, (1.0, 1e-4), 192, winner=True)
    text = lane_text(row).plain
    assert text.startswith("★ winner") and "lr 0.05" in text and "loss 0.0001" in text
    assert "< 0.001 at epoch 192" in text
    solved = RaceRow("solved", "Solved", None, 1, 0.0, (4.0, 0.0), None, diverged="loss became inf at epoch 3")
    assert "no lr" in lane_text(solved).plain and "✗ diverged: loss became inf" in lane_text(solved).plain


def test_the_status_line_says_racing_and_the_best_loss():
    import dataclasses

    from scratchnn_tui.training.snapshot import Frame
    from scratchnn_tui.ui.widgets.status_line import status_text

    snapshot = Session().snapshot()
    rows = tuple(RaceRow(key, key, 0.02, 1, loss, (4.0, loss), None) for key, loss in (("sgd", 2.5), ("adam", 3.0)))
    racing = dataclasses.replace(snapshot, race=RaceView("triple", 1, rows), loss=2.5, epoch=1)
    text = status_text(Frame(racing, running=False, seq=2)).plain
    assert text.startswith("❚❚ racing") and "best loss 2.5" in text and "2 optimizers" in text
    assert "running" in status_text(Frame(snapshot, running=True, seq=1)).plain  # not racing: as before


def test_the_board_names_a_deeper_network_it_races():
    from scratchnn_tui.training.race import Race
    from scratchnn_tui.ui.widgets.race_board import board_caption

    deep = Race(Session(task="square", hidden=(8,)))
    deep.step(1)
    assert board_caption(deep.view()).startswith("square 1→8→1, epoch 1 · ")
    flat = Race(Session(task="square"))
    assert board_caption(flat.view()).startswith("square, epoch 0 · ")
