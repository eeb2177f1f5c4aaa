"""When the training process dies: the app starts a new one from the last state, paused, and
says so; after three deaths in a minute it stays without one, and never claims one runs."""

from __future__ import annotations

import os
import signal

from textual.widgets import Static

from scratchnn_tui.storage.checkpoint import load_checkpoint
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import settle, wait_until
from scratchnn_tui.ui.widgets.status_line import StatusLine


def status(app) -> str:
    return str(app.query_one(StatusLine).render())


def message(app) -> str:
    return str(app.query_one("#message", Static).render())


async def kill_training(pilot) -> None:
    """SIGKILL the app's training process, as a driver fault would, and wait for the app to act."""
    app = pilot.app
    pid = app.worker.pid
    os.kill(pid, signal.SIGKILL)
    await wait_until(pilot, lambda: "died" in message(app) and app.worker.pid != pid
                     or "no new one" in message(app))


async def test_five_steps_a_killed_process_and_space_gives_epoch_six():
    app = ScratchApp()  # the real child process
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(5):
            await pilot.press("space")
        await settle(pilot)
        await kill_training(pilot)
        assert "killed by signal SIGKILL" in message(app) and "0 epochs lost" in message(app)
        await settle(pilot)
        assert app.frame.snapshot.epoch == 5 and not app.frame.running
        assert "paused" in status(app)
        assert "a new one took over from epoch 5, paused: 0 epochs lost" in message(app)  # not "is starting"
        await pilot.press("space")
        await settle(pilot)
        assert app.frame.snapshot.epoch == 6


async def test_after_three_deaths_no_training_process_is_claimed_and_quit_still_saves(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path))
    app = ScratchApp()
    said = []
    real_exit = app.exit
    app.exit = lambda *args, **kwargs: said.append(kwargs.get("message")) or real_exit(*args, **kwargs)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.frame.running and app.frame.steps_per_second)
        await pilot.pause(1.0)  # long enough for a copy of the running session to come up
        for _ in range(3):  # the second and third die while PyTorch still loads
            await kill_training(pilot)
        await wait_until(pilot, lambda: "no training process" in status(app))
        assert "3 times within a minute" in message(app)
        line = status(app)
        assert "running" not in line and "steps/s" not in line
        assert f"Epoch {app.frame.snapshot.epoch}" in line  # the last state it showed, kept
        await pilot.press("space")  # says there is nothing to train with, and nothing breaks
        await pilot.pause(0.2)
        assert "No training process" in message(app)
        await pilot.press("q")
        await pilot.pause(0.3)
    saved = tmp_path / "last.safetensors"
    assert said == [f"Session saved to {saved}; resume it with: scratchnn-tui --resume last"]
    assert load_checkpoint(saved).epoch > 0
