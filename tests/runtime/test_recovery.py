"""The training process comes back: real child processes, really killed."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import time

from scratchnn_tui.runtime.process_worker import ProcessWorker
from scratchnn_tui.runtime.recovery import RecoveringWorker
from scratchnn_tui.runtime.requests import Autosave, Save, Step, ToggleRun
from scratchnn_tui.storage import session_io

from test_process_worker import Recorder, wait_until


@contextlib.contextmanager
def recovering(**settings):
    rec = Recorder()
    worker = RecoveringWorker(rec.on_frame, rec.on_message, **settings)
    worker.start()
    try:
        yield worker, rec
    finally:
        worker.stop()


def kill(worker) -> None:
    """SIGKILL the current training process, and wait until a new one has been started."""
    pid = worker.pid
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: worker.pid != pid or not worker.can_save or worker.idle and not worker.alive)


def test_a_killed_paused_process_comes_back_at_the_same_epoch_paused():
    with recovering(task="seed-2x2", optimizer="adam") as (worker, rec):
        for _ in range(5):
            worker.send(Step(1))
        wait_until(lambda: worker.idle and rec.frames[-1].snapshot.epoch == 5)
        before = rec.frames[-1]
        kill(worker)
        wait_until(lambda: worker.idle)
        text, is_error = rec.messages[-1]
        assert is_error and "killed by signal SIGKILL" in text and "0 epochs lost" in text
        after = rec.frames[-1]
        assert after.seq > before.seq  # the screen takes it as the newest frame
        assert after.snapshot.epoch == 5 and not after.running
        assert after.snapshot.losses == before.snapshot.losses
        assert after.snapshot.unsaved  # never written anywhere: a quit must still save it
        worker.send(Step(1))  # Adam's moments came along: the next step is the one it would be
        wait_until(lambda: worker.idle and rec.frames[-1].snapshot.epoch == 6)


def test_a_process_killed_while_running_loses_at_most_about_a_second():
    with recovering() as (worker, rec):
        worker.send(ToggleRun())
        wait_until(lambda: rec.frames and rec.frames[-1].running and rec.frames[-1].steps_per_second
                   and rec.frames[-1].snapshot.epoch > 500)
        time.sleep(1.0)  # a copy of the running session has come up by now
        kill(worker)
        wait_until(lambda: worker.idle)
        first_new = next(i for i in range(1, len(rec.frames))  # the first paused one after the run
                         if rec.frames[i - 1].running and not rec.frames[i].running)
        last_shown, back_at = rec.frames[first_new - 1], rec.frames[first_new]
        lost = int(re.search(r"(\d+) epochs? lost", rec.messages[-1][0]).group(1))
        assert lost == last_shown.snapshot.epoch - back_at.snapshot.epoch
        assert lost <= 1.5 * last_shown.steps_per_second, lost  # about a second's worth at most
        assert back_at.snapshot.epoch > 0 and rec.frames[-1] is back_at  # paused there


def test_three_deaths_within_a_minute_leave_it_dead_and_the_last_state_still_saves(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path))  # the children inherit it
    with recovering() as (worker, rec):
        worker.send(Step(3))
        wait_until(lambda: worker.idle and rec.frames[-1].snapshot.epoch == 3)
        kill(worker)
        kill(worker)  # killed while PyTorch still loads: a death all the same
        kill(worker)
        wait_until(lambda: worker.idle)
        text, is_error = rec.messages[-1]
        assert is_error and "3 times within a minute" in text and "epoch 3" in text
        assert not worker.alive and worker.can_save
        worker.send(Step(1))
        assert "No training process" in rec.messages[-1][0]
        worker.send(Save(str(tmp_path / "kept.safetensors")))
        assert rec.messages[-1] == (f"Saved epoch 3 to {tmp_path / 'kept.safetensors'}", False)
        worker.send(Autosave())  # saved just now: nothing to save
        worker.send(Step(1))
    assert session_io.load(str(tmp_path / "kept.safetensors"), "cpu")[0].epoch == 3
    assert not (tmp_path / "last.safetensors").exists()


def _die_saying(words: str, code: int):
    """A session factory that never returns: the process writes `words` to stderr and exits."""
    os.write(2, words.encode())
    os._exit(code)


def test_a_dead_process_is_reported_with_its_exit_code_and_last_words():
    ended = []
    worker = ProcessWorker(functools.partial(_die_saying, "loading\nRuntimeError: CUDA error: boom\n", 3),
                           lambda frame: None, lambda text, is_error: None,
                           on_end=lambda code, words: ended.append((code, words)))
    worker.start()
    try:
        wait_until(lambda: ended)
        assert ended == [(3, "loading | RuntimeError: CUDA error: boom")]
        worker.send(Step(1))  # to the dead child: kept for the one that replaces it
        assert worker.unsent == [Step(1)]
    finally:
        worker.stop()
