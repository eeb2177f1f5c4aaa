"""Which devices exist, the names the app and the command line accept for them, and moving
a model, its data and its optimizer between them."""

from __future__ import annotations

import re
from collections.abc import Callable

import torch

from .errors import SessionError, first_line, one_line
from .snapshot import GpuView

NO_GPU = "No GPU: torch.cuda.is_available() is False"


def _cuda_count() -> int:
    """How many CUDA GPUs work; SessionError if the driver is there but fails to start."""
    try:
        if not torch.cuda.is_available():
            return 0
        return torch.cuda.device_count()
    except Exception as error:  # a broken driver raises from these (RuntimeError, AssertionError)
        raise SessionError(f"the GPU failed to initialise: {first_line(error)}") from None


def available_devices() -> list[str]:
    """`cpu` first, then each CUDA GPU as `cuda:N`, then `mps` on Apple silicon."""
    devices = ["cpu"]
    devices += [f"cuda:{index}" for index in range(_cuda_count())]
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append("mps")
    return devices


def resolve_device(name: str) -> str:
    """Turn what a user typed (`cpu`, `cuda`, `cuda:1`, `mps`) into a device that is there.

    Raises SessionError saying what is missing, e.g. the NO_GPU sentence on a machine without one.
    """
    text = name.strip().lower()
    if text == "cpu":
        return "cpu"
    if text == "auto":  # the usual first choice on a GPU box: the fastest kind there is
        try:
            devices = available_devices()
        except SessionError:  # a driver that fails to start: the cpu still works
            return "cpu"
        return next((d for d in devices if d.startswith("cuda")), "mps" if "mps" in devices else "cpu")
    if text == "mps":
        if "mps" not in available_devices():
            raise SessionError("No MPS device: torch.backends.mps.is_available() is False")
        return "mps"
    match = re.fullmatch(r"cuda(?::(\d+))?", text)
    if match is None:
        raise SessionError(f"unknown device {name!r}; use cpu, cuda, cuda:N, mps or auto")
    count = _cuda_count()
    if count == 0:
        raise SessionError(NO_GPU)
    index = int(match.group(1) or 0)
    if index >= count:
        raise SessionError(f"cuda:{index} is not there: this machine has {count} GPU(s), cuda:0 to cuda:{count - 1}")
    return f"cuda:{index}"


def next_device(current: str) -> str:
    """The device after `current` in `available_devices()`, wrapping round."""
    devices = available_devices()
    if len(devices) == 1:
        raise SessionError(NO_GPU)
    position = devices.index(current) if current in devices else -1
    return devices[(position + 1) % len(devices)]


def describe_device(device: str) -> GpuView | None:
    """On a CUDA device, its name and the bytes PyTorch's tensors hold on it, as plain data for
    the status line; None on the cpu and mps, or if the driver cannot say. Neither call waits
    for the GPU: the allocator counts what it handed out."""
    if not device.startswith("cuda"):
        return None
    index = torch.device(device).index or 0
    try:
        return GpuView(torch.cuda.get_device_name(index), torch.cuda.memory_allocated(index))
    except Exception:  # a driver gone bad mid-run: the status line just shows less
        return None


def move_training(model: torch.nn.Module, optimizer: torch.optim.Optimizer,
                  make_optimizer: Callable[[], torch.optim.Optimizer],
                  tensors: tuple[torch.Tensor, ...], source: str, target: str,
                  ) -> tuple[tuple[torch.Tensor, ...], torch.optim.Optimizer]:
    """Move `model` (in place) and `tensors` to `target`, with an optimizer that has
    `optimizer`'s state there: (the moved tensors, the new optimizer).

    `Module.to` moves parameters in place, but an optimizer's state (momentum, Adam's moments)
    would stay on the old device: the classic bug. Building the optimizer anew and loading the
    old state dict into it casts that state to each parameter's new device. If anything fails
    (out of memory, say) the parameters go back to `source` and SessionError says why.
    """
    state = optimizer.state_dict()
    try:
        model.to(target)
        moved = tuple(tensor.to(target) for tensor in tensors)
        rebuilt = make_optimizer()
        rebuilt.load_state_dict(state)
    except Exception as error:
        model.to(source)
        raise SessionError(f"could not move to {target}, staying on {source}: "
                           f"{one_line(error)}") from error
    return moved, rebuilt
