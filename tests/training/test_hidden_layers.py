"""Hidden layers (`--hidden`): the session's network, what it shows of each layer, edits in any
layer, and the tasks that need depth. PyTorch's autograd and forward pass are the oracles."""

from __future__ import annotations

import pytest
import torch

from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.session import Session
from scratchnn_tui.training.values import check_hidden


@pytest.mark.parametrize("text, widths", [("8", (8,)), ("4,3", (4, 3)), (" 2, 2 ", (2, 2)), ("none", ()),
                                           ("", ()), ("1,64,1,64", (1, 64, 1, 64))])
def test_check_hidden_reads_widths(text, widths):
    assert check_hidden(text) == widths


@pytest.mark.parametrize("text, reason", [("0", "between 1 and 64"), ("65", "between 1 and 64"),
                                          ("1,2,3,4,5", "at most 4 hidden layers"), ("a", "whole number"),
                                          ("4,,3", "whole number"), ("-2", "between 1 and 64"),
                                          ("2.5", "whole number")])
def test_check_hidden_refuses_with_the_reason(text, reason):
    with pytest.raises(SessionError, match=reason):
        check_hidden(text)


def test_the_network_has_the_hidden_layers_and_the_snapshot_every_layer_as_torch_computes_it():
    session = Session(task="xor", hidden="4,3", optimizer="adam", lr=0.02, seed=1)
    session.step(5)
    snapshot = session.snapshot()
    assert session.sizes == snapshot.sizes == (2, 4, 3, 1)
    x = torch.tensor(session.task.inputs)
    for k, (layer, view) in enumerate(zip(session.model.layers, snapshot.layers)):
        with torch.no_grad():
            z = x @ layer.weight.T + layer.bias
            a = torch.relu(z) if k < 2 else z  # hidden layers relu, the output linear
        assert view.position == k and view.relu == (k < 2)
        assert view.inputs == tuple(map(tuple, x.tolist()))
        assert view.pre_activation == tuple(map(tuple, z.tolist()))
        assert view.outputs == tuple(map(tuple, a.tolist()))
        assert view.targets == (session.task.targets if k == 2 else None)
        x = a
    assert snapshot.layer is snapshot.layers[-1]
    assert snapshot.loss == torch.nn.functional.mse_loss(x, torch.tensor(session.task.targets)).item()


def test_the_update_of_every_layer_matches_autograd_and_the_gradient_coming_down():
    session = Session(task="xor", hidden="3", optimizer="sgd", lr=0.1, seed=2)
    net = session.model
    x, y = session.batch
    outputs = []
    hidden = torch.relu(x @ net.layers[0].weight.T + net.layers[0].bias)
    hidden.retain_grad()
    loss = torch.nn.functional.mse_loss(hidden @ net.layers[1].weight.T + net.layers[1].bias, y)
    loss.backward()
    outputs = hidden.grad.tolist()  # ∂L/∂A of the hidden layer, by autograd
    expected = [net.layers[0].weight.grad.tolist(), net.layers[1].weight.grad.tolist()]
    net.zero_grad()
    session.step()
    update = session.last_update
    assert len(update.layers) == 2
    for k in range(2):
        by_hand = [n.by_hand for row in update.at(k).weight for n in row]
        assert by_hand == pytest.approx([g for row in expected[k] for g in row])
    for k in range(2):
        for row in update.at(k).weight:
            for number in row:
                assert number.by_hand == pytest.approx(number.autograd, abs=1e-7)
                assert number.after == pytest.approx(number.before - 0.1 * number.autograd, abs=1e-7)
    assert update.at(0).above is update.layers[1] and update.above is None
    assert [d for row in update.layers[0].d_outputs for d in row] == pytest.approx([d for row in outputs for d in row])


def test_a_hidden_weight_typed_in_moves_the_loss_and_b_undoes_it():
    session = Session(task="xor", hidden="2", seed=3)
    before = session.loss
    message = session.set_number(1, 0, "2.5", layer=0)
    assert "of layer 1" in message
    assert session.model.layers[0].weight[1, 0].item() == 2.5
    with torch.no_grad():
        assert session.loss == torch.nn.functional.mse_loss(session.model(session.batch[0]), session.batch[1]).item()
    session.step_back()
    assert session.loss == before and session.model.layers[0].weight[1, 0].item() != 2.5
    with pytest.raises(SessionError, match="no layer 3"):
        session.set_number(0, 0, "1", layer=2)


def test_solved_needs_the_one_layer_network_its_answer_is_for():
    with pytest.raises(SessionError, match="Solved is unavailable with hidden layers"):
        Session(task="triple", hidden="3", optimizer="solved")
    session = Session(task="triple", optimizer="solved")
    with pytest.raises(SessionError, match="Solved is unavailable with hidden layers"):
        session.set_hidden("3")
    assert session.hidden == () and session.sizes == (1, 1)  # refused: unchanged
    deep = Session(task="triple", hidden="3")
    assert deep.snapshot().solved_available is False
    with pytest.raises(SessionError, match="Solved is unavailable"):
        deep.set_optimizer("solved")


def test_set_hidden_redraws_the_network_from_the_seed_at_epoch_0():
    session = Session(task="square", seed=4)
    session.step(3)
    message = session.set_hidden("8")
    assert "1→8→1" in message and "epoch 0" in message
    assert session.epoch == 0 and session.sizes == (1, 8, 1)
    fresh = Session(task="square", seed=4, hidden=(8,))
    assert all(torch.equal(a, b) for a, b in zip(session.model.parameters(), fresh.model.parameters()))
    session.set_hidden("")
    assert session.sizes == (1, 1)


def test_xor_needs_a_hidden_layer():
    flat = Session(task="xor", optimizer="adam", lr=0.02, seed=0)
    flat.step(2000)
    assert flat.loss >= 0.1
    deep = Session(task="xor", hidden="4", optimizer="adam", lr=0.02, seed=0)
    deep.step(2000)
    assert deep.loss < 0.01


def test_square_with_a_hidden_layer_beats_the_straight_line_or_stops_at_it():
    ends = []
    for seed in (0, 1):  # seed 1 fits the curve; seed 0's hidden neurons settle on one line
        session = Session(task="square", hidden="8", optimizer="adam", lr=0.01, seed=seed)
        session.step(3000)
        ends.append(session.loss)
    assert ends[1] < 1e-3
    assert ends[0] == pytest.approx(0.0625, abs=1e-6)  # the best straight line's loss
    line = Session(task="square", optimizer="adam", lr=0.01, seed=0)
    line.step(3000)
    assert line.loss == pytest.approx(0.0625, abs=1e-3)
