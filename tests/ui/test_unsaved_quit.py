"""A quit that cannot save does not drop the session: the first q stays open and says why and
what to do, w still saves elsewhere, and a second q quits without saving."""

from __future__ import annotations

from textual.widgets import Input, Static

from scratchnn_tui.storage.checkpoint import load_checkpoint
from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import settle

from test_app_dialogs import exit_messages, type_into


def message(app) -> str:
    return str(app.query_one("#message", Static).render())


def unwritable_state_folder(tmp_path, monkeypatch) -> str:
    """A state folder that cannot be made, whoever runs the test (root writes into mode 555)."""
    (tmp_path / "a-file").write_text("")
    folder = tmp_path / "a-file" / "state"
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(folder))
    return str(folder)


async def test_a_quit_that_cannot_save_stays_open_and_a_second_q_quits(tmp_path, monkeypatch):
    folder = unwritable_state_folder(tmp_path, monkeypatch)
    app = ScratchApp(make_session=Session)
    said = exit_messages(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause(0.2)
        assert said == []  # still open
        shown = message(app)
        assert shown.startswith("✗ Not quitting") and folder in shown
        assert "w to save it elsewhere" in shown and "q again to quit without saving" in shown
        assert app.frame.snapshot.epoch == 2
        await pilot.press("q")
        await pilot.pause(0.2)
    assert len(said) == 1 and said[0].startswith("scratchnn-tui: quit without saving the session: ")
    assert folder in said[0]


async def test_after_a_refused_quit_w_saves_elsewhere_and_q_then_quits(tmp_path, monkeypatch):
    unwritable_state_folder(tmp_path, monkeypatch)
    app = ScratchApp(make_session=Session)
    said = exit_messages(app)
    elsewhere = tmp_path / "elsewhere.safetensors"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space", "q")
        await pilot.pause(0.2)
        assert said == []
        await pilot.press("w")
        await pilot.pause()
        await type_into(pilot, app.screen.query_one(Input), str(elsewhere))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("q")  # nothing unsaved now: it quits at once
        await pilot.pause(0.2)
    assert said == [None]
    assert load_checkpoint(elsewhere).epoch == 3
