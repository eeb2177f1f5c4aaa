"""The function view as CSV (`--fit-csv` headless, `ExportFit` from the app's F): one row per
grid point, checked against the network itself (the session's model, or a fresh ScratchNet
loaded from the saved checkpoint) and the task's true function, never against the CSV."""

from __future__ import annotations

import csv

import pytest
import torch
from safetensors.torch import load_file

from scratchnn_tui.core.net import ScratchNet
from scratchnn_tui.runtime.dispatch import carry_out
from scratchnn_tui.runtime.requests import ExportFit, Step
from scratchnn_tui.training.data_file import read_data
from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.function_view import FunctionChoice
from scratchnn_tui.training.session import Session

from cli_run import run


def read_csv(path) -> tuple[list[str], list[dict[str, float]]]:
    with open(path, newline="") as file:
        rows = list(csv.reader(file))
    header = rows[0]
    return header, [dict(zip(header, map(float, row))) for row in rows[1:]]


def saved_net(path, sizes) -> ScratchNet:
    """A fresh core network with the checkpoint's weights: the oracle for the CSV's y."""
    net = ScratchNet(sizes)
    state = load_file(str(path))
    net.load_state_dict({key.removeprefix("model."): value for key, value in state.items()
                         if key.startswith("model.")})
    return net


# -- the three cases the issue names -------------------------------------------------------


def test_triple_solved_is_relu_3x_over_0_to_4_and_beyond_beside_its_target(capsys, tmp_path):
    path = tmp_path / "f.csv"
    code, out, err = run(capsys, "--headless", "--task", "triple", "--optimizer", "solved", "--epochs", "1",
                         "--fit-csv", str(path))
    assert code == 0 and out == ["Epoch 0 - loss: 0.000000"]
    header, rows = read_csv(path)
    assert header == ["x", "y", "target"]
    assert err == [f"scratchnn-tui: Wrote the function view's {len(rows)} points to {path}"]
    xs = [row["x"] for row in rows]
    assert len(rows) >= 50 and xs == sorted(xs)
    assert xs[0] < 0 and xs[-1] > 4 and {0.0, 1.0, 2.0, 3.0, 4.0} <= set(xs)  # the data on the grid
    for row in rows:
        assert row["y"] == pytest.approx(max(0.0, 3 * row["x"]), abs=1e-5)
        assert row["target"] == pytest.approx(3 * row["x"], abs=1e-12)


def test_square_with_8_units_is_the_saved_nets_output_and_its_units_add_up(capsys, tmp_path):
    fit, saved = tmp_path / "f.csv", tmp_path / "s.safetensors"
    code, _, err = run(capsys, "--headless", "--task", "square", "--hidden", "8", "--optimizer", "adam",
                       "--lr", "0.01", "--epochs", "300", "--seed", "1", "--save", str(saved), "--fit-csv", str(fit))
    assert code == 0 and err[-1] == f"scratchnn-tui: Wrote the function view's 193 points to {fit}"
    header, rows = read_csv(fit)
    units = [f"unit_{k}" for k in range(1, 9)]
    assert header == ["x", "y", *units, "target"]
    net = saved_net(saved, [1, 8, 1])
    hidden, out = net.layers
    x = torch.tensor([[row["x"]] for row in rows])
    with torch.no_grad():
        expected = net(x)[:, 0].tolist()
        terms = (torch.relu(x @ hidden.weight.T + hidden.bias) * out.weight[0]).tolist()  # vₖ·relu(wₖx + bₖ)
    bias = out.bias[0].item()
    for row, y, term in zip(rows, expected, terms):
        assert row["y"] == pytest.approx(y, abs=1e-4)
        assert [row[u] for u in units] == pytest.approx(term, abs=1e-5)
        assert sum(row[u] for u in units) + bias == pytest.approx(row["y"], abs=1e-5)
        assert row["target"] == pytest.approx(row["x"] ** 2)


def test_xor_is_a_grid_over_the_unit_square_right_at_its_four_corners(capsys, tmp_path):
    path = tmp_path / "f.csv"
    code, _, _ = run(capsys, "--headless", "--task", "xor", "--hidden", "4", "--optimizer", "adam",
                     "--lr", "0.02", "--epochs", "2000", "--seed", "0", "--fit-csv", str(path))
    assert code == 0
    header, rows = read_csv(path)
    assert header == ["x1", "x2", "y"]  # xor has no true function beyond its four samples
    x1s, x2s = sorted({row["x1"] for row in rows}), sorted({row["x2"] for row in rows})
    assert len(x1s) >= 20 and len(x2s) >= 20 and len(rows) == len(x1s) * len(x2s)
    assert x1s[0] <= 0 and x1s[-1] >= 1 and x2s[0] <= 0 and x2s[-1] >= 1
    at = {(row["x1"], row["x2"]): row["y"] for row in rows}
    for a in (0.0, 1.0):
        for b in (0.0, 1.0):
            assert at[(a, b)] == pytest.approx(float(a != b), abs=0.1), (a, b)


# -- the columns, by the network's inputs and outputs ----------------------------------------


def test_the_articles_layer_has_two_outputs_and_two_targets(capsys, tmp_path):
    path = tmp_path / "f.csv"
    assert run(capsys, "--headless", "--task", "seed-2x2", "--epochs", "1", "--fit-csv", str(path))[0] == 0
    header, rows = read_csv(path)
    assert header == ["x1", "x2", "y1", "y2", "target1", "target2"]
    assert len({row["x1"] for row in rows}) >= 20 and len({row["x2"] for row in rows}) >= 20
    for row in rows:
        assert row["target1"] == pytest.approx(max(0.0, 5 * row["x1"] + 7 * row["x2"]))
        assert row["target2"] == pytest.approx(max(0.0, 6 * row["x1"] + 8 * row["x2"]))


@pytest.mark.parametrize("data, targets, hidden, expected", [
    ("x,y\n1,3\n2,5\n3,7\n", 1, "none", ["x", "y"]),
    ("x,y\n1,3\n2,5\n3,7\n", 1, "3", ["x", "y", "unit_1", "unit_2", "unit_3"]),
    ("a,b,y\n0,0,0\n0,1,1\n1,0,1\n", 1, "none", ["x1", "x2", "y"]),
    ("a,b,c,y,z\n1,2,3,4,5\n2,4,6,8,9\n3,0,0,1,2\n", 2, "none", ["x1", "x2", "x3", "y1", "y2"]),
    ("a,b,c,y\n1,2,3,4\n2,4,6,8\n", 1, "4", ["x1", "x2", "x3", "y"]),  # units only with one input
])
def test_the_header_names_the_inputs_outputs_and_units_of_ones_own_data(capsys, tmp_path, data, targets,
                                                                         hidden, expected):
    source, path = tmp_path / "data.csv", tmp_path / "f.csv"
    source.write_text(data)
    code, _, err = run(capsys, "--headless", "--data", str(source), "--targets", str(targets), "--hidden", hidden,
                       "--epochs", "2", "--fit-csv", str(path))
    assert code == 0, err
    header, rows = read_csv(path)
    assert header == expected  # and no target: one's own data have no true function
    plane = expected[:3] == ["x1", "x2", "y"]  # two inputs: a grid over the plane; else a curve
    assert len(rows) >= (20 * 20 if plane else 50)


def test_with_three_inputs_the_rows_go_along_input_1_the_others_at_their_mean(tmp_path):
    source = tmp_path / "data.csv"
    source.write_text("a,b,c,y\n1,2,3,4\n2,4,9,8\n3,0,0,1\n")
    session = Session(data=read_data(str(source)), optimizer="adam", lr=0.05, hidden=(3,))
    session.choose_function(FunctionChoice(along=2))  # the screen draws along input 3: the table still goes along 1
    session, _ = carry_out(session, Step(20))
    path = tmp_path / "f.csv"
    carry_out(session, ExportFit(str(path)))
    header, rows = read_csv(path)
    assert header == ["x1", "x2", "x3", "y"]
    xs = [row["x1"] for row in rows]
    assert len(rows) >= 50 and xs == sorted(xs) and xs[0] < 1 and xs[-1] > 3
    assert {(row["x2"], row["x3"]) for row in rows} == {(2.0, 4.0)}  # the means of b and c
    with torch.no_grad():
        expected = session.model(torch.tensor([[row["x1"], row["x2"], row["x3"]] for row in rows]))[:, 0]
    assert [row["y"] for row in rows] == pytest.approx(expected.tolist(), abs=1e-5)


# -- the path, checked before the first epoch ------------------------------------------------


def test_a_missing_folder_is_refused_in_one_line_before_any_epoch(capsys, tmp_path):
    missing = tmp_path / "no-such-folder" / "f.csv"
    code, out, err = run(capsys, "--headless", "--epochs", "3", "--fit-csv", str(missing))
    assert (code, out) == (2, [])  # no `Epoch N` line: nothing was trained
    assert err == [f"scratchnn-tui: error: there is no folder {missing.parent} to write {missing} in"]
    assert not missing.parent.exists()


def test_a_folder_the_same_file_as_the_checkpoint_or_the_app_are_refused(capsys, tmp_path):
    code, out, err = run(capsys, "--headless", "--fit-csv", str(tmp_path))
    assert (code, out, err) == (2, [], [f"scratchnn-tui: error: {tmp_path} is a folder; give a file name"])
    same = str(tmp_path / "x")
    code, out, err = run(capsys, "--headless", "--save", same, "--fit-csv", same)
    assert (code, out) == (2, []) and err == [f"scratchnn-tui: error: --fit-csv and --save name the same "
                                              f"file {same}; one would replace the other"]
    code, out, err = run(capsys, "--fit-csv", str(tmp_path / "f.csv"))  # without --headless: the app's key
    assert (code, out, err) == (2, [], ["scratchnn-tui: error: --fit-csv needs --headless; in the app press F"])


# -- in the app: the request F sends -------------------------------------------------------


def test_export_fit_writes_the_sessions_network_and_says_so(tmp_path):
    session = Session(task="square", hidden=(8,), optimizer="adam", lr=0.01, seed=1)
    session, _ = carry_out(session, Step(50))
    path = tmp_path / "fit.csv"
    kept, message = carry_out(session, ExportFit(str(path)))
    assert kept is session and message == f"Wrote the function view's 193 points to {path}"
    header, rows = read_csv(path)
    assert header[:2] == ["x", "y"] and header[-1] == "target"
    with torch.no_grad():
        expected = session.model(torch.tensor([[row["x"]] for row in rows]))[:, 0].tolist()
    assert [row["y"] for row in rows] == pytest.approx(expected, abs=1e-6)
    assert session.epoch == 50  # writing trains nothing


def test_export_fit_to_a_missing_folder_is_a_one_line_refusal(tmp_path):
    session = Session()
    with pytest.raises(SessionError, match="^could not write .*f.csv: "):
        carry_out(session, ExportFit(str(tmp_path / "gone" / "f.csv")))
    assert list(tmp_path.iterdir()) == []
