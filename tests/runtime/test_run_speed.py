"""Run speed (`,` and `.`): run mode paced to a few epochs a second, each one drawn whole."""

from __future__ import annotations

import time

import pytest

from scratchnn_tui.runtime.requests import ChangeRunSpeed, Pause, ToggleRun
from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.run_speed import RUN_SPEEDS, check_run_speed, next_speed
from scratchnn_tui.training.session import Session

from test_worker import start_worker, wait_idle, wait_until  # noqa: F401  (start_worker is a fixture)


def test_the_speeds_step_through_the_list_and_stop_at_the_ends():
    assert RUN_SPEEDS == (1, 2, 5, 10, 30, 100, None)
    speed = None
    seen = []
    for _ in range(8):
        speed = next_speed(speed, -1)
        seen.append(speed)
    assert seen == [100, 30, 10, 5, 2, 1, 1, 1]
    assert next_speed(100, 1) is None and next_speed(None, 1) is None
    with pytest.raises(SessionError, match="run speed"):
        check_run_speed(3)


def test_a_session_keeps_its_speed_and_a_change_is_unsaved():
    session = Session()
    assert session.run_speed is None and session.snapshot().run_speed is None
    said = session.change_run_speed(-1)
    assert session.run_speed == 100 and "100 epochs a second" in said
    assert session.unsaved and session.snapshot().run_speed == 100


def test_at_two_epochs_a_second_a_run_trains_about_two_a_second_and_draws_each(start_worker):
    worker, rec = start_worker()
    wait_idle(worker)
    for _ in range(5):  # max → 100 → 30 → 10 → 5 → 2
        worker.send(ChangeRunSpeed(-1))
    wait_idle(worker)
    assert rec.last.run_speed == 2
    worker.send(ToggleRun())
    started = time.monotonic()
    wait_until(lambda: rec.last.epoch >= 3, 10, "three paced epochs")
    took = time.monotonic() - started
    worker.send(Pause())
    wait_idle(worker)
    assert 0.9 <= took  # epochs at 0, 0.5 and 1.0 s: not all at once
    assert rec.last.epoch <= 4
    running = [f for f in rec.frames if f.running]
    assert running and all(f.full for f in running)  # every epoch drawn whole
    assert [f.snapshot.epoch for f in running] == sorted({f.snapshot.epoch for f in running})


def test_a_checkpoint_keeps_the_run_speed(tmp_path):
    from scratchnn_tui.storage import session_io

    session = Session()
    session.change_run_speed(-1)
    session.change_run_speed(-1)
    session_io.save(session, str(tmp_path / "slow.safetensors"))
    loaded, _ = session_io.load(str(tmp_path / "slow.safetensors"))
    assert loaded.run_speed == 30 and not loaded.unsaved


def test_at_one_epoch_a_second_the_steps_per_second_read_about_one_from_the_first_epochs(start_worker):
    worker, rec = start_worker()
    wait_idle(worker)
    for _ in range(6):  # max → 100 → 30 → 10 → 5 → 2 → 1
        worker.send(ChangeRunSpeed(-1))
    wait_idle(worker)
    assert rec.last.run_speed == 1
    worker.send(ToggleRun())
    wait_until(lambda: rec.last.epoch >= 2, 10, "two paced epochs")
    worker.send(Pause())
    wait_idle(worker)
    rates = [f.steps_per_second for f in rec.frames if f.running and f.snapshot.epoch >= 1]
    assert rates and all(0.5 <= rate <= 2 for rate in rates), rates
