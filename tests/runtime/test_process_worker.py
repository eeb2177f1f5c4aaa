"""The session in a child process: same contract as the thread worker, and the UI process
never imports torch."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time

from scratchnn_tui.runtime.process_worker import ProcessWorker, session_maker
from scratchnn_tui.runtime.requests import SetLr, SetOptimizer, Step, ToggleRun
from scratchnn_tui.storage import session_io


class Recorder:
    def __init__(self):
        self.frames, self.messages = [], []

    def on_frame(self, frame):
        self.frames.append(frame)

    def on_message(self, text, is_error):
        self.messages.append((text, is_error))


@contextlib.contextmanager
def started(make_session):
    """A started ProcessWorker and what it reported, stopped afterwards whatever happened."""
    rec = Recorder()
    worker = ProcessWorker(make_session, rec.on_frame, rec.on_message)
    worker.start()
    try:
        yield worker, rec
    finally:
        worker.stop()


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_requests_run_in_order_and_idle_means_the_last_frame_is_final():
    with started(session_maker(task="seed-2x2", optimizer="sgd")) as (worker, rec):
        for _ in range(5):  # queued before the child has even imported torch
            worker.send(Step(1))
        worker.send(SetOptimizer("solved"))
        worker.send(Step(1))
        worker.send(SetLr(-1.0))  # refused: a message, and nothing changes
        wait_until(lambda: worker.idle)
        last = rec.frames[-1]
        assert worker.published == last.seq
        assert last.snapshot.epoch == 6
        assert last.snapshot.layer.outputs == ((19.0, 22.0), (43.0, 50.0))
        assert rec.messages[-1][1] is True and "learning rate" in rec.messages[-1][0]
    assert not worker.alive


def test_run_mode_in_the_child_batches_losses_into_frames():
    with started(session_maker()) as (worker, rec):
        wait_until(lambda: worker.idle)
        worker.send(ToggleRun())
        wait_until(lambda: rec.frames[-1].running and rec.frames[-1].snapshot.epoch > 200)
        assert rec.frames[-1].steps_per_second is not None
        worker.send(ToggleRun())
        wait_until(lambda: worker.idle)
        last = rec.frames[-1].snapshot
        assert not rec.frames[-1].running
        assert last.epoch > 200
        # many epochs a frame, yet every epoch's loss arrived (the history keeps them all here)
        assert len(last.losses) == last.epoch + 1 or last.loss_bucket > 1


def test_a_dead_child_is_reported_and_nothing_else_breaks():
    with started(session_maker()) as (worker, rec):
        wait_until(lambda: worker.idle)
        os.kill(worker.pid, signal.SIGKILL)  # as a driver fault would take it down
        wait_until(lambda: rec.messages)
        text, is_error = rec.messages[-1]
        assert is_error and "training process ended" in text
        worker.send(Step(1))  # says so instead of raising
        assert "stopped" in rec.messages[-1][0]


def test_the_ui_process_never_imports_torch():
    script = textwrap.dedent("""
        import asyncio, sys
        from scratchnn_tui.ui.app import ScratchApp
        from scratchnn_tui.ui.scenes import settle

        async def main():
            app = ScratchApp(optimizer="solved")
            async with app.run_test(size=(80, 24)) as pilot:
                await settle(pilot)
                await pilot.press("space")
                await settle(pilot)
                assert app.frame.snapshot.loss == 0.0, app.frame.snapshot.loss
            print("torch" in sys.modules)

        asyncio.run(main())
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_the_child_saves_a_running_session_when_the_ui_goes_away(tmp_path):
    # A UI process killed mid-run: no stop, no goodbye; its pipe ends close while the child is
    # training and sending frames into a pipe nobody reads.
    script = textwrap.dedent("""
        import os, signal, time
        from scratchnn_tui.runtime.process_worker import ProcessWorker, session_maker
        from scratchnn_tui.runtime.requests import ToggleRun

        frames = []
        worker = ProcessWorker(session_maker(), frames.append, lambda text, is_error: None)
        worker.start()
        worker.send(ToggleRun())
        deadline = time.monotonic() + 60
        while not (frames and frames[-1].running and frames[-1].snapshot.epoch > 100):
            assert time.monotonic() < deadline, "the run did not start"
            time.sleep(0.01)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    env = {**os.environ, "SCRATCHNN_TUI_STATE_DIR": str(tmp_path)}
    with open(tmp_path / "stderr", "w") as stderr:  # a pipe would wait for the child's end too
        result = subprocess.run([sys.executable, "-c", script], stderr=stderr, env=env, timeout=120)
    assert result.returncode == -signal.SIGKILL, (tmp_path / "stderr").read_text()[-2000:]
    saved = tmp_path / "last.safetensors"  # written atomically: complete once it is there
    wait_until(saved.exists)
    assert session_io.load(str(saved), "cpu")[0].epoch > 100


def test_two_hangups_in_a_row_still_save(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path))
    with started(session_maker()) as (worker, rec):
        wait_until(lambda: worker.idle)
        worker.send(Step(7))
        wait_until(lambda: worker.idle and rec.frames[-1].snapshot.epoch == 7)
        os.kill(worker.pid, signal.SIGHUP)
        os.kill(worker.pid, signal.SIGHUP)
        wait_until(lambda: not worker.alive)
    assert session_io.load(str(tmp_path / "last.safetensors"), "cpu")[0].epoch == 7
