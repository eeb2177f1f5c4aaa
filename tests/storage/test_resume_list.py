"""`--version` and `--resume list`: what is installed, and which autosaves can be resumed."""

from __future__ import annotations

from importlib.metadata import version

import pytest

from scratchnn_tui.runtime.dispatch import carry_out
from scratchnn_tui.runtime.requests import Reset
from scratchnn_tui.storage import session_io
from scratchnn_tui.training.session import Session

from cli_run import run


def test_version_prints_the_package_version_and_exits_0(capsys):
    code, out, err = run(capsys, "--version")
    assert code == 0 and out == [f"scratchnn-tui {version('scratchnn-tui')}"] and err == []


def test_resume_list_names_each_autosave_with_its_task_and_epoch(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path))
    code, out, _ = run(capsys, "--resume", "list")
    assert code == 0 and out == [f"no autosaved sessions in {tmp_path}"]
    session = Session()
    session.step(3)
    session, _ = carry_out(session, Reset())  # the 3 epochs go aside
    session.step(2)
    session_io.autosave(session)  # a quit
    code, out, _ = run(capsys, "--resume", "list")
    assert code == 0 and len(out) == 2
    assert "triple, sgd, epoch 2  --resume last" in out[0]
    assert "triple, sgd, epoch 3  --resume " in out[1]
    aside = out[1].split("--resume ")[1]
    code, lines, _ = run(capsys, "--headless", "--resume", aside, "--epochs", "1")
    assert code == 0 and lines[0].startswith("Epoch 3 - loss:")


@pytest.mark.parametrize("argv", [["--resume", "list", "--headless"], ["--resume", "list"]])
def test_resume_list_trains_nothing(capsys, tmp_path, monkeypatch, argv):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path))
    code, out, _ = run(capsys, *argv)
    assert code == 0 and not any(line.startswith("Epoch") for line in out)
