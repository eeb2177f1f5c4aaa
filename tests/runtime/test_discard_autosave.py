"""Nothing a user did is lost: a reset, a new task, seed or init, or a load first autosave the
progress they would throw away, and the autosaves before the last are kept too."""

from __future__ import annotations

import pytest

from scratchnn_tui.runtime.dispatch import carry_out
from scratchnn_tui.runtime.requests import Load, NextTask, Reset, SetSeed, Step
from scratchnn_tui.storage import session_io
from scratchnn_tui.storage.state_folder import KEEP_EARLIER, earlier_autosaves
from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.session import Session


@pytest.fixture(autouse=True)
def state(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("request_", [Reset(), NextTask(), SetSeed(3)])
def test_a_request_that_starts_afresh_first_saves_the_unsaved_epochs(request_, state):
    session = Session()
    session.step(3)
    session, message = carry_out(session, request_)
    assert session.epoch == 0
    kept = earlier_autosaves()
    assert len(kept) == 1 and f"saved to {kept[0]}: L with that path brings it back" in message
    assert session_io.load(str(kept[0]))[0].epoch == 3
    assert not (state / "last.safetensors").exists()  # --resume last stays the last quit's


def test_nothing_unsaved_writes_nothing(state):
    session, message = carry_out(Session(), Reset())
    assert "saved" not in message and list(state.iterdir()) == []


def test_three_epochs_reset_two_epochs_quit_leaves_both(state):
    session = Session()
    session, _ = carry_out(session, Step(3))
    session, _ = carry_out(session, Reset())
    session, _ = carry_out(session, Step(2))
    session_io.autosave(session)  # what a quit does
    assert session_io.load("last")[0].epoch == 2
    earlier = earlier_autosaves()
    assert len(earlier) == 1 and session_io.load(str(earlier[0]))[0].epoch == 3


def test_two_quits_keep_both_sessions(state):
    first, second = Session(), Session(task="seed-2x2")
    first.step(3)
    second.step(2)
    session_io.autosave(first)
    session_io.autosave(second)
    assert session_io.load("last")[0].task.name == "seed-2x2"
    assert [session_io.load(str(p))[0].epoch for p in earlier_autosaves()] == [3]


def test_only_the_last_few_earlier_autosaves_are_kept(state):
    session = Session()
    for _ in range(KEEP_EARLIER + 3):
        session.step()
        session_io.autosave(session)
    assert len(earlier_autosaves()) == KEEP_EARLIER
    assert session_io.load("last")[0].epoch == KEEP_EARLIER + 3


def test_a_load_that_fails_discards_nothing_and_one_that_works_keeps_the_session_before(state, tmp_path):
    session = Session()
    session.step(4)
    with pytest.raises(SessionError):
        carry_out(session, Load(str(tmp_path / "missing.safetensors")))
    assert list(state.glob("*.safetensors")) == []
    other = Session(task="seed-2x2")
    other.step(2)
    session_io.save(other, str(tmp_path / "other.safetensors"))
    loaded, message = carry_out(session, Load(str(tmp_path / "other.safetensors")))
    assert loaded.task.name == "seed-2x2" and "L with that path brings it back" in message
    assert session_io.load(str(earlier_autosaves()[-1]))[0].epoch == 4
