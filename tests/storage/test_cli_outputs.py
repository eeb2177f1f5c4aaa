"""Headless outputs: `--save` and `--log-csv` are checked before the first epoch (a bad path
costs a line, not the run), and `--log-csv` writes one row per `Epoch N - loss: X` line."""

from __future__ import annotations

import os
import tracemalloc

import pytest

from scratchnn_tui.runtime import process_worker
from scratchnn_tui.training.session import Session

from epoch_hooks import on_epochs
from cli_run import explode_from_epoch_3, run


# -- paths checked before training ---------------------------------------------------------


def test_save_into_a_missing_folder_is_refused_before_any_epoch(capsys):
    code, out, err = run(capsys, "--headless", "--epochs", "3", "--save", "/nonexistent/x.safetensors")
    assert (code, out) == (2, [])
    assert err == ["scratchnn-tui: error: there is no folder /nonexistent to write "
                   "/nonexistent/x.safetensors in"]


@pytest.mark.parametrize("flag", ["--save", "--log-csv"])
def test_a_folder_is_refused_before_any_epoch(capsys, tmp_path, flag):
    code, out, err = run(capsys, "--headless", flag, str(tmp_path))
    assert (code, out, err) == (2, [], [f"scratchnn-tui: error: {tmp_path} is a folder; give a file name"])


def test_a_file_in_place_of_the_folder_is_refused(capsys, tmp_path):
    (tmp_path / "plain").write_text("x")
    code, out, err = run(capsys, "--headless", "--log-csv", str(tmp_path / "plain" / "loss.csv"))
    assert (code, out) == (2, [])
    assert err == [f"scratchnn-tui: error: {tmp_path / 'plain'} is not a folder, so "
                   f"{tmp_path / 'plain' / 'loss.csv'} cannot be written"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_that_is_not_writable_is_refused(capsys, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    code, out, err = run(capsys, "--headless", "--save", str(locked / "x.safetensors"))
    assert (code, out) == (2, []) and "is not writable" in err[0]


def test_existing_files_are_untouched_when_the_other_path_is_bad(capsys, tmp_path):
    kept = tmp_path / "kept.safetensors"
    kept.write_bytes(b"an earlier checkpoint")
    code, out, _ = run(capsys, "--headless", "--save", str(kept), "--log-csv", "/nonexistent/loss.csv")
    assert (code, out) == (2, [])
    assert kept.read_bytes() == b"an earlier checkpoint"


def test_the_csv_may_not_replace_the_checkpoint(capsys, tmp_path):
    path = str(tmp_path / "run.safetensors")
    code, out, err = run(capsys, "--headless", "--save", path, "--log-csv", path)
    assert (code, out) == (2, []) and "name the same file" in err[0]


# -- one row per epoch ---------------------------------------------------------------------


def test_log_csv_has_the_logs_numbers_at_full_precision(capsys, tmp_path):
    path = tmp_path / "loss.csv"
    code, out, err = run(capsys, "--headless", "--epochs", "7", "--log-csv", str(path))
    assert code == 0
    session = Session()
    session.step(7)
    assert path.read_text().splitlines() == ["epoch,loss", *(f"{n},{loss!r}" for n, loss in
                                                             enumerate(session.losses[1:]))]
    assert [f"Epoch {n} - loss: {loss:.6f}" for n, loss in enumerate(session.losses[1:])] == out
    assert err == [f"scratchnn-tui: Loss of 7 epochs written to {path}"]


def test_a_resumed_runs_csv_counts_on_from_the_checkpoint(capsys, tmp_path):
    saved, path = tmp_path / "ten.safetensors", tmp_path / "loss.csv"
    assert run(capsys, "--headless", "--epochs", "10", "--save", str(saved))[0] == 0
    code, out, _ = run(capsys, "--headless", "--resume", str(saved), "--epochs", "3", "--log-csv", str(path))
    rows = path.read_text().splitlines()
    assert code == 0 and rows[0] == "epoch,loss"
    assert [row.split(",")[0] for row in rows[1:]] == ["10", "11", "12"]
    assert [f"Epoch {n} - loss: {float(x):.6f}" for n, x in (row.split(",") for row in rows[1:])] == out


def test_zero_epochs_give_the_header_only(capsys, tmp_path):
    path = tmp_path / "loss.csv"
    assert run(capsys, "--headless", "--epochs", "0", "--log-csv", str(path))[0] == 0
    assert path.read_text() == "epoch,loss\n"


def test_a_diverged_runs_csv_keeps_the_epochs_it_printed(capsys, monkeypatch, tmp_path):
    explode_from_epoch_3(monkeypatch)
    path = tmp_path / "loss.csv"
    code, out, _ = run(capsys, "--headless", "--epochs", "10", "--log-csv", str(path))
    assert code == 3
    rows = path.read_text().splitlines()[1:]
    assert len(rows) == len(out) == 2
    assert [f"Epoch {n} - loss: {float(x):.6f}" for n, x in (row.split(",") for row in rows)] == out


def test_an_interrupted_run_leaves_an_existing_csv_whole_and_no_temporary_file(capsys, monkeypatch, tmp_path):
    build = process_worker.build_session

    def interrupt(session, done):
        if done >= 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(process_worker, "build_session", lambda **s: on_epochs(build(**s), before=interrupt))
    path = tmp_path / "loss.csv"
    path.write_text("an earlier log\n")
    code, _, _ = run(capsys, "--headless", "--epochs", "10", "--log-csv", str(path))
    assert code == 130
    assert path.read_text() == "an earlier log\n"
    assert [p.name for p in tmp_path.iterdir()] == ["loss.csv"]


def test_rows_go_to_disk_as_they_come_not_into_memory(tmp_path):
    """A headless run may last millions of epochs: the log's memory must not grow with them."""
    from scratchnn_tui.storage.loss_csv import EpochLossLog

    with EpochLossLog(tmp_path / "loss.csv") as log:
        tracemalloc.start()
        try:
            for epoch in range(200_000):
                log.add(epoch, 0.1234567890123 + epoch)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        log.commit()
    assert peak < 256 * 1024, peak
    rows = (tmp_path / "loss.csv").read_text().splitlines()
    assert len(rows) == 1 + 200_000 and rows[-1] == f"199999,{0.1234567890123 + 199999!r}"
