"""The function view's numbers against the core's forward pass, computed here independently."""

from __future__ import annotations

import pytest
import torch

from scratchnn_tui.training.function_grid import CURVE_POINTS, PLANE_SIDE, covering_range
from scratchnn_tui.training.function_view import CurveView, FunctionChoice, PlaneView
from scratchnn_tui.training.session import Session


def by_hand(session: Session, inputs) -> list[torch.Tensor]:
    """Each layer's output, A = relu(X Wᵀ + b) (linear at a deeper net's output), by hand."""
    a = torch.tensor(inputs, dtype=torch.float32)
    found = []
    for k, layer in enumerate(session.model.layers):
        z = a @ layer.weight.detach().T + layer.bias.detach()
        a = torch.relu(z) if session.model.relu_after[k] else z
        found.append(a)
    return found


def test_triple_solved_is_relu_3x_over_a_range_beyond_the_data():
    session = Session(task="triple", optimizer="solved")
    session.step(1)
    view = session.snapshot().function
    assert isinstance(view, CurveView) and len(view.xs) == CURVE_POINTS
    assert view.xs[0] < 0 and view.xs[-1] > 4
    assert view.ys == pytest.approx([max(0.0, 3 * x) for x in view.xs], abs=1e-5)
    assert view.target == pytest.approx([3 * x for x in view.xs])
    assert view.samples == ((1.0, 3.0), (2.0, 6.0), (3.0, 9.0), (4.0, 12.0))


def test_units_add_up_to_the_output_and_switch_on_at_their_hinges():
    session = Session(task="square", hidden="8", optimizer="adam", lr=0.01, seed=1)
    session.train(300)
    view = session.snapshot().function
    out = by_hand(session, [(x,) for x in view.xs])[-1][:, 0]
    assert view.ys == pytest.approx(out.tolist(), abs=1e-5)
    sums = [sum(unit[i] for unit in view.units) + view.output_bias for i in range(len(view.xs))]
    assert sums == pytest.approx(out.tolist(), abs=1e-5)
    hidden = session.model.layers[0]
    for k, at in enumerate(view.hinges):
        w, b = hidden.weight[k, 0].item(), hidden.bias[k].item()
        assert at == pytest.approx(-b / w)
        for x, term in zip(view.xs, view.units[k]):
            if (w * x + b) < -1e-6:  # off: the unit adds nothing
                assert term == 0
    samples_a = by_hand(session, session.task.inputs)[0]
    assert view.dead == tuple(bool((samples_a[:, k] == 0).all()) for k in range(8))


def test_the_plane_is_the_chosen_neurons_output_over_a_box_around_the_data():
    session = Session(task="xor", hidden="4", seed=3)
    session.train(50)
    view = session.snapshot().function
    assert isinstance(view, PlaneView) and len(view.x1) == len(view.x2) == PLANE_SIDE
    assert view.x1[0] < 0 < 1 < view.x1[-1] and view.x2[0] < 0 < 1 < view.x2[-1]
    points = [(a, b) for b in view.x2 for a in view.x1]
    out = by_hand(session, points)
    flat = [v for row in view.values for v in row]
    assert flat == pytest.approx(out[-1][:, 0].tolist(), abs=1e-5)
    assert view.labels == (0.0, 1.0, 1.0, 0.0)
    session.choose_function(FunctionChoice(layer=0, neuron=2))
    hidden = session.snapshot().function
    assert (hidden.layer, hidden.neuron, hidden.output_layer, hidden.labels) == (0, 2, False, None)
    assert [v for row in hidden.values for v in row] == pytest.approx(out[0][:, 2].tolist(), abs=1e-5)
    w, b = session.model.layers[0].weight.detach(), session.model.layers[0].bias.detach()
    assert hidden.lines == pytest.approx([(w[k, 0].item(), w[k, 1].item(), b[k].item()) for k in range(4)])


def test_a_choice_out_of_range_is_clamped_and_survives_a_new_task():
    session = Session(task="xor", hidden="4")
    session.choose_function(FunctionChoice(layer=7, neuron=9))
    view = session.snapshot().function
    assert (view.layer, view.neuron) == (1, 0)  # the output layer has one neuron
    session.set_task("triple")
    assert isinstance(session.snapshot().function, CurveView)


def test_the_range_covers_the_values_and_zero_with_a_margin():
    assert covering_range([1, 2, 3, 4]) == (-1.0, 5.0)
    assert covering_range([-2, -1]) == (-2.5, 0.5)
    assert covering_range([0, 0]) == (-0.25, 0.25)
