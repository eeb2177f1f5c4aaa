"""The user's own data (`--data FILE.csv`) as a task: trained, cycled, checked, and kept in
checkpoints so that a run resumes after the file is gone."""

from __future__ import annotations

import io
import json
import pathlib
import subprocess
import sys

import pytest

from scratchnn_tui.cli import main
from scratchnn_tui.storage.checkpoint import load_checkpoint, save_checkpoint
from scratchnn_tui.training.data_file import read_data
from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.session import Session

from session_compare import assert_same

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "line.csv"


def run(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    try:
        code = main(list(argv))
    except SystemExit as exit:
        code = exit.code
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_the_example_is_y_equals_2x_plus_1_and_adam_fits_it():
    data = read_data(str(EXAMPLE))
    assert data.inputs == tuple((float(x),) for x in range(1, 7))
    assert data.targets == tuple((2.0 * x + 1,) for x in range(1, 7))
    session = Session(data=data, optimizer="adam", lr=0.1)
    assert session.task.name == "line" and "line.csv" in session.task.title
    session.step(2000)
    assert session.loss < 1e-3


def test_two_target_columns_make_a_layer_of_two_neurons(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("a,b,c\n1,2,3\n4,5,6\n")
    session = Session(data=read_data(str(path), targets=2))
    assert tuple(session.model.layers[0].weight.shape) == (2, 1)
    assert session.snapshot().layer.out_features == 2


def test_the_task_cycle_includes_the_data_and_solved_is_unavailable_for_it():
    session = Session(data=read_data(str(EXAMPLE)))
    names = [session.task.name]
    for _ in range(5):
        session.next_task()
        names.append(session.task.name)
    assert names == ["line", "triple", "seed-2x2", "square", "xor", "line"]
    with pytest.raises(SessionError, match="Solved is unavailable: task line has no known answer"):
        session.set_optimizer("solved")


def test_a_checkpoint_holds_the_data_and_resumes_after_the_file_is_gone(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(EXAMPLE.read_text())
    session = Session(data=read_data(str(path)), optimizer="momentum")
    session.step(5)
    save_checkpoint(session, tmp_path / "run.safetensors")
    path.unlink()
    resumed = load_checkpoint(tmp_path / "run.safetensors")
    assert resumed.task.name == "mine" and resumed.data.inputs == session.data.inputs
    assert_same(resumed, session)
    resumed.step(3)
    session.step(3)
    assert_same(resumed, session)


def test_a_checkpoint_with_crafted_data_is_refused(tmp_path):
    from scratchnn_tui.storage.session_state import export_state, import_state

    session = Session(data=read_data(str(EXAMPLE)))
    tensors, meta = export_state(session)
    meta = json.loads(json.dumps(meta))  # as a checkpoint's metadata comes back
    meta["data"]["targets"][2] = [float("nan")]
    with pytest.raises(SessionError, match="not a finite number"):
        import_state(tensors, meta)
    meta["data"]["targets"][2] = [7.0]
    meta["data"]["source"] = "\x1b[2Jevil.csv"
    with pytest.raises(SessionError, match="not a short line of text"):
        import_state(tensors, meta)
    meta["data"]["source"] = "line.csv"
    assert import_state(tensors, meta).task.title == session.task.title


def test_the_command_line_trains_data_from_standard_input():
    result = subprocess.run([sys.executable, "-m", "scratchnn_tui", "--headless", "--data", "-", "--epochs", "3"],
                            input=EXAMPLE.read_text(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [line.split(" - ")[0] for line in result.stdout.splitlines()] == ["Epoch 0", "Epoch 1", "Epoch 2"]


@pytest.mark.parametrize("contents, argv, words", [
    ("x,y\n1,abc\n", [], 'row 2, column "y" (2): "abc" is not a number'),
    ("x,y\n1,2\n3\n", [], "row 3 has 1 cell, but the header has 2"),
    ("", [], "is empty"),
    ("a,b,c\n1,2,3\n", ["--targets", "5"], "has 3 columns, too few for 5 target columns"),
    (None, [], "the file does not exist"),
    ("x,y\n1,3\n", ["--optimizer", "solved"], "no known answer"),
])
def test_bad_data_is_one_line_and_exit_2_before_training(capsys, tmp_path, contents, argv, words):
    path = tmp_path / "data.csv"
    if contents is not None:
        path.write_text(contents)
    code, out, err = run(capsys, "--headless", "--data", str(path), *argv)
    assert code == 2 and out == [] and len(err) == 1 and words in err[0], err


def test_resume_with_other_data_is_refused_and_with_the_same_goes_on(capsys, tmp_path):
    saved = tmp_path / "run.safetensors"
    assert run(capsys, "--headless", "--data", str(EXAMPLE), "--epochs", "3", "--save", str(saved))[0] == 0
    other = tmp_path / "other.csv"
    other.write_text("x,y\n1,2\n")
    code, _, err = run(capsys, "--headless", "--resume", str(saved), "--data", str(other))
    assert code == 2 and "trained on other data" in err[0]
    code, out, _ = run(capsys, "--headless", "--resume", str(saved), "--data", str(EXAMPLE), "--epochs", "1")
    assert code == 0 and out[0].startswith("Epoch 3 - loss:")


def test_standard_input_is_for_headless_runs_only(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(EXAMPLE.read_text()))
    code, _, err = run(capsys, "--data", "-")
    assert code == 2 and "add --headless" in err[0]
