"""Checkpoint files: atomic writes, the loss CSV, the autosave folder, file modes."""

from __future__ import annotations

import csv
import os
import pathlib
import signal
import stat
import subprocess
import sys
import textwrap

import pytest

from scratchnn_tui.storage.atomic import write_atomically
from scratchnn_tui.storage.checkpoint import load_checkpoint, save_checkpoint
from scratchnn_tui.storage.loss_csv import write_loss_csv
from scratchnn_tui.storage.session_io import autosave
from scratchnn_tui.storage.state_folder import LAST_NAME, resolve_resume, state_dir
from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.session import Session

from session_compare import assert_same, trained

REPO = pathlib.Path(__file__).resolve().parents[2]


# -- atomic writes -------------------------------------------------------------------------

KILLED_WRITER = textwrap.dedent("""
    import os, sys, time
    from scratchnn_tui.storage.checkpoint import save_checkpoint
    from scratchnn_tui.training.session import Session

    path = sys.argv[1]
    a = Session(task="triple", optimizer="momentum"); a.step(3)
    save_checkpoint(a, path)

    def stall(fd):  # the new file is written, not yet renamed: be killed here
        print("WRITING", flush=True)
        time.sleep(30)

    os.fsync = stall
    b = Session(task="triple", optimizer="momentum"); b.step(7)
    save_checkpoint(b, path)
    print("DONE", flush=True)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_writer_killed_midway_leaves_the_previous_checkpoint(tmp_path):
    path = tmp_path / "run.safetensors"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=REPO, env=env)
    try:
        lines = []
        for line in child.stdout:  # ends at EOF if the child fails
            lines.append(line.strip())
            if line.strip() == "WRITING":
                break
        assert lines[-1:] == ["WRITING"], (lines, child.stderr.read() if child.poll() is not None else "")
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    resumed = load_checkpoint(path)
    assert resumed.epoch == 3  # A, not B (7 epochs)
    assert_same(resumed, trained(3))
    leftovers = [p for p in tmp_path.iterdir() if p != path]
    assert len(leftovers) == 1 and leftovers[0].name.startswith(".")  # B, hidden, never renamed


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    path = save_checkpoint(trained(3), tmp_path / "run.safetensors")
    before = path.read_bytes()

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(SessionError, match="could not write .*No space left on device"):
        save_checkpoint(trained(7), path)
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]


def test_writing_into_a_missing_folder_is_refused_and_creates_nothing(tmp_path):
    with pytest.raises(SessionError, match="could not write .*No such file"):
        save_checkpoint(trained(1), tmp_path / "no" / "such" / "run.safetensors")
    assert list(tmp_path.iterdir()) == []


def test_writing_onto_a_folder_is_refused_and_leaves_no_temp_file(tmp_path):
    (tmp_path / "run.safetensors").mkdir()
    with pytest.raises(SessionError, match="could not write"):
        save_checkpoint(trained(1), tmp_path / "run.safetensors")
    assert [p.name for p in tmp_path.iterdir()] == ["run.safetensors"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    try:
        with pytest.raises(SessionError, match="Permission denied"):
            save_checkpoint(trained(1), folder / "run.safetensors")
    finally:
        folder.chmod(0o700)


# -- the loss CSV --------------------------------------------------------------------------


def read_csv(path):
    with open(path, newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["first_epoch", "last_epoch", "worst_loss"]
    return [(int(a), int(b), float(c)) for a, b, c in rows[1:]]


def test_csv_of_a_short_run_has_one_row_per_epoch(tmp_path):
    session = trained(10)
    rows = read_csv(write_loss_csv(session, tmp_path / "losses.csv"))
    assert rows == [(k, k, loss) for k, loss in enumerate(session.snapshot().losses)]
    assert len(rows) == 11


def test_csv_of_a_down_sampled_run_covers_every_epoch_once(tmp_path):
    session, exact = Session(task="triple", optimizer="sgd"), []
    for _ in range(5000):  # one epoch at a time, to know every loss exactly
        exact.append(session.loss)
        session.step(1)
    exact.append(session.loss)
    snapshot = session.snapshot()
    assert snapshot.loss_bucket > 1
    rows = read_csv(write_loss_csv(session, tmp_path / "losses.csv"))
    assert [worst for _, _, worst in rows] == list(snapshot.losses)
    assert rows[0][0] == 0 and rows[-1][1] == snapshot.epoch == 5000
    assert all(rows[i + 1][0] == rows[i][1] + 1 for i in range(len(rows) - 1))
    assert all(worst == max(exact[first:last + 1]) for first, last, worst in rows)


# -- the autosave folder -------------------------------------------------------------------


def test_autosave_then_resume_last(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path / "state"))
    saved = trained(4, "seed-2x2", "adam")
    path = tmp_path / "state" / LAST_NAME
    assert f"saved to {path}" in autosave(saved)
    assert path == state_dir() / "last.safetensors"
    assert not saved.unsaved and autosave(saved) is None  # nothing more to save
    assert resolve_resume("last") == path
    assert_same(load_checkpoint(resolve_resume("last")), saved)


def test_resume_last_without_an_autosave_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path))
    with pytest.raises(SessionError, match="no autosaved session yet"):
        resolve_resume("last")


def test_resume_anything_else_is_a_path():
    assert resolve_resume("runs/a.safetensors") == pathlib.Path("runs/a.safetensors")


def test_state_dir_defaults_to_the_platforms(monkeypatch):
    import platformdirs

    monkeypatch.delenv("SCRATCHNN_TUI_STATE_DIR", raising=False)
    assert state_dir() == platformdirs.user_state_path("scratchnn-tui")



def test_written_files_get_the_mode_a_plain_open_would(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_atomically(tmp_path / "out.csv", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
