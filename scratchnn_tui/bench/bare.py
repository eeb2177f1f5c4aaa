"""The yardstick: the same model, data, optimizer and device, trained by a plain PyTorch loop."""

from __future__ import annotations

import time

CHECK_EVERY = 64  # steps between looks at the clock


def bare_steps_per_second(settings: dict, seconds: float) -> float:
    import torch
    from torch.nn import functional as F

    from ..engine.session import Session

    session = Session(**settings)  # only to build the identical model, data and optimizer
    model, optimizer = session.model, session.optimizer
    x, y = session.batch
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
    if session.device.startswith("cuda"):
        torch.cuda.synchronize()
    return steps / (time.perf_counter() - start)
