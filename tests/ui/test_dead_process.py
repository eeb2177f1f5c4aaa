"""When the training process dies, the status line never claims it still runs."""

from __future__ import annotations

import os
import signal

from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import settle, wait_until
from scratchnn_tui.ui.widgets.status_line import StatusLine


async def test_a_killed_training_process_shows_no_running_and_no_steps_per_second():
    app = ScratchApp()  # the real child process
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.frame.running and app.frame.steps_per_second)
        os.kill(app.worker.pid, signal.SIGKILL)
        await wait_until(pilot, lambda: not app.worker.alive)
        await wait_until(pilot, lambda: "no training process" in str(app.query_one(StatusLine).render()))
        line = str(app.query_one(StatusLine).render())
        assert "running" not in line and "steps/s" not in line
        assert f"Epoch {app.frame.snapshot.epoch}" in line  # the last state it showed, kept
