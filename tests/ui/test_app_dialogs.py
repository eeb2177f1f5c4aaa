"""Typed values, the terminal's size, files and quitting: refused in place, nothing lost."""

from __future__ import annotations

import dataclasses

import pytest
from textual.widgets import Input, Label, Static

from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.room import MIN_SIZE
from scratchnn_tui.ui.scenes import settle, wait_until
from scratchnn_tui.ui.screens.path_prompt import PathPrompt
from scratchnn_tui.ui.screens.settings import SettingsScreen

SIZE = (100, 30)


def exit_messages(app) -> list:
    """The messages `app.exit` is given (Textual prints and forgets them)."""
    said = []
    real_exit = app.exit
    app.exit = lambda *args, **kwargs: said.append(kwargs.get("message")) or real_exit(*args, **kwargs)
    return said


def message(app) -> str:
    return str(app.query_one("#message", Static).render())


async def type_into(pilot, field: Input, text: str) -> None:
    field.focus()
    field.value = ""
    await pilot.press(*text)


@pytest.mark.parametrize("field, text, reason", [
    ("lr", "abc", "must be a number"),
    ("lr", "nan", "must be finite"),
    ("lr", "inf", "must be finite"),
    ("lr", "-0.1", "must be positive"),
    ("lr", "1e9", "between"),
    ("seed", "-3", "between"),
    ("init", "ones", "unknown initialisation"),
    ("seed", "1.5", "whole number"),
    ("run_length", "-1", "between"),
    ("run_length", "", "whole number"),
])
async def test_settings_refuse_bad_values_in_place_and_change_nothing(field, text, reason):
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.frame.snapshot
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        await type_into(pilot, screen.query_one(f"#{field}", Input), text)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen  # still open: refused in place
        assert reason in str(screen.query_one(f"#{field}-reason", Label).render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.frame.snapshot == before


async def test_settings_apply_lr_seed_and_run_length():
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "e")
        await pilot.pause()
        screen = app.screen
        await type_into(pilot, screen.query_one("#lr", Input), "0.05")
        await type_into(pilot, screen.query_one("#seed", Input), "2")
        await type_into(pilot, screen.query_one("#run_length", Input), "30")
        await pilot.press("enter")
        await settle(pilot)
        snapshot = app.frame.snapshot
        assert (snapshot.lr, snapshot.seed, snapshot.epoch) == (0.05, 2, 0)  # a new seed resets
        assert snapshot == Session(seed=2, lr=0.05).snapshot()
        await pilot.press("r")  # runs exactly 30 epochs, then pauses by itself
        await wait_until(pilot, lambda: app.worker.idle and app.frame.snapshot.epoch)
        await settle(pilot)
        assert app.frame.snapshot.epoch == 30 and not app.frame.running
        assert "Paused after a run of 30 epochs" in message(app)


async def test_settings_start_the_weights_at_zero_and_the_message_says_why_nothing_learns():
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        await type_into(pilot, app.screen.query_one("#init", Input), "zero")
        await pilot.press("enter")
        await settle(pilot)
        snapshot = app.frame.snapshot
        assert (snapshot.init, snapshot.epoch, snapshot.layer.weight, snapshot.layer.bias) == ("zero", 0, ((0.0,),), (0.0,))
        await pilot.press("space", "space")
        await settle(pilot)
        assert app.frame.snapshot.loss == 67.5
        assert "dead from the start" in message(app) and "relu′ is 0" in message(app)


async def test_too_small_a_terminal_shows_one_line_and_resizing_back_restores():
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for width, height in [(20, 6), (MIN_SIZE[0] - 1, 30), (100, MIN_SIZE[1] - 1)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert app.screen.has_class("-too-small")
            line = str(app.query_one("#too-small", Static).render())
            assert f"{MIN_SIZE[0]}×{MIN_SIZE[1]}" in line and len(line) <= width
            assert not app.query_one("#layer-panel").display or not app.query_one("#layer-panel").region
        await pilot.press("space")  # only q and ? act while it is small: no unseen epoch
        await pilot.resize_terminal(*MIN_SIZE)
        await settle(pilot)
        assert not app.screen.has_class("-too-small")
        assert app.query_one("#layer-panel").region.height > 0
        assert app.frame.snapshot.epoch == 0


async def test_save_and_load_keys_round_trip_a_session(tmp_path):
    path = tmp_path / "run.safetensors"
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*["space"] * 4, "w")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, PathPrompt)
        await type_into(pilot, prompt.query_one(Input), str(path))
        await pilot.press("enter")
        await settle(pilot)
        assert path.is_file() and "Saved epoch 4" in message(app)
        saved = app.frame.snapshot
        await pilot.press("space", "space", "t", "L")
        await pilot.pause()
        await type_into(pilot, app.screen.query_one(Input), str(path))
        await pilot.press("enter")
        await settle(pilot)
        # what was saved, less the explanation of the last key press (not kept in checkpoints)
        assert app.frame.snapshot == dataclasses.replace(saved, update=None)
        assert "Loaded" in message(app)


async def test_load_refuses_a_missing_file_in_place(tmp_path):
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await pilot.pause()
        prompt = app.screen
        await type_into(pilot, prompt.query_one(Input), str(tmp_path / "nope.safetensors"))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt
        assert "there is no file" in str(prompt.query_one("#reason", Label).render())


async def test_loading_a_bad_file_says_why_and_keeps_the_session(tmp_path):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"not a checkpoint at all")
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "L")
        await pilot.pause()
        await type_into(pilot, app.screen.query_one(Input), str(bad))
        await pilot.press("enter")
        await settle(pilot)
        assert app.frame.snapshot.epoch == 1
        assert app.query_one("#message").has_class("-error")


async def test_c_writes_the_loss_history_as_csv(tmp_path):
    path = tmp_path / "loss.csv"
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "c")
        await pilot.pause()
        await type_into(pilot, app.screen.query_one(Input), str(path))
        await pilot.press("enter")
        await settle(pilot)
        rows = path.read_text().splitlines()
        assert len(rows) == 1 + 3  # a header, then the losses after 0, 1 and 2 epochs


async def test_quitting_with_unsaved_progress_saves_it_and_says_where(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path))
    app = ScratchApp(make_session=Session)
    said = exit_messages(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space")
        await settle(pilot)
        expected = app.frame.snapshot
        await pilot.press("q")
        await pilot.pause(0.5)
    saved = tmp_path / "last.safetensors"
    assert saved.is_file()
    assert said == [f"Session saved to {saved}; resume it with: scratchnn-tui --resume last"]
    from scratchnn_tui.storage.checkpoint import load_checkpoint

    assert load_checkpoint(saved).snapshot() == dataclasses.replace(expected, unsaved=False, update=None)


async def test_quitting_with_nothing_new_saves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path))
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause(0.2)
    assert not (tmp_path / "last.safetensors").exists()


async def test_resizing_small_while_a_dialog_is_open_and_back():
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("question_mark", "e", "w"):
            await pilot.press(key)
            await pilot.pause()
            dialog = app.screen
            await pilot.resize_terminal(30, 8)
            await pilot.pause()
            assert app.screen is dialog and app.screen_stack[0].has_class("-too-small")
            await pilot.resize_terminal(*SIZE)
            await pilot.press("escape")
            await pilot.pause()
            assert not app.screen_stack[0].has_class("-too-small")
            assert app.screen is app.screen_stack[0]
        await pilot.press("space")
        await settle(pilot)
        assert app.frame.snapshot.epoch == 1


async def test_quitting_while_running_stops_saves_and_says_where(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path))
    app = ScratchApp()  # the real child process
    said = exit_messages(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.frame.running and app.frame.snapshot.epoch > 50)
        await pilot.press("q")
        await pilot.pause(0.3)
    from scratchnn_tui.storage.checkpoint import load_checkpoint

    saved = tmp_path / "last.safetensors"
    assert load_checkpoint(saved).epoch > 50
    # the run was stopped and the save's answer came back (a run left going never goes idle)
    assert said == [f"Session saved to {saved}; resume it with: scratchnn-tui --resume last"]


async def test_a_save_to_a_home_path_lands_in_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "w")
        await pilot.pause()
        await type_into(pilot, app.screen.query_one(Input), "~/mine.safetensors")
        await pilot.press("enter")
        await settle(pilot)
    assert (tmp_path / "mine.safetensors").is_file()


async def test_a_long_message_wraps_and_is_read_whole_at_80_columns():
    app = ScratchApp(make_session=lambda: Session(task="seed-2x2", lr=1e6))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        await settle(pilot)
        await pilot.pause()
        line = app.query_one("#message", Static)
        assert "Every neuron of the output layer is dead" in message(app)
        assert message(app).endswith("- lowers the learning rate.")
        assert 2 <= line.size.height <= 3  # wrapped, not cut
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("o")  # a short message after a long one takes one line again
        await settle(pilot)
        await pilot.pause()
        assert line.size.height == 1
