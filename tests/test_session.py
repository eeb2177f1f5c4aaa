"""Session: the seed's facts, refusals that change nothing, cycling, reset, lr and device moves."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from scratchnn_tui.engine import devices
from scratchnn_tui.engine import session as session_module
from scratchnn_tui.engine.errors import SessionError
from scratchnn_tui.engine.session import Session
from scratchnn_tui.engine.snapshot import Snapshot

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
    assert type(session.optimizer) is torch.optim.SGD


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
    assert type(session.optimizer) is torch.optim.SGD
    assert "Solved" in message
    snap = session.snapshot()
    assert snap.task == "square" and snap.epoch == 0 and snap.optimizer_key == "sgd"
    assert snap.lr == session.task.default_lr


def test_set_task_keeps_an_available_optimizer():
    session = Session(task="triple", optimizer="adam")
    message = session.set_task("seed-2x2")
    assert session.optimizer_key == "adam" and type(session.optimizer) is torch.optim.Adam
    assert "Solved" not in message
    assert session.snapshot().layer.in_features == 2


def test_next_task_cycles_and_wraps():
    session = Session(task="triple")
    names = []
    for _ in range(3):
        session.next_task()
        names.append(session.task.name)
    assert names == ["seed-2x2", "square", "triple"]


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


# -- devices ------------------------------------------------------------------------------


def test_move_to_current_device_is_a_no_op():
    session = _trained()
    before = session.snapshot()
    optimizer = session.optimizer
    assert session.move_to("cpu") == "Already on cpu"
    assert session.move_to(" CPU ") == "Already on cpu"
    assert session.snapshot() == before
    assert session.optimizer is optimizer


def test_move_keeps_weights_optimizer_state_and_history(monkeypatch):
    """A move through the real code path, to the cpu under another name ("cpu:0"), so it runs
    without a GPU: the optimizer is rebuilt and the old state loaded into it."""
    monkeypatch.setattr(session_module, "resolve_device", lambda name: name)
    session = Session(task="triple", optimizer="momentum")
    twin = Session(task="triple", optimizer="momentum")
    session.step(3)
    twin.step(3)
    before = session.snapshot()
    old_optimizer = session.optimizer
    old_buffers = [old_optimizer.state[p]["momentum_buffer"].clone() for p in session.model.parameters()]

    assert session.move_to("cpu:0") == "Device: cpu:0"
    assert session.device == "cpu:0"
    assert session.optimizer is not old_optimizer
    new_buffers = [session.optimizer.state[p]["momentum_buffer"] for p in session.model.parameters()]
    assert all(torch.equal(a, b) for a, b in zip(old_buffers, new_buffers))
    after = session.snapshot()
    assert after.device == "cpu:0"
    assert after.losses == before.losses and after.epoch == 3
    assert after.layer == before.layer

    session.step(4)
    twin.step(4)
    assert session.losses == twin.losses  # momentum carried over, not restarted


def test_losing_the_optimizer_state_would_show():
    """Control for the test above: a rebuilt optimizer without the old state trains differently."""
    session, twin = Session(optimizer="momentum"), Session(optimizer="momentum")
    session.step(3)
    twin.step(3)
    session.set_optimizer("momentum")  # fresh momentum buffers
    session.step(4)
    twin.step(4)
    assert session.losses != twin.losses


@no_cuda
def test_next_device_without_gpu_says_no_gpu():
    if devices.available_devices() != ["cpu"]:
        pytest.skip("this machine has another device (mps)")
    session = _trained()
    before = session.snapshot()
    with pytest.raises(SessionError) as refusal:
        session.next_device()
    assert str(refusal.value) == "No GPU: torch.cuda.is_available() is False"
    assert session.snapshot() == before
    with pytest.raises(SessionError, match="^No GPU: torch.cuda.is_available\\(\\) is False$"):
        devices.next_device("cpu")


def test_resolve_device_names():
    assert devices.resolve_device("cpu") == "cpu"
    assert devices.resolve_device(" Cpu ") == "cpu"
    assert devices.available_devices()[0] == "cpu"
    for bad in ("tpu", "cuda:", "cuda:-1", "gpu", "cuda0", ""):
        with pytest.raises(SessionError):
            devices.resolve_device(bad)


@pytest.fixture
def two_fake_gpus(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    mps = getattr(torch.backends, "mps", None)
    if mps is not None:
        monkeypatch.setattr(mps, "is_available", lambda: False)


def test_fake_gpus_are_listed(two_fake_gpus):
    assert devices.available_devices() == ["cpu", "cuda:0", "cuda:1"]
    assert devices.resolve_device("cuda") == "cuda:0"
    assert devices.resolve_device("cuda:1") == "cuda:1"
    assert devices.resolve_device("CUDA:0") == "cuda:0"
    assert devices.next_device("cpu") == "cuda:0"
    assert devices.next_device("cuda:0") == "cuda:1"
    assert devices.next_device("cuda:1") == "cpu"


@pytest.mark.parametrize("name", ["cuda:2", "cuda:5"])
def test_missing_gpu_index_names_the_count(two_fake_gpus, name):
    with pytest.raises(SessionError) as refusal:
        devices.resolve_device(name)
    text = str(refusal.value)
    assert name in text and "2 GPU" in text and "cuda:1" in text


def test_session_refuses_a_missing_gpu_index(two_fake_gpus):
    session = _trained()
    before = session.snapshot()
    with pytest.raises(SessionError, match="2 GPU"):
        session.move_to("cuda:5")
    assert session.snapshot() == before


@no_cuda
def test_a_failing_move_leaves_the_session_on_its_device(two_fake_gpus):
    """torch says a GPU is there but has no CUDA: the move fails inside torch, and the session
    must still be whole on the cpu (the worker reports such errors; the session stays usable)."""
    session = _trained()
    before = session.snapshot()
    with pytest.raises(SessionError, match="could not move to cuda:0, staying on cpu"):
        session.move_to("cuda:0")
    assert session.device == "cpu"
    assert session.model.layer.weight.device.type == "cpu"
    assert session.snapshot() == before
    session.step()
    assert session.epoch == 4


def test_out_of_memory_after_the_parameters_moved_puts_them_back(monkeypatch):
    """The fault comes late (loading the optimizer state, after Module.to has moved the
    parameters): the parameters go back, the old optimizer and its momentum stay, training goes on."""
    monkeypatch.setattr(session_module, "resolve_device", lambda name: name)
    session = _trained()
    twin = _trained()
    before = session.snapshot()
    optimizer = session.optimizer

    def out_of_memory(self, state):
        raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 MiB")

    monkeypatch.setattr(torch.optim.SGD, "load_state_dict", out_of_memory)
    with pytest.raises(SessionError, match="staying on cpu: RuntimeError: CUDA out of memory"):
        session.move_to("cpu:0")
    assert session.device == "cpu" and session.optimizer is optimizer
    assert session.snapshot() == before
    session.step(2)
    twin.step(2)
    assert session.losses == twin.losses


# -- real GPU moves (skipped without CUDA) --------------------------------------------------


@needs_cuda
def test_cuda_switch_mid_training_with_momentum():
    moved = Session(task="seed-2x2", optimizer="momentum")
    reference = Session(task="seed-2x2", optimizer="momentum")
    moved.step(5)
    history = moved.losses

    assert moved.move_to("cuda:0") == "Device: cuda:0"
    assert moved.snapshot().device == "cuda:0"
    assert moved.losses == history
    for param in moved.model.parameters():
        assert param.device.type == "cuda"
        assert moved.optimizer.state[param]["momentum_buffer"].device == param.device
    moved.step(5)
    assert moved.epoch == 10 and len(moved.losses) == 11

    assert moved.move_to("cpu") == "Device: cpu"
    for param in moved.model.parameters():
        assert param.device.type == "cpu"
        assert moved.optimizer.state[param]["momentum_buffer"].device == param.device
    moved.step(5)

    reference.step(15)
    assert moved.losses[:6] == reference.losses[:6]
    assert moved.losses == pytest.approx(reference.losses, abs=1e-5, rel=1e-5)


@needs_cuda
def test_cuda_next_device_cycles_and_keeps_history():
    session = Session(optimizer="adam")
    session.step(3)
    history = session.losses
    session.next_device()
    assert session.device == "cuda:0"
    assert session.losses == history
    session.step(2)
    for param in session.model.parameters():
        for value in session.optimizer.state[param].values():
            if isinstance(value, torch.Tensor) and value.dim() > 0:
                assert value.device == param.device
    while session.device != "cpu":
        session.next_device()
    assert math.isfinite(session.loss) and session.epoch == 5


@needs_cuda
def test_cuda_session_built_on_gpu_matches_cpu():
    gpu = Session(task="triple", optimizer="sgd", device="cuda")
    cpu = Session(task="triple", optimizer="sgd")
    assert gpu.device == "cuda:0"
    assert gpu.snapshot().layer.weight == cpu.snapshot().layer.weight
    gpu.step(10)
    cpu.step(10)
    assert gpu.losses == pytest.approx(cpu.losses, abs=1e-5, rel=1e-5)


# -- the loss after each epoch, recorded without a second forward pass ----------------------


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam", "solved"])
def test_losses_recorded_from_the_next_forward_equal_losses_measured_after_each_update(optimizer):
    lazy = Session(task="seed-2x2", optimizer=optimizer)
    lazy.step(7)
    lazy.snapshot()  # a read in the middle measures the current loss once...
    lazy.step(13)  # ...and the next epoch must not record it again
    eager = Session(task="seed-2x2", optimizer=optimizer)
    measured = [eager.loss]
    for _ in range(20):
        eager.step()
        with torch.no_grad():
            measured.append(F.mse_loss(eager.model(eager._x), eager._y).item())
    assert lazy.losses == measured
    assert len(lazy.losses) == lazy.epoch + 1


def test_a_long_run_keeps_a_bounded_history_with_exact_first_and_last():
    session = Session()
    session.step(5000)
    snapshot = session.snapshot()
    assert len(snapshot.losses) <= 2048 < 5001
    assert snapshot.loss_bucket > 1
    assert snapshot.loss_first == Session().loss
    assert snapshot.loss == session.loss


def test_a_gpu_that_fails_to_initialise_is_a_message_and_the_session_stays(monkeypatch):
    def broken():
        raise RuntimeError("CUDA driver initialization failed, you might not have a CUDA gpu.")

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", broken)
    session = _trained()
    before = session.snapshot()
    for attempt in (session.next_device, lambda: session.move_to("cuda")):
        with pytest.raises(SessionError, match="the GPU failed to initialise: CUDA driver initialization failed"):
            attempt()
    assert session.snapshot() == before
    session.step()
    assert session.epoch == before.epoch + 1
