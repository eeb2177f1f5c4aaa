"""The yardstick: the same model, data and device, trained by a plain PyTorch loop with the
optimizer a user would write, torch.optim's (the app trains with the core's hand-written ones,
which take the same steps: see `users_optimizer`).

The loop runs in a fresh process of its own, on its main thread, as a user's script would, and
as the app's session runs in a fresh child process. Measured inside the benchmark's own
process instead, it ran up to 7% slower or faster depending on what that process had done
before (an interpreter whose heap Textual has churned is not a fresh one).
"""

from __future__ import annotations

import multiprocessing
import time
from multiprocessing import resource_tracker

CHECK_EVERY = 64  # steps between looks at the clock


def plain_loop(model, optimizer, x, y, seconds: float) -> tuple[int, float]:
    """The textbook loop for `seconds`: (steps done, seconds taken)."""
    import torch
    from torch.nn import functional as F

    steps = 0
    start = time.perf_counter()
    while True:
        for _ in range(CHECK_EVERY):
            optimizer.zero_grad(set_to_none=True)
            loss = F.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
        steps += CHECK_EVERY
        if time.perf_counter() - start >= seconds:
            break
    if x.device.type == "cuda":
        torch.cuda.synchronize()
    return steps, time.perf_counter() - start


def users_optimizer(session):
    """torch.optim's optimizer for the session's choice, as a user would write it: the same
    settings as the app's, and (on the cpu) the same steps, bit for bit. `Solved` has no
    torch.optim twin: the session's own."""
    import torch

    group = session.optimizer.param_groups[0]
    params = session.model.parameters()
    if session.optimizer_key in ("sgd", "momentum"):
        return torch.optim.SGD(params, lr=group["lr"], momentum=group["momentum"])
    if session.optimizer_key == "adam":
        return torch.optim.Adam(params, lr=group["lr"], betas=group["betas"], eps=group["eps"])
    return session.optimizer


def _serve(settings: dict, conn) -> None:
    from ..training.session import Session

    session = Session(**settings)  # only to build the identical model and data
    x, y = session.batch
    optimizer = users_optimizer(session)
    conn.send("ready")
    while True:
        seconds = conn.recv()
        if seconds is None:
            return
        conn.send(plain_loop(session.model, optimizer, x, y, seconds))


class BareLoop:
    """A process that runs the plain loop on demand: `run(seconds)` → (steps, seconds)."""

    def __init__(self, settings: dict) -> None:
        resource_tracker.ensure_running()  # see ProcessWorker: before Textual swaps stderr
        context = multiprocessing.get_context("spawn")
        self._conn, child_end = context.Pipe()
        self._process = context.Process(target=_serve, args=(settings, child_end), daemon=True)
        self._process.start()
        child_end.close()
        if self._conn.recv() != "ready":
            raise RuntimeError("the bare loop did not start")

    def run(self, seconds: float) -> tuple[int, float]:
        self._conn.send(seconds)
        return self._conn.recv()

    def close(self) -> None:
        self._conn.send(None)
        self._process.join(5)
