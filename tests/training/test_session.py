"""Session: the seed's facts, refusals that change nothing, cycling, reset, lr and device moves."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from scratchnn_tui.core import optim as core_optim
from scratchnn_tui.training import devices
from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.session import Session
from scratchnn_tui.training.snapshot import Snapshot

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
no_cuda = pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-GPU refusal")


# -- the seed's facts ----------------------------------------------------------------------


def test_triple_solved_first_epoch_is_exact():
    session = Session(task="triple", optimizer="solved")
    assert session.loss > 0  # the seeded start is not the answer
    assert session.step() is None
    assert session.loss == 0.0
    assert session.epoch == 1
    snap = session.snapshot()
    assert snap.layer.weight == ((3.0,),)
    assert snap.layer.bias == (0.0,)
    assert snap.loss == 0.0
    assert snap.layer.outputs == ((3.0,), (6.0,), (9.0,), (12.0,))
    assert snap.layer.outputs == snap.layer.targets


def test_seed_2x2_solved_gives_the_figure():
    session = Session(task="seed-2x2", optimizer="solved")
    session.step()
    layer = session.snapshot().layer
    assert layer.inputs == ((1.0, 2.0), (3.0, 4.0))
    assert layer.weight == ((5.0, 7.0), (6.0, 8.0))
    assert layer.bias == (0.0, 0.0)
    assert layer.pre_activation == ((19.0, 22.0), (43.0, 50.0))
    assert layer.outputs == ((19.0, 22.0), (43.0, 50.0))
    assert session.loss == 0.0
    assert (layer.in_features, layer.out_features, layer.batch_size) == (2, 2, 2)


def test_losses_start_with_the_initial_loss():
    session = Session(task="triple", optimizer="sgd", seed=8)
    # Oracle: nn.Linear drawn from the same seed, relu, mse.
    torch.manual_seed(8)
    linear = nn.Linear(1, 1)
    x = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
    with torch.no_grad():
        initial = F.mse_loss(torch.relu(linear(x)), 3 * x).item()
    assert session.losses == [initial]
    assert session.epoch == 0
    session.step(3)
    losses = session.losses
    assert losses[0] == initial
    assert len(losses) == session.epoch + 1 == 4
    assert session.loss == losses[-1]
    snap = session.snapshot()
    assert snap.losses == tuple(losses) and snap.loss == losses[-1] and snap.epoch == 3


def test_losses_length_tracks_epochs_through_snapshots():
    session = Session()
    for n in (1, 2, 5):
        session.step(n)
        snap = session.snapshot()  # reading pending losses through the snapshot ...
        assert len(snap.losses) == snap.epoch + 1
    assert len(session.losses) == session.epoch + 1 == 9  # ... never duplicates them


def test_same_seed_same_losses_different_seed_different():
    def run(seed):
        session = Session(task="seed-2x2", optimizer="momentum", seed=seed)
        session.step(10)
        return session.losses

    assert run(8) == run(8)
    assert run(8) != run(9)


def test_global_rng_neither_matters_nor_is_consumed():
    torch.manual_seed(0)
    first = Session(seed=8).snapshot().layer
    torch.rand(1000)  # disturb the global generator
    state = torch.get_rng_state()
    second = Session(seed=8).snapshot().layer
    assert first == second
    assert torch.equal(torch.get_rng_state(), state)


def test_snapshot_is_frozen_plain_numbers():
    snap = Session(task="seed-2x2").snapshot()
    assert isinstance(snap, Snapshot)
    with pytest.raises(AttributeError):
        snap.epoch = 5  # type: ignore[misc]
    numbers = [snap.lr, snap.loss, *snap.losses, *snap.layer.bias]
    numbers += [v for matrix in (snap.layer.weight, snap.layer.pre_activation, snap.layer.outputs) for row in matrix for v in row]
    assert all(type(v) is float for v in numbers)
    assert snap.task == "seed-2x2" and snap.optimizer_key == "sgd" and snap.device == "cpu"
    assert snap.solved_available is True
    assert Session(task="square").snapshot().solved_available is False


# -- refusals change nothing ---------------------------------------------------------------


def _trained(optimizer: str = "momentum", task: str = "triple") -> Session:
    session = Session(task=task, optimizer=optimizer)
    session.step(3)
    return session


REFUSALS = [
    ("set_lr", (0,)),
    ("set_lr", (-1,)),
    ("set_lr", (float("nan"),)),
    ("set_lr", (float("inf"),)),
    ("set_lr", ("abc",)),
    ("set_lr", ("nan",)),
    ("set_lr", (1e-9,)),
    ("set_lr", (1e7,)),
    ("scale_lr", (float("inf"),)),
    ("set_optimizer", ("nope",)),
    ("set_task", ("nope",)),
    ("set_seed", (-1,)),
    ("set_seed", ("x",)),
    ("move_to", ("tpu",)),
    ("move_to", ("cuda:x",)),
]


@pytest.mark.parametrize("method,args", REFUSALS, ids=[f"{m}{a!r}" for m, a in REFUSALS])
def test_refusal_leaves_session_unchanged(method, args):
    session = _trained()
    before = session.snapshot()
    optimizer = session.optimizer
    optimizer_state = {k: v["momentum_buffer"].clone() for k, v in optimizer.state_dict()["state"].items()}
    with pytest.raises(SessionError) as refusal:
        getattr(session, method)(*args)
    assert str(refusal.value) and "\n" not in str(refusal.value)
    assert session.snapshot() == before
    assert session.optimizer is optimizer
    after_state = optimizer.state_dict()["state"]
    assert all(torch.equal(after_state[k]["momentum_buffer"], v) for k, v in optimizer_state.items())
    # and it still trains as an untouched session would
    twin = _trained()
    session.step(2)
    twin.step(2)
    assert session.losses == twin.losses


def test_solved_on_square_is_refused_and_changes_nothing():
    session = _trained(optimizer="sgd", task="square")
    before = session.snapshot()
    with pytest.raises(SessionError, match="Solved"):
        session.set_optimizer("solved")
    assert session.snapshot() == before
    assert session.optimizer_key == "sgd"
    with pytest.raises(SessionError):
        Session(task="square", optimizer="solved")


@no_cuda
@pytest.mark.parametrize("device", ["cuda", "cuda:0", "CUDA"])
def test_move_to_cuda_without_gpu_is_refused(device):
    session = _trained()
    before = session.snapshot()
    with pytest.raises(SessionError) as refusal:
        session.move_to(device)
    assert str(refusal.value) == devices.NO_GPU == "No GPU: torch.cuda.is_available() is False"
    assert session.snapshot() == before


def test_move_to_tpu_names_the_choices():
    session = _trained()
    before = session.snapshot()
    with pytest.raises(SessionError, match="tpu"):
        session.move_to("tpu")
    assert session.snapshot() == before


@pytest.mark.parametrize("settings", [
    {"task": "nope"}, {"optimizer": "nope"}, {"lr": 0}, {"lr": float("nan")}, {"lr": "abc"},
    {"seed": -1}, {"device": "tpu"}, {"task": "square", "optimizer": "solved"},
])
def test_constructor_refuses_bad_settings(settings):
    with pytest.raises(SessionError):
        Session(**settings)


# -- cycling the optimizer and the task ----------------------------------------------------


def test_next_optimizer_cycles_through_all_four():
    session = Session(task="triple")
    seen = [session.optimizer_key]
    for _ in range(4):
        message = session.next_optimizer()
        seen.append(session.optimizer_key)
        assert message.startswith("Optimizer: ")
        assert "skipped" not in message
    assert seen == ["sgd", "momentum", "adam", "solved", "sgd"]
    assert type(session.optimizer) is core_optim.SGD


def test_next_optimizer_types_follow_the_keys():
    session = Session(task="seed-2x2")
    kinds = []
    for _ in range(4):
        session.next_optimizer()
        kinds.append(type(session.optimizer).__name__)
    assert kinds == ["SGD", "Adam", "Solved", "SGD"]
    session.next_optimizer()
    assert session.optimizer.param_groups[0]["momentum"] == 0.9


def test_next_optimizer_on_square_skips_solved():
    session = Session(task="square")
    seen = [session.optimizer_key]
    messages = []
    for _ in range(3):
        messages.append(session.next_optimizer())
        seen.append(session.optimizer_key)
    assert seen == ["sgd", "momentum", "adam", "sgd"]
    assert "Solved" in messages[-1] and "skipped" in messages[-1]
    assert all("Solved" not in m for m in messages[:-1])


def test_set_task_square_while_solved_falls_back_to_sgd():
    session = Session(task="triple", optimizer="solved")
    session.step()
    message = session.set_task("square")
    assert session.optimizer_key == "sgd"
    assert type(session.optimizer) is core_optim.SGD
    assert "Solved" in message
    snap = session.snapshot()
    assert snap.task == "square" and snap.epoch == 0 and snap.optimizer_key == "sgd"
    assert snap.lr == session.task.default_lr


def test_set_task_keeps_an_available_optimizer():
    session = Session(task="triple", optimizer="adam")
    message = session.set_task("seed-2x2")
    assert session.optimizer_key == "adam" and type(session.optimizer) is core_optim.Adam
    assert "Solved" not in message
    assert session.snapshot().layer.in_features == 2


def test_next_task_cycles_and_wraps():
    session = Session(task="triple")
    names = []
    for _ in range(4):
        session.next_task()
        names.append(session.task.name)
    assert names == ["seed-2x2", "square", "xor", "triple"]


# -- reset, lr, seed -----------------------------------------------------------------------


def test_reset_restores_epoch_zero_and_initial_weights():
    session = Session(task="seed-2x2", optimizer="momentum")
    initial = session.snapshot()
    session.step(5)
    assert session.snapshot().layer.weight != initial.layer.weight
    message = session.reset()
    assert "seed 8" in message
    assert session.epoch == 0
    assert session.snapshot() == initial
    # The optimizer state is fresh too: training now matches a brand-new session.
    fresh = Session(task="seed-2x2", optimizer="momentum")
    session.step(5)
    fresh.step(5)
    assert session.losses == fresh.losses


def test_set_lr_changes_param_groups():
    session = Session(task="triple", optimizer="momentum")
    assert session.optimizer.param_groups[0]["lr"] == 0.02
    assert session.set_lr(0.5) == "Learning rate: 0.5"
    assert session.lr == 0.5
    assert all(group["lr"] == 0.5 for group in session.optimizer.param_groups)
    assert session.snapshot().lr == 0.5
    session.scale_lr(0.5)
    assert session.optimizer.param_groups[0]["lr"] == 0.25 == session.lr
    session.set_lr("0.125")
    assert session.optimizer.param_groups[0]["lr"] == 0.125


def test_set_lr_takes_effect_on_training():
    a, b = Session(), Session()
    b.set_lr(0.001)
    a.step(3)
    b.step(3)
    assert a.losses != b.losses
    c = Session(lr=0.001)
    c.step(3)
    assert b.losses == c.losses


def test_set_lr_on_solved_is_kept_for_later():
    session = Session(optimizer="solved")
    session.set_lr(0.01)
    assert session.lr == 0.01
    session.set_optimizer("sgd")
    assert session.optimizer.param_groups[0]["lr"] == 0.01


def test_set_seed_redraws_and_resets():
    session = Session()
    first = session.snapshot().layer.weight
    session.step(2)
    session.set_seed(3)
    assert session.seed == 3 and session.epoch == 0
    assert session.snapshot().layer == Session(seed=3).snapshot().layer
    assert session.snapshot().layer.weight != first
