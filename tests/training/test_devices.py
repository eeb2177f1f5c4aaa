"""Devices: which exist, moving a session between them (optimizer state included), and faults
injected where no GPU is (none there, one that fails to start, out of memory midway)."""

from __future__ import annotations

import math

import pytest
import torch

from scratchnn_tui.core import optim as core_optim
from scratchnn_tui.training import devices
from scratchnn_tui.training import session as session_module
from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.session import Session

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
no_cuda = pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-GPU refusal")


def _trained(optimizer: str = "momentum", task: str = "triple") -> Session:
    session = Session(task=task, optimizer=optimizer)
    session.step(3)
    return session


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
    assert session.model.layers[0].weight.device.type == "cpu"
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

    monkeypatch.setattr(core_optim.SGD, "load_state_dict", out_of_memory)
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
