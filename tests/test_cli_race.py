"""`--race`: headless, one row per optimizer (or one JSON array); refusals in one line, exit 2."""

from __future__ import annotations

import json

import pytest

from scratchnn_tui import cli
from scratchnn_tui.training.session import Session

from cli_run import run


def test_race_json_on_triple_lists_all_four_with_solved_at_zero(capsys):
    code, out, err = run(capsys, "--headless", "--race", "--epochs", "3", "--json")
    assert code == 0 and err == []
    rows = json.loads("\n".join(out))
    assert [row["optimizer"] for row in rows] == ["sgd", "momentum", "adam", "solved"]
    solved = rows[3]
    assert solved["final_loss"] == 0.0 and solved["epochs_to_1e-3"] == 1 and solved["winner"]
    assert all(row["epochs_to_1e-3"] is None for row in rows[:3])  # JSON null: never reached
    sgd = Session(task="triple")
    sgd.train(3)
    assert rows[0]["final_loss"] == sgd.loss and rows[0]["epochs"] == 3


def test_race_table_has_a_row_per_optimizer_and_marks_the_winner(capsys):
    code, out, err = run(capsys, "--headless", "--race", "--epochs", "600", "--lr", "0.02")
    assert code == 0
    header, *rows = out
    assert header.split()[:2] == ["optimizer", "lr"] and "epochs to 1e-3" in header
    assert [line.split()[0] for line in rows] == ["sgd", "momentum", "adam", "solved"]
    assert rows[3].split()[1:4] == ["—", "0", "1"] and rows[3].endswith("★ winner")
    assert rows[0].split()[3] == "491"  # SGD at lr 0.02 gets there at epoch 491 (seed 8)


def test_race_lr_sets_sgds_and_momentums_rate(capsys):
    code, out, _ = run(capsys, "--headless", "--race", "--epochs", "2", "--json", "--lr", "0.001")
    rows = {row["optimizer"]: row for row in json.loads("\n".join(out))}
    assert rows["sgd"]["lr"] == rows["momentum"]["lr"] == 0.001 and rows["adam"]["lr"] != 0.001


def test_race_without_an_answer_leaves_solved_out_and_says_why(capsys):
    code, out, err = run(capsys, "--headless", "--race", "--task", "xor", "--epochs", "2", "--json")
    assert code == 0
    assert [row["optimizer"] for row in json.loads("\n".join(out))] == ["sgd", "momentum", "adam"]
    assert err == ["scratchnn-tui: Solved is unavailable: task xor has no known answer, so it sits this race out"]


@pytest.mark.parametrize(("argv", "words"), [
    (["--optimizer", "adam"], "--optimizer does not go with --race"),
    (["--save", "x.safetensors"], "--save does not go with --race"),
    (["--log-csv", "x.csv"], "--log-csv does not go with --race"),
])
def test_race_refuses_flags_it_would_ignore(capsys, tmp_path, argv, words):
    code, out, err = run(capsys, "--headless", "--race", *argv)
    assert code == 2 and out == [] and len(err) == 1
    assert err[0].startswith(f"scratchnn-tui: error: {words}")


def test_race_is_in_the_help(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "--race" in capsys.readouterr().out


def test_race_without_headless_starts_the_app_in_the_race(monkeypatch, capsys):
    from scratchnn_tui.ui import app

    started = []
    monkeypatch.setattr(app.ScratchApp, "run", lambda self, *a, **k: started.append(self))
    assert cli.main(["--race", "--task", "seed-2x2"]) == 0
    assert len(started) == 1 and started[0]._start_race
    assert cli.main(["--task", "seed-2x2"]) == 0 and not started[1]._start_race


def test_race_flags_are_refused_before_torch_loads():
    """`python -m`, as a user runs it: the refusal comes before PyTorch would load."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys\nfrom scratchnn_tui.cli import main\n"
            "try:\n    main(['--headless', '--race', '--optimizer', 'sgd'])\n"
            "except SystemExit as e:\n    print(e.code, 'torch' in sys.modules)")
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root,
                            env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert result.stdout.split() == ["2", "False"]
    assert result.stderr.strip() == "scratchnn-tui: error: --optimizer does not go with --race: the race trains every optimizer"
