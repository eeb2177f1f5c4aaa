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


async def test_a_refusal_in_the_settings_dialog_is_shown_whole_at_80_columns():
    from textual.widgets import Input, Label

    app = ScratchApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        field = app.screen.query_one("#lr", Input)
        field.value = "1e9"
        await pilot.pause()
        reason = app.screen.query_one("#lr-reason", Label)
        text = str(reason.render())
        assert text.endswith("got 1e+09")
        # all of it inside the dialog: wrapped onto lines that fit, not cut at its edge
        box = reason.content_region
        assert app.screen.query_one("VerticalScroll").content_region.contains_region(box)
        assert len(text) <= box.width * box.height


async def test_w_onto_an_existing_file_asks_first(tmp_path):
    from textual.widgets import Input

    from scratchnn_tui.storage import session_io
    from scratchnn_tui.ui.screens.confirm import ConfirmScreen

    path = tmp_path / "run.safetensors"
    other = Session(task="seed-2x2")
    session_io.save(other, str(path))
    before = path.read_bytes()
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for answer, epochs in (("n", 1), ("y", 2)):
            await pilot.press("space", "w")
            await pilot.pause()
            app.screen.query_one(Input).value = str(path)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen) and "exists" in app.screen.question
            await pilot.press(answer)
            await settle(pilot)
            loaded = session_io.load(str(path))[0]
            if answer == "n":
                assert path.read_bytes() == before and loaded.task.name == "seed-2x2"
            else:
                assert loaded.task.name == "triple" and loaded.epoch == epochs
