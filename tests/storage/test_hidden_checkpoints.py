"""`--hidden` from the command line to the checkpoint and back: bad widths exit 2 before any
training, a deeper run is logged as a session trains it, checkpoints keep the sizes, and one of
another shape loads as that shape."""

from __future__ import annotations

import json

import pytest

from scratchnn_tui.storage import session_io
from scratchnn_tui.storage.checkpoint import checkpoint_settings
from scratchnn_tui.training.session import Session

from cli_run import run


@pytest.mark.parametrize("value", ["0", "65", "1,2,3,4,5", "x", "4,,3", "", "-3"])
def test_bad_hidden_widths_exit_2_with_one_line(capsys, value):
    code, out, err = run(capsys, "--headless", "--hidden", value)
    assert code == 2 and out == [] and len(err) == 1 and "--hidden" in err[0]


def test_solved_with_hidden_layers_exits_2_and_says_why(capsys):
    code, out, err = run(capsys, "--headless", "--task", "triple", "--hidden", "3", "--optimizer", "solved")
    assert code == 2 and out == []
    assert "Solved is unavailable with hidden layers" in err[0] and "1→3→1" in err[0]


def test_a_headless_deeper_run_prints_what_a_deeper_session_trains(capsys):
    code, out, _ = run(capsys, "--headless", "--task", "xor", "--hidden", "4", "--optimizer", "adam",
                       "--lr", "0.02", "--seed", "0", "--epochs", "5", "--json")
    assert code == 0
    session = Session(task="xor", hidden=(4,), optimizer="adam", lr=0.02, seed=0)
    expected = []
    for _ in range(5):
        epoch = session.epoch
        session.step()
        expected.append({"epoch": epoch, "loss": session.loss})
    assert [json.loads(line) for line in out] == expected


def test_a_checkpoint_keeps_the_hidden_layers_and_resumes_exactly(capsys, tmp_path):
    path = tmp_path / "deep.safetensors"
    assert run(capsys, "--headless", "--task", "square", "--hidden", "8,3", "--optimizer", "adam",
               "--lr", "0.01", "--epochs", "20", "--save", str(path))[0] == 0
    assert checkpoint_settings(path)["hidden"] == [8, 3]
    code, out, _ = run(capsys, "--headless", "--resume", str(path), "--epochs", "3")
    assert code == 0
    session = Session(task="square", hidden=(8, 3), optimizer="adam", lr=0.01)
    session.step(20)
    expected = []
    for _ in range(3):
        epoch = session.epoch
        session.step()
        expected.append(f"Epoch {epoch} - loss: {session.loss:.6f}")
    assert out == expected


def test_resume_with_other_hidden_layers_contradicts_the_checkpoint(capsys, tmp_path):
    path = tmp_path / "deep.safetensors"
    assert run(capsys, "--headless", "--task", "xor", "--hidden", "4", "--epochs", "2", "--save", str(path))[0] == 0
    code, out, err = run(capsys, "--headless", "--resume", str(path), "--hidden", "3")
    assert code == 2 and out == []
    assert "--hidden 3 contradicts the checkpoint's hidden layers 4" in err[0]


def test_loading_a_checkpoint_of_another_shape_gives_that_shape(tmp_path):
    deep = Session(task="xor", hidden=(5,), seed=2)
    deep.step(4)
    path = tmp_path / "five.safetensors"
    session_io.save(deep, path)
    loaded, message = session_io.load(str(path))
    assert loaded.sizes == (2, 5, 1) and loaded.epoch == 4
    assert loaded.loss == deep.loss
    assert loaded.snapshot().layers == deep.snapshot().layers
