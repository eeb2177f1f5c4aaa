"""The race through the thread worker: typed requests start, step, run and leave it; the session
waits untouched; requests that would change it are refused in one line."""

from __future__ import annotations

from scratchnn_tui.runtime.requests import (Autosave, ChangeRunSpeed, NextTask, Pause, Reset, StartRace, Step, StopRace,
                                            ToggleRace, ToggleRun)
from scratchnn_tui.training.session import Session

from test_worker import start_worker, wait_idle, wait_until  # noqa: F401  (start_worker is a fixture)


def test_a_race_runs_in_the_worker_and_hands_the_session_back_as_it_was(start_worker):
    worker, rec = start_worker()
    worker.send(Step(3))
    wait_idle(worker)
    before = rec.last
    worker.send(ToggleRace())
    worker.send(Step(2))
    wait_idle(worker)
    race = rec.last.race
    assert race.epoch == 2 and rec.last.epoch == 2 and [row.key for row in race.rows][-1] == "solved"
    assert ("Solved is below 0.001 after 1 epoch", False) in rec.messages  # said, not alarmed
    twin = Session()
    twin.step(3)
    adam = Session(optimizer="adam", lr=race.rows[2].lr)
    adam.model.load_state_dict(twin.model.state_dict())
    adam.train(2)
    assert race.rows[2].losses[1:] == tuple(adam.losses)[1:]
    worker.send(NextTask())
    wait_idle(worker)
    assert rec.messages[-1] == ("next task waits while the optimizers race: x or escape leaves the race", True)
    worker.send(ChangeRunSpeed(-1))  # the race's own pace: the session's stays max
    wait_idle(worker)
    assert rec.last.run_speed == 100 and rec.messages[-1][0].startswith("Run speed: 100")
    worker.send(ChangeRunSpeed(1))
    worker.send(ToggleRun())
    wait_until(lambda: rec.frames[-1].running and rec.last.race.epoch > 30, what="the race to run")
    worker.send(Pause())
    worker.send(Reset())
    wait_idle(worker)
    assert rec.last.race.epoch == 0
    worker.send(StartRace())  # already racing: nothing changes
    worker.send(StopRace())
    worker.send(StopRace())  # not racing any more: nothing to leave
    wait_idle(worker)
    assert rec.last == before


def test_quitting_mid_race_autosaves_the_waiting_session(start_worker, tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path))
    worker, rec = start_worker()
    worker.send(Step(4))
    worker.send(StartRace())
    worker.send(Step(10))
    worker.send(Autosave())
    wait_idle(worker)
    from scratchnn_tui.storage import session_io

    assert "saved" in rec.messages[-1][0]
    saved = session_io.load(str(tmp_path / "last.safetensors"), "cpu")[0]
    assert saved.epoch == 4  # the session, not a racer


def test_a_copy_for_recovery_made_mid_race_is_the_waiting_session():
    from scratchnn_tui.runtime.race_run import RaceRun
    from scratchnn_tui.runtime.recovery_copy import make_copy, session_from_copy

    session = Session(optimizer="momentum")
    session.step(4)
    race = RaceRun(session)
    race.step(3)
    copy = make_copy(race)
    back = session_from_copy(copy, "cpu")
    assert copy.epoch == back.epoch == 4 and back.optimizer_key == "momentum"
    assert back.snapshot().layer == session.snapshot().layer
