"""`Solved`, the fake optimizer, and the optimizer registry checked against torch.optim itself."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from scratchnn_tui.core import optim as core_optim
from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.core.net import ScratchNet
from scratchnn_tui.core.optim import Solved
from scratchnn_tui.training.optimizers import OPTIMIZERS, get_optimizer
from scratchnn_tui.training.session import Session
from scratchnn_tui.training.tasks import TASKS

# The seed article's answers, written out (not read from tasks.py).
TRIPLE_ANSWER = {"layers.0.weight": [[3.0]], "layers.0.bias": [0.0]}
FIGURE_ANSWER = {"layers.0.weight": [[5.0, 7.0], [6.0, 8.0]], "layers.0.bias": [0.0, 0.0]}


def _net(in_features: int, out_features: int, seed: int = 0) -> ScratchNet:
    torch.manual_seed(seed)
    return ScratchNet([in_features, out_features])


# -- Solved --------------------------------------------------------------------------------


def test_solved_is_a_torch_optimizer():
    assert issubclass(Solved, torch.optim.Optimizer)
    optimizer = Solved(_net(1, 1).named_parameters(), TRIPLE_ANSWER)
    assert isinstance(optimizer, torch.optim.Optimizer)


def test_one_step_sets_the_triple_answer():
    net = _net(1, 1)
    assert net.layers[0].weight.item() != 3.0  # starts elsewhere
    optimizer = Solved(net.named_parameters(), TRIPLE_ANSWER)
    assert optimizer.step() is None
    assert net.layers[0].weight.tolist() == [[3.0]]
    assert net.layers[0].bias.tolist() == [0.0]
    # y = 3x for positive x: the loss is exactly zero.
    x = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
    assert F.mse_loss(net(x), 3 * x).item() == 0.0


def test_one_step_sets_the_figure_answer():
    net = _net(2, 2)
    optimizer = Solved(net.named_parameters(), FIGURE_ANSWER)
    optimizer.step()
    assert net.layers[0].weight.tolist() == [[5.0, 7.0], [6.0, 8.0]]
    assert net.layers[0].bias.tolist() == [0.0, 0.0]
    assert net(torch.tensor([[1.0, 2.0], [3.0, 4.0]])).tolist() == [[19.0, 22.0], [43.0, 50.0]]


def test_step_changes_parameters_in_place():
    net = _net(2, 2)
    weight, bias = net.layers[0].weight, net.layers[0].bias
    Solved(net.named_parameters(), FIGURE_ANSWER).step()
    assert net.layers[0].weight is weight and net.layers[0].bias is bias
    assert weight.requires_grad and bias.requires_grad


def test_answer_may_be_tensors():
    net = _net(2, 2)
    answer = {name: torch.tensor(value) for name, value in FIGURE_ANSWER.items()}
    Solved(net.named_parameters(), answer).step()
    assert net.layers[0].weight.tolist() == [[5.0, 7.0], [6.0, 8.0]]


def test_param_groups_carry_names_and_zero_grad_works():
    net = _net(1, 1)
    optimizer = Solved(net.named_parameters(), TRIPLE_ANSWER)
    assert len(optimizer.param_groups) == 1
    group = optimizer.param_groups[0]
    assert group["param_names"] == ["layers.0.weight", "layers.0.bias"]
    assert group["params"][0] is net.layers[0].weight and group["params"][1] is net.layers[0].bias

    x = torch.tensor([[1.0], [2.0]])
    F.mse_loss(net(x), 3 * x).backward()
    assert net.layers[0].weight.grad is not None
    optimizer.zero_grad()
    assert net.layers[0].weight.grad is None and net.layers[0].bias.grad is None


def test_state_dict_round_trip():
    net = _net(2, 2)
    optimizer = Solved(net.named_parameters(), FIGURE_ANSWER)
    state = optimizer.state_dict()
    assert state["param_groups"][0]["param_names"] == ["layers.0.weight", "layers.0.bias"]
    assert state["param_groups"][0]["params"] == [0, 1]

    other = _net(2, 2, seed=1)
    fresh = Solved(other.named_parameters(), FIGURE_ANSWER)
    fresh.load_state_dict(state)
    assert fresh.param_groups[0]["param_names"] == ["layers.0.weight", "layers.0.bias"]
    fresh.step()
    assert other.layers[0].weight.tolist() == [[5.0, 7.0], [6.0, 8.0]]


def test_rejects_unnamed_parameters():
    with pytest.raises(ValueError, match="named_parameters"):
        Solved(_net(1, 1).parameters(), TRIPLE_ANSWER)


def test_rejects_a_missing_name():
    with pytest.raises(ValueError, match="layers.0.bias"):
        Solved(_net(1, 1).named_parameters(), {"layers.0.weight": [[3.0]]})


def test_rejects_a_wrong_shape():
    with pytest.raises(ValueError, match="shape"):
        Solved(_net(1, 1).named_parameters(), {"layers.0.weight": [[3.0, 1.0]], "layers.0.bias": [0.0]})
    # The triple answer does not fit the 2×2 layer either.
    with pytest.raises(ValueError):
        Solved(_net(2, 2).named_parameters(), TRIPLE_ANSWER)


def test_closure_is_called_with_grad_and_its_loss_returned():
    net = _net(1, 1)
    x = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
    calls = []

    def closure():
        calls.append(torch.is_grad_enabled())
        loss = F.mse_loss(net(x), 3 * x)
        loss.backward()  # needs grad enabled even though step() runs under no_grad
        return loss

    optimizer = Solved(net.named_parameters(), TRIPLE_ANSWER)
    before = F.mse_loss(net(x), 3 * x).item()
    returned = optimizer.step(closure)
    assert calls == [True]
    assert isinstance(returned, torch.Tensor)
    assert returned.item() == pytest.approx(before)  # the loss before the jump
    assert net.layers[0].weight.grad is not None
    assert net.layers[0].weight.tolist() == [[3.0]]


def test_works_on_float64_parameters():
    net = _net(2, 2).double()
    Solved(net.named_parameters(), FIGURE_ANSWER).step()
    assert net.layers[0].weight.dtype == torch.float64
    assert net.layers[0].weight.tolist() == [[5.0, 7.0], [6.0, 8.0]]
    out = net(torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64))
    assert out.dtype == torch.float64
    assert out.tolist() == [[19.0, 22.0], [43.0, 50.0]]


def test_step_leaves_no_optimizer_state():
    net = _net(1, 1)
    optimizer = Solved(net.named_parameters(), TRIPLE_ANSWER)
    optimizer.step()
    assert len(optimizer.state) == 0


# -- the registry --------------------------------------------------------------------------


def test_registry_keys_in_cycle_order():
    assert list(OPTIMIZERS) == ["sgd", "momentum", "adam", "solved"]
    assert [key for key, choice in OPTIMIZERS.items() if choice.needs_answer] == ["solved"]
    for key, choice in OPTIMIZERS.items():
        assert choice.key == key and choice.label and choice.blurb


@pytest.mark.parametrize("key", ["nope", "SGD", "", "Solved"])
def test_unknown_key_is_a_session_error(key):
    with pytest.raises(SessionError, match="unknown optimizer"):
        get_optimizer(key)
    with pytest.raises(SessionError):
        Session(optimizer=key)


def test_sgd_builds_the_hand_written_sgd():
    net = _net(1, 1)
    optimizer = OPTIMIZERS["sgd"].build(net.named_parameters(), 0.125, None)
    assert type(optimizer) is core_optim.SGD
    group = optimizer.param_groups[0]
    assert group["lr"] == 0.125 and group["momentum"] == 0
    assert group["params"][0] is net.layers[0].weight


def test_momentum_builds_the_hand_written_sgd_with_momentum():
    optimizer = OPTIMIZERS["momentum"].build(_net(1, 1).named_parameters(), 0.25, None)
    assert type(optimizer) is core_optim.SGD
    assert optimizer.param_groups[0]["momentum"] == 0.9
    assert optimizer.param_groups[0]["lr"] == 0.25


def test_adam_builds_the_hand_written_adam():
    optimizer = OPTIMIZERS["adam"].build(_net(1, 1).named_parameters(), 0.5, None)
    assert type(optimizer) is core_optim.Adam
    assert optimizer.param_groups[0]["lr"] == 0.5


def test_solved_builds_solved_and_needs_an_answer():
    optimizer = OPTIMIZERS["solved"].build(_net(1, 1).named_parameters(), 0.1, TRIPLE_ANSWER)
    assert type(optimizer) is Solved
    with pytest.raises(SessionError):
        OPTIMIZERS["solved"].build(_net(1, 1).named_parameters(), 0.1, None)


_TORCH_OPTIMIZERS = {
    "sgd": lambda params, lr: torch.optim.SGD(params, lr=lr),
    "momentum": lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=0.9),
    "adam": lambda params, lr: torch.optim.Adam(params, lr=lr),
}


def _reference_losses(task_name: str, key: str, lr: float, seed: int, epochs: int) -> list[float]:
    """The hand-written loop: nn.Linear + relu + mse + torch.optim, loss measured after each update."""
    task = TASKS[task_name]
    torch.manual_seed(seed)
    linear = nn.Linear(task.in_features, task.out_features)
    x, y = torch.tensor(task.inputs), torch.tensor(task.targets)
    optimizer = _TORCH_OPTIMIZERS[key](linear.parameters(), lr)

    def loss():
        return F.mse_loss(torch.relu(linear(x)), y)

    with torch.no_grad():
        losses = [loss().item()]
    for _ in range(epochs):
        optimizer.zero_grad()
        loss().backward()
        optimizer.step()
        with torch.no_grad():
            losses.append(loss().item())
    return losses


@pytest.mark.parametrize("key", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("task_name,lr,seed", [("triple", 0.02, 8), ("seed-2x2", 0.005, 8), ("square", 0.05, 5)])
def test_session_matches_torch_reference_loop(key, task_name, lr, seed):
    epochs = 20
    session = Session(task=task_name, optimizer=key, lr=lr, seed=seed)
    expected = _reference_losses(task_name, key, lr, seed, epochs)
    # Same starting point first (the session draws its weights as nn.Linear does).
    assert session.losses[0] == pytest.approx(expected[0], abs=1e-6)
    session.step(epochs)
    got = session.losses
    assert len(got) == epochs + 1
    assert got == pytest.approx(expected, abs=1e-6, rel=1e-6)
    assert got[-1] != got[0]  # it did train


def test_reference_loop_tells_optimizers_apart():
    """The oracle comparison can fail: the three optimizers give different curves."""
    curves = {key: _reference_losses("triple", key, 0.02, 8, 20) for key in _TORCH_OPTIMIZERS}
    assert curves["sgd"] != pytest.approx(curves["momentum"], abs=1e-3)
    assert curves["sgd"] != pytest.approx(curves["adam"], abs=1e-3)
    assert curves["momentum"] != pytest.approx(curves["adam"], abs=1e-3)
