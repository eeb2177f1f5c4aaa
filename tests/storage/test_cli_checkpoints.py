"""Headless checkpoints, CSV and divergence from the command line."""

from __future__ import annotations

from cli_run import explode_from_epoch_3, run


def test_resuming_after_10_and_training_5_prints_what_15_in_a_row_print(capsys, tmp_path):
    path = tmp_path / "ten.safetensors"
    for optimizer in ("sgd", "momentum", "adam"):
        code, first, err = run(capsys, "--headless", "--optimizer", optimizer, "--epochs", "10", "--save", str(path))
        assert code == 0 and any(str(path) in line for line in err)
        code, rest, _ = run(capsys, "--headless", "--resume", str(path), "--epochs", "5")
        assert code == 0
        code, straight, _ = run(capsys, "--headless", "--optimizer", optimizer, "--epochs", "15")
        assert first + rest == straight
        assert rest[0].startswith("Epoch 10 - loss:")


def test_log_csv_writes_every_epoch(capsys, tmp_path):
    """One row per `Epoch N - loss: X` line, with its N and its X (more digits of it)."""
    path = tmp_path / "loss.csv"
    code, lines, _ = run(capsys, "--headless", "--epochs", "4", "--log-csv", str(path))
    rows = path.read_text().splitlines()
    assert code == 0 and rows[0] == "epoch,loss" and len(rows) == 1 + 4
    assert [f"Epoch {row.split(',')[0]} - loss: {float(row.split(',')[1]):.6f}" for row in rows[1:]] == lines


def test_a_bad_checkpoint_is_one_line_and_exit_2(capsys, tmp_path):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\x80\x04garbage")
    for argv in (["--headless", "--resume", str(bad)], ["--resume", str(bad)],
                 ["--headless", "--resume", str(tmp_path / "missing.safetensors")]):
        code, _, err = run(capsys, *argv)
        assert code == 2 and len(err) == 1 and err[0].startswith("scratchnn-tui: error:")


def test_headless_divergence_says_why_on_stderr_and_exits_3(capsys, monkeypatch, tmp_path):
    explode_from_epoch_3(monkeypatch)
    path = tmp_path / "kept.safetensors"
    code, lines, err = run(capsys, "--headless", "--epochs", "10", "--save", str(path))
    assert code == 3
    assert len(lines) == 2  # epochs 0 and 1 kept their finite losses
    assert err[0] == ("scratchnn-tui: loss became inf at epoch 3: learning rate 0.02 is too high "
                      "for this task; run again with a lower --lr")
    from scratchnn_tui.storage.checkpoint import load_checkpoint

    assert load_checkpoint(path).epoch == 2  # the finite part of the run is saved
