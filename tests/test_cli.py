"""The command line: the seed's epoch log, and one line on stderr (exit 2) for each bad flag."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from scratchnn_tui import cli
from scratchnn_tui.training.session import Session

ROOT = Path(__file__).resolve().parents[1]
LINE = re.compile(r"^Epoch (\d+) - loss: \d+\.\d{6}$")


def run_module(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "scratchnn_tui", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=timeout)


# -- through `python -m`, as a user runs it --------------------------------------------------


def test_module_solved_one_epoch_prints_the_seed_line():
    result = run_module("--headless", "--optimizer", "solved", "--epochs", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Epoch 0 - loss: 0.000000\n"
    assert result.stderr == ""  # no torch/numpy warning on the terminal


def test_module_headless_three_epochs():
    result = run_module("--headless", "--epochs", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert [int(LINE.match(line).group(1)) for line in lines] == [0, 1, 2]
    assert result.stdout.endswith("\n")


@pytest.mark.parametrize("args", [("--lr", "abc"), ("--headless", "--device", "tpu")])
def test_module_bad_flag_is_one_line_without_traceback(args):
    result = run_module(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("scratchnn-tui: error:")
    assert "Traceback" not in result.stderr


# -- in-process ------------------------------------------------------------------------------


def test_headless_solved_in_process(capsys):
    assert cli.main(["--headless", "--optimizer", "solved", "--epochs", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "Epoch 0 - loss: 0.000000\n"
    assert captured.err == ""


def test_headless_solved_on_the_figure_stays_at_zero(capsys):
    assert cli.main(["--headless", "--task", "seed-2x2", "--optimizer", "solved", "--epochs", "3"]) == 0
    assert capsys.readouterr().out == "".join(f"Epoch {n} - loss: 0.000000\n" for n in range(3))


def test_headless_lines_format(capsys):
    assert cli.main(["--headless", "--epochs", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [int(LINE.match(line).group(1)) for line in lines] == [0, 1, 2]


def test_headless_zero_epochs_prints_nothing(capsys):
    assert cli.main(["--headless", "--epochs", "0"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("argv,settings", [
    ([], {}),
    (["--epochs", "12"], {}),
    (["--task", "seed-2x2", "--optimizer", "momentum", "--seed", "3", "--lr", "0.001", "--epochs", "7"],
     {"task": "seed-2x2", "optimizer": "momentum", "seed": 3, "lr": 0.001}),
    (["--task", "square", "--optimizer", "adam", "--epochs", "5"], {"task": "square", "optimizer": "adam"}),
])
def test_headless_lines_are_the_session_losses(capsys, argv, settings):
    assert cli.main(["--headless", *argv]) == 0
    out = capsys.readouterr().out
    epochs = int(argv[argv.index("--epochs") + 1]) if "--epochs" in argv else 10  # the documented default
    session = Session(**settings)
    session.step(epochs)
    expected = [f"Epoch {n} - loss: {loss:.6f}" for n, loss in enumerate(session.losses[1:])]
    assert len(expected) == epochs
    assert out.splitlines() == expected


def test_headless_seed_changes_the_log(capsys):
    cli.main(["--headless", "--epochs", "3", "--seed", "1"])
    first = capsys.readouterr().out
    cli.main(["--headless", "--epochs", "3", "--seed", "2"])
    assert capsys.readouterr().out != first


BAD = [
    ["--lr", "abc"],
    ["--lr", "nan"],
    ["--lr", "inf"],
    ["--lr", "-inf"],
    ["--lr", "0"],
    ["--lr", "-1"],
    ["--lr", "1e-9"],
    ["--lr", "1e7"],
    ["--epochs", "-1"],
    ["--epochs", "x"],
    ["--epochs", "1.5"],
    ["--seed", "-1"],
    ["--seed", "x"],
    ["--task", "nope"],
    ["--optimizer", "nope"],
    ["--device", "tpu"],
    ["--optimizer", "solved", "--task", "square"],
    ["--task", "square", "--optimizer", "solved"],
    ["--no-such-flag"],
    ["--lr"],
]


def _assert_one_line_refusal(capsys, argv):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("scratchnn-tui: error:")
    assert "Traceback" not in captured.err
    return lines[0]


@pytest.mark.parametrize("argv", BAD, ids=[" ".join(a) for a in BAD])
def test_bad_flag_headless_exits_2_with_one_line(capsys, argv):
    _assert_one_line_refusal(capsys, ["--headless", *argv])


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
@pytest.mark.parametrize("device", ["cuda", "cuda:0"])
def test_cuda_without_gpu_headless(capsys, device):
    line = _assert_one_line_refusal(capsys, ["--headless", "--device", device])
    assert line.endswith("No GPU: torch.cuda.is_available() is False")


def test_error_lines_say_what_was_wrong(capsys):
    assert "abc" in _assert_one_line_refusal(capsys, ["--headless", "--lr", "abc"])
    assert "nope" in _assert_one_line_refusal(capsys, ["--headless", "--task", "nope"])
    assert "tpu" in _assert_one_line_refusal(capsys, ["--headless", "--device", "tpu"])
    assert "Solved" in _assert_one_line_refusal(capsys, ["--headless", "--optimizer", "solved", "--task", "square"])


# -- without --headless: the app is replaced by a recorder, so no screen starts ------------------


@pytest.fixture
def app_runs(monkeypatch):
    from scratchnn_tui.ui import app

    started = []
    monkeypatch.setattr(app.ScratchApp, "run", lambda self, *a, **k: started.append(self))
    return started


def test_tui_starts_by_default(app_runs, capsys):
    assert cli.main([]) == 0
    assert len(app_runs) == 1


@pytest.mark.parametrize("argv", [["--lr", "nan"], ["--task", "nope"], ["--device", "tpu"], ["--seed", "-1"]])
def test_tui_bad_flag_exits_2_before_the_app(app_runs, capsys, argv):
    _assert_one_line_refusal(capsys, argv)
    assert app_runs == []


def test_tui_solved_on_square_exits_2_before_the_app(app_runs, capsys):
    _assert_one_line_refusal(capsys, ["--optimizer", "solved", "--task", "square"])
    assert app_runs == []


def test_headless_into_a_closed_pipe_ends_quietly():
    import subprocess
    import sys

    shell = f"'{sys.executable}' -m scratchnn_tui --headless --epochs 100000 | head -2"
    result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=120)
    assert result.stdout.splitlines()[0].startswith("Epoch 0 - loss:")
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


# -- flags the app would ignore, --help ---------------------------------------------------------


@pytest.mark.parametrize(("flag", "value", "words"), [
    ("--save", "run.safetensors", "--save needs --headless; in the app press w"),
    ("--log-csv", "loss.csv", "--log-csv needs --headless; in the app press c"),
    ("--epochs", "5", "--epochs needs --headless; in the app press e to set the epochs a run lasts"),
])
def test_headless_only_flags_are_refused_before_the_app(app_runs, capsys, tmp_path, flag, value, words):
    """The app never wrote --save or --log-csv, nor ran --epochs: the user found out on quitting."""
    value = str(tmp_path / value) if flag != "--epochs" else value
    line = _assert_one_line_refusal(capsys, [flag, value])
    assert line == f"scratchnn-tui: error: {words}"
    assert app_runs == [] and list(tmp_path.iterdir()) == []


def test_the_issues_command_without_headless_is_refused(app_runs, capsys, tmp_path):
    argv = ["--epochs", "5", "--save", str(tmp_path / "x.safetensors"), "--log-csv", str(tmp_path / "y.csv")]
    assert "needs --headless" in _assert_one_line_refusal(capsys, argv)
    assert app_runs == [] and list(tmp_path.iterdir()) == []


def test_help_points_to_the_benchmark(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    assert "scratchnn-tui bench --help for the benchmark" in capsys.readouterr().out


# -- one check for a checkpoint path, shared with the app's L dialog ---------------------------


def test_resume_from_a_folder_says_folder_as_the_load_dialog_does(app_runs, capsys, tmp_path):
    from scratchnn_tui.ui.validators import check_path

    words = f"{tmp_path} is a folder, not a checkpoint file"
    with pytest.raises(cli.SessionError, match=words):
        check_path(str(tmp_path), must_exist=True)
    for argv in (["--headless", "--resume", str(tmp_path)], ["--resume", str(tmp_path)]):
        assert _assert_one_line_refusal(capsys, argv) == f"scratchnn-tui: error: {words}"
    assert app_runs == []


def test_resume_from_a_missing_file_says_so_as_the_load_dialog_does(app_runs, capsys, tmp_path):
    from scratchnn_tui.ui.validators import check_path

    missing = str(tmp_path / "nope.safetensors")
    with pytest.raises(cli.SessionError, match=f"^there is no file {missing}$"):
        check_path(missing, must_exist=True)
    for argv in (["--headless", "--resume", missing], ["--resume", missing]):
        assert _assert_one_line_refusal(capsys, argv) == f"scratchnn-tui: error: there is no file {missing}"
    assert app_runs == []


def test_the_readmes_json_example_is_what_the_app_prints(capsys):
    """The README's `--json` example carries the loss exactly as the app writes it."""
    import json
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert cli.main(["--headless", "--json", "--epochs", "1"]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert first["epoch"] == 0
    assert f'"loss": {first["loss"]!r}}}' in readme.replace("\n  ", " ").replace("\n", " ")
