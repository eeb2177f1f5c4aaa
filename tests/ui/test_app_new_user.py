"""What a new user tripped over in the app: keys behind the size request, errors without colour,
Solved's learning rate, and a quit while PyTorch still loads."""

from __future__ import annotations

import threading

from textual.widgets import Static

from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import settle
from scratchnn_tui.ui.widgets.status_line import StatusLine

from test_app_dialogs import exit_messages


def message(app) -> str:
    return str(app.query_one("#message", Static).render())


async def test_below_the_minimum_size_space_trains_nothing_and_q_still_quits():
    app = ScratchApp()
    async with app.run_test(size=(30, 8)) as pilot:
        await settle(pilot)
        await pilot.press("space", "r", "space")
        await settle(pilot)
        assert app.frame.snapshot.epoch == 0 and not app.frame.running
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.press("space")
        await settle(pilot)
        assert app.frame.snapshot.epoch == 1
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_a_refusal_is_marked_in_words_not_only_in_red():
    app = ScratchApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b")  # nothing earlier: refused
        await settle(pilot)
        assert message(app).startswith("✗ nothing earlier")
        await pilot.press("space", "b")
        await settle(pilot)
        assert message(app).startswith("Back to epoch 0")


async def test_solved_shows_that_it_ignores_the_learning_rate():
    app = ScratchApp(optimizer="solved")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        line = str(app.query_one(StatusLine).render())
        assert "Solved (no lr)" in line and "lr 0.02" not in line


async def test_q_while_pytorch_loads_still_saves_and_says_where(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path))
    release = threading.Event()

    def slow_session():
        release.wait(10)
        return Session()

    app = ScratchApp(make_session=slow_session)
    said = exit_messages(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("space", "space")
        threading.Timer(0.3, release.set).start()
        await pilot.press("q")
        await pilot.pause()
    assert said and said[-1] and str(tmp_path) in said[-1]  # "Session saved to …"
    assert list(tmp_path.iterdir()), "the autosave was written"
