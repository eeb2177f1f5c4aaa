"""How long `b` takes to reach an epoch far back, where keyframes are thinned (`timeline`):
the worst of a few jumps into the past older than the last RECENT moments."""

from __future__ import annotations

import time

from ..training.session import Session
from ..training.timeline import OLD_EVERY, RECENT

JUMPS = 5
FRAME_EPOCHS = 100  # about a frame's epochs in run mode (~2,000 steps/s, ~22 frames/s)


def old_step_back_ms(settings: dict) -> float:
    """Train RECENT + 3·OLD_EVERY epochs, read FRAME_EPOCHS at a time as run mode reads them,
    then step back by moments that land past the recent keyframes, each at a different distance
    from the keyframe before it; the slowest, in ms."""
    session = Session(task=settings["task"], optimizer=settings["optimizer"], device=settings["device"],
                      hidden=settings.get("hidden", ()))
    while session.epoch < RECENT + 3 * OLD_EVERY:
        session.train(FRAME_EPOCHS)
        session.check()
    worst = 0.0
    for jump in range(JUMPS):
        back = RECENT + OLD_EVERY - 1 - jump * (OLD_EVERY // JUMPS)
        start = time.perf_counter()
        session.step_back(back)
        session.snapshot()
        worst = max(worst, time.perf_counter() - start)
        session.train(back)  # forward again: the next jump starts from the same place
        session.check()
    return worst * 1000
