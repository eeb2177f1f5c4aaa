"""The surface view's training side: the path is the weights' history, the grid the exact loss,
the arrow the optimizer's real next step, the window still while the path stays in it.

Oracles: a plain PyTorch loop (nn.Linear, torch.optim) for the path, the loss written out in
float64 for the grid, the session's own next epoch for the step.
"""

import math

import pytest
import torch

from scratchnn_tui.core.net import ScratchNet
from torch import nn
from torch.nn import functional as F

from scratchnn_tui.training.param_path import ParameterPath, flat_index
from scratchnn_tui.training.race import Race
from scratchnn_tui.training.session import Session
from scratchnn_tui.training.surface_grid import SIDE
from scratchnn_tui.training.surface_view import SurfaceChoice
from scratchnn_tui.training.surface_window import Window, fit, follow

SHOWN = SurfaceChoice(shown=True)


def triple_loss(w: float, b: float) -> float:
    return sum((max(w * x + b, 0.0) - 3 * x) ** 2 for x in (1, 2, 3, 4)) / 4


def plain_loop(epochs: int, lr: float = 0.02, optimizer=torch.optim.SGD, **options) -> list[tuple[float, float]]:
    torch.manual_seed(8)
    layer = nn.Linear(1, 1)
    x = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
    y = 3 * x
    opt = optimizer(layer.parameters(), lr=lr, **options)
    points = [(layer.weight.item(), layer.bias.item())]
    for _ in range(epochs):
        opt.zero_grad()
        F.mse_loss(torch.relu(layer(x)), y).backward()
        opt.step()
        points.append((layer.weight.item(), layer.bias.item()))
    return points


def test_the_path_is_the_weights_after_each_epoch_as_a_plain_pytorch_loop_has_them():
    session = Session(task="triple", lr=0.02)
    session.step(30)
    session.train(20)  # run mode's way too: no epoch recorded by hand
    points, epochs = session.path_of(session.surface_pair(SHOWN))
    assert epochs == tuple(range(51))
    for got, want in zip(points, plain_loop(50), strict=True):
        assert got == pytest.approx(want, abs=1e-6)


def test_the_grid_is_the_exact_loss_of_triple_and_covers_path_and_answer():
    session = Session(task="triple", lr=0.02)
    session.step(100)
    view = session.surface_view(SHOWN)
    assert view.exact and view.names == ("w₁₁", "b₁") and view.answer == (3.0, 0.0)
    assert len(view.p1) == len(view.p2) == SIDE >= 40
    for j, b in enumerate(view.p2):
        for i, w in enumerate(view.p1):
            assert view.losses[j][i] == pytest.approx(triple_loss(w, b), rel=1e-9)  # in float64
    (low1, high1), (low2, high2) = view.window
    for w, b in [*view.paths[0].points, view.answer]:
        assert low1 <= w <= high1 and low2 <= b <= high2


def test_a_slice_holds_every_other_number_where_it_is():
    session = Session(task="xor", hidden=(4,), lr=0.1)
    session.step(10)
    choice = SurfaceChoice(shown=True, layer=0, neuron=2, index=1)
    view = session.surface_view(choice)
    assert not view.exact and view.names == ("w₃₂", "b₃") and view.pair.layer == 0
    x, y = session.batch
    for j, i in ((0, 0), (7, 30), (SIDE - 1, SIDE - 1), (24, 3)):
        twin = Session(task="xor", hidden=(4,))
        twin.model.load_state_dict(session.model.state_dict())
        with torch.no_grad():
            twin.model.layers[0].weight[2, 1] = view.p1[i]
            twin.model.layers[0].bias[2] = view.p2[j]
            want = F.mse_loss(twin.model(x), y).item()
        assert view.losses[j][i] == pytest.approx(want, rel=1e-5, abs=1e-7)


@pytest.mark.parametrize("key", ["sgd", "momentum", "adam", "solved"])
def test_the_step_drawn_is_where_the_next_epoch_lands(key):
    session = Session(task="triple", optimizer=key)
    session.step(3)
    step = session.surface_view(SHOWN).paths[0].step
    session.step(1)
    layer = session.model.layers[0]
    assert step == pytest.approx((layer.weight.item(), layer.bias.item()), abs=1e-7)


def test_the_step_on_a_copy_leaves_the_session_as_it_was():
    session = Session(task="triple", optimizer="adam")
    session.step(4)
    session.surface_view(SHOWN)  # Adam's moments are a state a careless copy would share
    session.step(1)
    twin = Session(task="triple", optimizer="adam")
    twin.step(5)
    for a, b in zip(session.model.parameters(), twin.model.parameters()):
        assert torch.equal(a, b)


def test_stepping_back_moves_the_point_back_and_the_path_walks_again_the_same():
    session = Session(task="triple")
    session.step(5)
    five = session.surface_view(SHOWN).paths[0]
    session.step_back(1)
    four = session.surface_view(SHOWN).paths[0]
    assert four.points == five.points[:5] and four.current == five.points[4]
    session.set_lr(0.04)  # training differently from here: the old epoch 5 is gone
    session.step(1)
    other = session.surface_view(SHOWN).paths[0]
    assert other.points[:5] == five.points[:5] and other.points[5] != five.points[5]
    assert len(other.points) == 6


def test_replay_from_keyframes_gives_the_same_path():
    session = Session(task="triple")
    session.step(40)
    whole = session.surface_view(SHOWN).paths[0].points
    session.step_back(37)  # back past two keyframes: epochs replayed from the one before
    session.step(37)
    assert session.surface_view(SHOWN).paths[0].points == whole


def test_a_number_typed_in_is_a_point_of_the_path_and_b_takes_it_back():
    session = Session(task="triple")
    session.step(2)
    session.set_number(0, 0, 2.5)
    path = session.surface_view(SHOWN).paths[0]
    assert path.current[0] == 2.5 and path.epochs[-2:] == (2, 2) and len(path.points) == 4
    session.step_back(1)
    assert len(session.surface_view(SHOWN).paths[0].points) == 3


def test_the_window_holds_still_while_the_path_is_in_it_and_grows_when_it_leaves():
    session = Session(task="triple")
    first = session.surface_view(SHOWN).window
    session.step(3)
    assert session.surface_view(SHOWN).window == first
    window = Window(0.0, 1.0, 0.0, 1.0)
    assert follow(window, [(0.5, 0.5)]) is window
    grown = follow(window, [(0.5, 0.5), (3.0, -2.0)])
    assert grown.covers([(0.0, 0.0), (1.0, 1.0), (3.0, -2.0)])
    session.reset()
    session.set_number(0, 0, 40.0)  # a far point: the window follows it
    assert session.surface_view(SHOWN).window[0][1] >= 40.0


def test_a_fitted_window_covers_its_points_with_a_margin_and_equal_spans():
    window = fit([(0.2, 0.7), (3.0, 0.0)])
    assert window.covers([(0.2, 0.7), (3.0, 0.0)])
    assert window.low1 < 0.2 and window.high1 > 3.0
    assert math.isclose(window.high1 - window.low1, window.high2 - window.low2)


def test_a_new_task_fits_the_window_again():
    session = Session(task="triple")
    session.set_number(0, 0, 40.0)
    far = session.surface_view(SHOWN).window
    session.reset()
    assert session.surface_view(SHOWN).window != far


def test_solved_jumps_in_one_step():
    session = Session(task="triple", optimizer="solved")
    session.step(1)
    path = session.surface_view(SHOWN).paths[0]
    assert len(path.points) == 2 and path.points[1] == (3.0, 0.0)


def test_the_race_draws_every_optimizer_from_one_start_on_one_surface():
    session = Session(task="triple")
    session.step(3)
    race = Race(session)
    race.train(20)
    view = race.surface(SHOWN)
    assert [path.key for path in view.paths] == ["sgd", "momentum", "adam", "solved"]
    starts = {path.points[0] for path in view.paths}
    assert len(starts) == 1
    assert all(path.epochs[-1] == 20 for path in view.paths)
    assert view.paths[3].points[1] == (3.0, 0.0)
    (low1, high1), (low2, high2) = view.window
    assert all(low1 <= w <= high1 and low2 <= b <= high2 for path in view.paths for w, b in path.points)


def test_the_snapshot_carries_the_surface_only_while_it_is_shown():
    session = Session(task="triple")
    assert session.snapshot().surface is None
    session.choose_surface(SHOWN)
    assert session.snapshot().surface is not None


def test_a_long_path_keeps_its_start_and_its_end_in_bounded_points():
    model = ScratchNet([1, 1])
    path = ParameterPath(model, capacity=64)  # a small capacity, to see it halve
    trace = path.tracer(model, edits=0)
    for epoch in range(1, 1001):
        with torch.no_grad():
            model.layers[0].weight.fill_(float(epoch))
        trace(epoch)
    path.read()
    assert path.epochs[0] == 0 and len(path.epochs) <= 64
    assert path.epochs == sorted(path.epochs) and path.every > 1
    assert all(values[0] == epoch for values, epoch in zip(path.values[1:], path.epochs[1:]))


def test_flat_index_follows_named_parameters():
    session = Session(task="xor", hidden=(4,))
    flat = torch.cat([p.detach().reshape(-1) for p in session.model.parameters()])
    layer = session.model.layers[1]
    assert flat[flat_index(session.model, 1, 0, 2)] == layer.weight[0, 2]
    assert flat[flat_index(session.model, 1, 0, 4)] == layer.bias[0]


def test_the_view_keeps_every_point_a_map_can_tell_apart_and_the_start_and_now():
    from scratchnn_tui.training.path_thinning import RESOLUTION, thin_indices

    session = Session(task="triple", lr=0.02)
    session.train(1000)  # SGD converging: hundreds of points within a dot of one another
    points, epochs = session.path_of(session.surface_pair(SHOWN))
    view = session.surface_view(SHOWN)
    drawn = view.paths[0]
    assert len(drawn.points) < len(points) // 5
    assert drawn.points[0] == points[0] and drawn.points[-1] == points[-1] and drawn.epochs[-1] == 1000
    (low1, high1), (low2, high2) = view.window
    step1, step2 = (high1 - low1) / RESOLUTION, (high2 - low2) / RESOLUTION
    kept = dict(zip(drawn.epochs, drawn.points))
    # every point left out lies within a step of the last one kept before it
    last = points[0]
    for epoch, point in zip(epochs, points):
        if epoch in kept:
            last = point
        else:
            assert abs(point[0] - last[0]) < step1 and abs(point[1] - last[1]) < step2
    # the first epochs move far: each one is kept
    assert list(drawn.epochs[:10]) == list(range(10))
    assert thin_indices([(0.0, 0.0)], Window(0, 1, 0, 1)) == [0]
