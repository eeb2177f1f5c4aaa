"""When a dead training process is started again, where, and what the app can still do without
one: pure rules, no processes."""

from __future__ import annotations

from scratchnn_tui.runtime.kept_state import KeptState
from scratchnn_tui.runtime.process_end import how_it_ended, last_lines
from scratchnn_tui.runtime.recovery_copy import CopyPacer, make_copy, session_from_copy
from scratchnn_tui.runtime.requests import Autosave, Save, Step
from scratchnn_tui.runtime.restart_policy import RestartPolicy, restart_device
from scratchnn_tui.storage import session_io
from scratchnn_tui.training.session import Session


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_third_death_within_a_minute_is_not_restarted():
    clock = Clock()
    policy = RestartPolicy(clock)
    assert policy.died()
    clock.now += 20
    assert policy.died()
    clock.now += 39
    assert not policy.died()


def test_deaths_more_than_a_minute_apart_are_restarted_every_time():
    clock = Clock()
    policy = RestartPolicy(clock)
    for _ in range(6):
        assert policy.died()
        clock.now += 31  # two in any minute, never three


def test_the_restart_moves_to_the_cpu_only_when_the_device_failed():
    assert restart_device("cpu", "CUDA error: an illegal memory access", True) == "cpu"
    assert restart_device("cuda:0", "", False) == "cuda:0"  # killed from outside: same device
    assert restart_device("cuda:0", "RuntimeError: CUDA error: device-side assert", False) == "cpu"
    assert restart_device("cuda:0", "", died_starting=True) == "cpu"


def test_how_a_process_ended_is_said_in_words(tmp_path):
    assert how_it_ended(-9) == "killed by signal SIGKILL"
    assert how_it_ended(3) == "exit code 3"
    assert how_it_ended(None) == "exit code unknown"
    log = tmp_path / "stderr"
    log.write_text("warming up\n\nTraceback (most recent call last):\n  x\nRuntimeError: boom\n")
    assert last_lines(str(log)) == "Traceback (most recent call last): | x | RuntimeError: boom"
    assert last_lines(str(tmp_path / "none")) == ""


def test_copies_go_with_every_paused_frame_and_twice_a_second_while_running():
    pacer = CopyPacer()
    assert pacer.due(full=True, running=False, now=0.0)
    assert pacer.due(full=True, running=False, now=0.01)
    assert not pacer.due(full=False, running=True, now=5.0)  # a light frame has unread losses
    assert pacer.due(full=True, running=True, now=5.0)
    assert not pacer.due(full=True, running=True, now=5.2)
    assert pacer.due(full=True, running=True, now=5.5)


def test_a_copy_rebuilds_the_session_exactly_and_unsaved_stays_unsaved():
    session = Session(task="seed-2x2", optimizer="adam")
    session.step(4)
    rebuilt = session_from_copy(make_copy(session), "cpu")
    assert rebuilt.epoch == 4 and rebuilt.unsaved
    assert rebuilt.snapshot().losses == session.snapshot().losses
    session.step(3)
    rebuilt.step(3)
    assert rebuilt.loss == session.loss  # the optimizer's state came along


def test_without_a_process_w_and_the_autosave_write_the_last_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path / "state"))
    session = Session()
    session.step(5)
    kept = KeptState(make_copy(session))
    text, is_error = kept.answer(Autosave())
    assert not is_error and str(tmp_path / "state" / "last.safetensors") in text
    assert session_io.load("last", "cpu")[0].epoch == 5
    assert kept.answer(Autosave()) is None  # saved: nothing more to save
    text, is_error = kept.answer(Save(str(tmp_path / "mine.safetensors")))
    assert (text, is_error) == (f"Saved epoch 5 to {tmp_path / 'mine.safetensors'}", False)
    assert session_io.load(str(tmp_path / "mine.safetensors"), "cpu")[0].epoch == 5
    text, is_error = kept.answer(Step(1))
    assert is_error and "No training process" in text and "w saves it" in text


def test_without_a_process_a_save_that_fails_says_why(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path / "file" / "state"))
    session = Session()
    session.step(1)
    text, is_error = KeptState(make_copy(session)).answer(Autosave())
    assert is_error and "could not create the state folder" in text
