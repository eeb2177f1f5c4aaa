"""What the status line says about a GPU, read in the training process as plain data, and which
`cuda:N` exist (those CUDA_VISIBLE_DEVICES leaves visible, numbered as PyTorch numbers them)."""

from __future__ import annotations

import os

import pytest
import torch

from scratchnn_tui.training import devices
from scratchnn_tui.training import session as session_module
from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.session import Session
from scratchnn_tui.training.snapshot import GpuView


@pytest.fixture
def fake_gpus(monkeypatch):
    """Two visible GPUs that answer for their name and allocated memory, recording the index."""
    asked = []

    def name(index):
        asked.append(index)
        return f"NVIDIA H200 #{index}"

    monkeypatch.setattr(torch.cuda, "get_device_name", name)
    monkeypatch.setattr(torch.cuda, "memory_allocated", lambda index: 8192 * (index + 1))
    return asked


def test_a_cuda_device_is_described_by_name_and_allocated_memory(fake_gpus):
    assert devices.describe_device("cuda:1") == GpuView("NVIDIA H200 #1", 16384)
    assert devices.describe_device("cuda") == GpuView("NVIDIA H200 #0", 8192)
    assert fake_gpus == [1, 0]


def test_the_cpu_and_mps_have_no_gpu_line(fake_gpus):
    assert devices.describe_device("cpu") is None
    assert devices.describe_device("mps") is None
    assert fake_gpus == []


def test_a_driver_that_cannot_say_leaves_the_line_without_it(monkeypatch):
    def broken(index):
        raise RuntimeError("CUDA error: unspecified launch failure")

    monkeypatch.setattr(torch.cuda, "get_device_name", broken)
    assert devices.describe_device("cuda:0") is None


def test_the_snapshot_carries_the_description_as_plain_data(monkeypatch):
    monkeypatch.setattr(session_module, "describe_device",
                        lambda device: GpuView("NVIDIA H200", 4096) if device == "cpu" else None)
    assert Session().snapshot().gpu == GpuView("NVIDIA H200", 4096)


def test_without_a_gpu_the_snapshot_has_none():
    assert Session().snapshot().gpu is None


def test_cuda_n_counts_the_devices_cuda_visible_devices_leaves(monkeypatch):
    """CUDA_VISIBLE_DEVICES=3,5 on an 8-GPU box: PyTorch sees two, as cuda:0 and cuda:1."""
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "3,5")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    # What torch.cuda.device_count() answers there: the visible devices, not the machine's.
    monkeypatch.setattr(torch.cuda, "device_count", lambda: len(os.environ["CUDA_VISIBLE_DEVICES"].split(",")))
    mps = getattr(torch.backends, "mps", None)
    if mps is not None:
        monkeypatch.setattr(mps, "is_available", lambda: False)
    assert devices.available_devices() == ["cpu", "cuda:0", "cuda:1"]
    assert devices.resolve_device("cuda:1") == "cuda:1"
    with pytest.raises(SessionError, match="2 GPU"):
        devices.resolve_device("cuda:3")  # the physical index is not PyTorch's
