"""The surface view as CSV (`--surface-csv` headless, `ExportSurface` from the app's V): the
grid checked against the loss written out by hand, the path against a plain PyTorch loop
(nn.Linear and torch.optim, seed 8), the race's paths against one another's start."""

from __future__ import annotations

import csv
import math

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from scratchnn_tui.runtime.dispatch import carry_out
from scratchnn_tui.runtime.requests import ExportSurface, Step
from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.race import Race
from scratchnn_tui.training.session import Session
from scratchnn_tui.training.surface_view import SurfaceChoice
from scratchnn_tui.storage.surface_csv import surface_csv_text, write_surface_csv

from cli_run import run


def read_rows(path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="") as file:
        rows = list(csv.reader(file))
    return rows[0], rows[1:]


def triple_loss(w: float, b: float) -> float:
    return sum((max(w * x + b, 0.0) - 3 * x) ** 2 for x in (1, 2, 3, 4)) / 4


def plain_loop(epochs: int) -> list[tuple[float, float]]:
    torch.manual_seed(8)
    layer = nn.Linear(1, 1)
    x = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.02)
    points = [(layer.weight.item(), layer.bias.item())]
    for _ in range(epochs):
        optimizer.zero_grad()
        F.mse_loss(torch.relu(layer(x)), 3 * x).backward()
        optimizer.step()
        points.append((layer.weight.item(), layer.bias.item()))
    return points


def test_triple_after_100_epochs_grid_is_the_exact_loss_and_path_the_plain_loops(capsys, tmp_path):
    path = tmp_path / "s.csv"
    code, _, err = run(capsys, "--headless", "--task", "triple", "--epochs", "100", "--surface-csv", str(path))
    assert code == 0 and "2401 grid points and 101 path points" in err[-1]
    header, rows = read_rows(path)
    assert header == ["kind", "epoch", "w11", "b1", "loss"]
    grid = [row for row in rows if row[0] == "grid"]
    walk = [row for row in rows if row[0] == "path"]
    assert len(grid) == 2401 and len(walk) == 101 and len(rows) == 2502
    for kind, epoch, w, b, loss in grid:
        assert epoch == ""
        assert float(loss) == pytest.approx(triple_loss(float(w), float(b)), rel=1e-9)  # float64: exact
    assert [int(row[1]) for row in walk] == list(range(101))
    for (_, _, w, b, loss), (want_w, want_b) in zip(walk, plain_loop(100), strict=True):
        assert float(w) == pytest.approx(want_w, abs=1e-6) and float(b) == pytest.approx(want_b, abs=1e-6)
        assert float(loss) == pytest.approx(triple_loss(want_w, want_b), rel=1e-4)
    ws = sorted({float(row[2]) for row in grid})
    bs = sorted({float(row[3]) for row in grid})
    for w, b in [*((float(row[2]), float(row[3])) for row in walk), (3.0, 0.0)]:
        assert ws[0] <= w <= ws[-1] and bs[0] <= b <= bs[-1]


def test_solved_after_one_epoch_has_two_path_rows_the_start_and_the_answer(capsys, tmp_path):
    path = tmp_path / "s.csv"
    code, _, _ = run(capsys, "--headless", "--task", "triple", "--optimizer", "solved", "--epochs", "1",
                     "--surface-csv", str(path))
    assert code == 0
    walk = [row for row in read_rows(path)[1] if row[0] == "path"]
    start = plain_loop(0)[0]
    assert len(walk) == 2
    assert (float(walk[0][2]), float(walk[0][3])) == pytest.approx(start, abs=1e-6)
    assert [walk[1][1], float(walk[1][2]), float(walk[1][3]), float(walk[1][4])] == ["1", 3.0, 0.0, 0.0]


def test_the_race_writes_a_path_per_optimizer_all_from_one_start(capsys, tmp_path):
    path = tmp_path / "r.csv"
    code, out, err = run(capsys, "--race", "--headless", "--epochs", "200", "--surface-csv", str(path))
    assert code == 0 and out[0].startswith("optimizer")
    _, rows = read_rows(path)
    kinds = {row[0] for row in rows}
    assert kinds == {"grid", "sgd", "momentum", "adam", "solved"}
    starts = set()
    for kind in ("sgd", "momentum", "adam", "solved"):
        walk = [row for row in rows if row[0] == kind]
        assert [int(row[1]) for row in walk] == list(range(201))
        starts.add((walk[0][2], walk[0][3]))
    assert len(starts) == 1
    # Each racer's path is its own: momentum's last point is not SGD's.
    last = {row[0]: (row[2], row[3]) for row in rows if row[0] != "grid"}
    assert len(set(last.values())) == 4 and last["solved"] == ("3.0", "0.0")


def test_a_deeper_net_names_its_layers_and_the_path_loss_is_the_whole_networks(tmp_path):
    session = Session(task="xor", hidden=(4,), lr=0.1)
    session.choose_surface(SurfaceChoice(True, 0, 2, 1))  # the screen's pair, as ChooseSurface sets it
    session.step(5)
    write_surface_csv(session, tmp_path / "x.csv")
    header, rows = read_rows(tmp_path / "x.csv")
    assert header == ["kind", "epoch", "layer1_w32", "layer1_b3", "loss"]
    walk = [row for row in rows if row[0] == "path"]
    assert [row[1] for row in walk] == ["0", "1", "2", "3", "4", "5"]
    x, y = session.batch
    with torch.no_grad():
        now = F.mse_loss(session.model(x), y).item()
    assert float(walk[-1][4]) == pytest.approx(now, rel=1e-6)
    assert float(walk[-1][2]) == session.model.layers[0].weight[2, 1].item()
    assert float(walk[-1][3]) == session.model.layers[0].bias[2].item()


def test_a_missing_folder_is_refused_before_training_and_the_app_names_its_key(capsys, tmp_path):
    code, out, err = run(capsys, "--headless", "--epochs", "3", "--surface-csv", str(tmp_path / "no" / "s.csv"))
    assert code == 2 and out == [] and len(err) == 1 and "no folder" in err[0]
    code, out, err = run(capsys, "--surface-csv", str(tmp_path / "s.csv"))
    assert code == 2 and err == ["scratchnn-tui: error: --surface-csv needs --headless; in the app press V"]
    code, out, err = run(capsys, "--headless", "--fit-csv", str(tmp_path / "a.csv"), "--surface-csv",
                         str(tmp_path / "a.csv"))
    assert code == 2 and "same file" in err[0]


def test_export_surface_writes_the_sessions_path_and_says_so(tmp_path):
    session = Session(task="triple")
    session, _ = carry_out(session, Step(3))
    session, note = carry_out(session, ExportSurface(str(tmp_path / "v.csv")))
    assert note.startswith("Wrote the loss surface's 2401 grid points and 4 path points")
    walk = [row for row in read_rows(tmp_path / "v.csv")[1] if row[0] == "path"]
    assert [(float(w), float(b)) for _, _, w, b, _ in walk] == pytest.approx(plain_loop(3), abs=1e-6)
    with pytest.raises(SessionError):
        carry_out(session, ExportSurface(str(tmp_path / "missing" / "v.csv")))
    _, note = carry_out(Session(task="triple"), ExportSurface(str(tmp_path / "start.csv")))
    assert note.startswith("Wrote the loss surface's 2401 grid points and 1 path point to ")


def test_a_race_table_has_every_racers_path_and_every_loss_is_finite():
    session = Session(task="triple")
    race = Race(session)
    race.step(10)
    text, grid, points = surface_csv_text(race)
    assert grid == 2401 and points == 4 * 11
    assert all(math.isfinite(float(line.rsplit(",", 1)[1])) for line in text.splitlines()[1:])


def test_a_headless_run_longer_than_the_apps_path_still_has_a_row_an_epoch(capsys, tmp_path):
    from scratchnn_tui.training.param_path import DEFAULT_CAPACITY

    epochs = DEFAULT_CAPACITY + 300  # past what the app keeps before it thins its path
    path = tmp_path / "long.csv"
    code, _, _ = run(capsys, "--headless", "--task", "triple", "--epochs", str(epochs), "--surface-csv", str(path))
    assert code == 0
    walk = [row for row in read_rows(path)[1] if row[0] == "path"]
    assert [int(row[1]) for row in walk] == list(range(epochs + 1))
