"""What an epoch costs on a device: the app's own epoch (`fast_loop.train_epochs`), timed.

On this app's tiny layers an epoch is a few dozen small operations: each costs a fixed fee (a
kernel launch, and on a GPU the trip to the device and back) whatever its size, so a GPU, whose
fee is larger, is slower than the cpu there. Only once the matrices are big does the arithmetic
outweigh the fees, and there the GPU's thousands of cores win. Two users of this module:
`bench --sweep` (widths on every device) and the app's device view (the session's own network,
measured on a copy so that the session is not disturbed).

The clock is read only after the device has finished (`synchronize`): a GPU queues its work and
returns at once, so an unsynchronised clock measures the queueing, not the work.
"""

from __future__ import annotations

import copy
import statistics
import time

import torch

from .devices import available_devices, move_training
from .device_speeds import DeviceSpeed, DeviceSpeeds
from .errors import SessionError, one_line
from .fast_loop import train_epochs
from .optimizers import get_optimizer

WARMUP_EPOCHS = 3  # the first epochs on a device pay for its start (cuBLAS handles, caches)
VIEW_SECONDS = 0.3  # the device view's time on each device: short, since training waits for it


class _Counter:
    """What `train_epochs` counts epochs on (a session's `epoch`, elsewhere)."""

    epoch = 0


def _sync(device: str) -> None:
    """Wait until the device has done what was queued on it (the cpu does it at once)."""
    if device.startswith("cuda"):
        torch.cuda.synchronize(device)
    elif device == "mps":
        torch.mps.synchronize()


def _drop(_loss) -> None:
    """Losses are not kept: a timing has no history."""


class EpochTimer:
    """Times the fast loop on one model, its optimizer and batch, on the batch's device.

    Each epoch's loss is read as the app reads it (`Session._keep`): a float at once on the
    cpu, a tensor elsewhere, the device synchronised once per chunk of epochs.
    """

    def __init__(self, model: torch.nn.Module, optimizer: torch.optim.Optimizer,
                 x: torch.Tensor, y: torch.Tensor) -> None:
        self.model, self.optimizer, self.x, self.y = model, optimizer, x, y
        self.device = str(x.device) if x.device.type != "cuda" else f"cuda:{x.device.index or 0}"
        self._keep = torch.Tensor.item if x.device.type == "cpu" else torch.Tensor.detach
        self._counter = _Counter()
        self.rates: list[float] = []  # steps/s of each `run`

    def _train(self, epochs: int) -> None:
        train_epochs(self._counter, self.model, self.optimizer, self.x, self.y, epochs,
                     _drop, self._keep, skip_first=False)

    def warm_up(self) -> None:
        self._train(WARMUP_EPOCHS)
        _sync(self.device)

    def run(self, seconds: float) -> None:
        """Train for about `seconds` (at least one epoch) and add its rate to `rates`.

        Epochs go in chunks, doubling while they are short, so the clock and the sync are
        looked at rarely; a chunk is never planned past the time left.
        """
        chunk, steps, start = 1, 0, time.perf_counter()
        while True:
            self._train(chunk)
            _sync(self.device)
            steps += chunk
            elapsed = time.perf_counter() - start
            left = seconds - elapsed
            if left <= 0:
                break
            rate = steps / elapsed if elapsed > 0 else float("inf")
            chunk = max(1, min(chunk * 2, int(rate * left)))
        self.rates.append(steps / max(elapsed, 1e-9))

    @property
    def steps_per_s(self) -> float:
        """The median of the runs' rates: a shared machine's stall in one run moves it little."""
        return statistics.median(self.rates)


def measure_session(session, token: int, seconds: float = VIEW_SECONDS) -> DeviceSpeeds:
    """Steps per second of `session`'s network, batch and optimizer on every device there is,
    each timed on a copy: the session's weights, optimizer state, epoch and random state stay
    as they were. A device that fails gives its reason instead of a figure."""
    x, y = session.batch
    failed = []
    try:
        devices = available_devices()
    except SessionError as refusal:  # a GPU driver that fails to start: the cpu still counts
        devices, failed = ["cpu"], [DeviceSpeed("cuda", None, str(refusal))]
    speeds = []
    with torch.random.fork_rng(devices=[]):  # nothing here draws, but nothing may change it
        for device in devices:
            try:
                speeds.append(DeviceSpeed(device, _time_copy(session, device, seconds)))
            except Exception as error:  # out of memory, a driver fault: say so, go on
                speeds.append(DeviceSpeed(device, None, one_line(error)))
    return DeviceSpeeds(token=token, sizes=tuple(session.sizes), batch=len(x),
                        optimizer=get_optimizer(session.optimizer_key).label,
                        current=session.device, speeds=tuple(speeds + failed))


def _time_copy(session, device: str, seconds: float) -> float:
    """Steps per second of a copy of the session's model and optimizer state on `device`."""
    model = copy.deepcopy(session.model)
    choice = get_optimizer(session.optimizer_key)

    def make_optimizer():
        return choice.build(model.named_parameters(), session.lr, session.answer)

    optimizer = make_optimizer()
    optimizer.load_state_dict(copy.deepcopy(session.optimizer.state_dict()))
    x, y = session.batch
    (x, y), optimizer = move_training(model, optimizer, make_optimizer, (x.clone(), y.clone()),
                                      session.device, device)
    timer = EpochTimer(model, optimizer, x, y)
    timer.warm_up()
    timer.run(seconds)
    return timer.steps_per_s
