"""How long `b` takes to reach an epoch far back, where keyframes are thinned (`timeline`):
the worst of a few jumps into the past older than the last RECENT moments."""

from __future__ import annotations

import time

from ..training.session import Session
from ..training.timeline import OLD_EVERY, RECENT

JUMPS = 5


def old_step_back_ms(settings: dict) -> float:
    """Train RECENT + 3·OLD_EVERY epochs, then step back by moments that land past the recent
    keyframes, each at a different distance from the keyframe before it; the slowest, in ms."""
    session = Session(task=settings["task"], optimizer=settings["optimizer"], device=settings["device"])
    session.step(RECENT + 3 * OLD_EVERY)
    worst = 0.0
    for jump in range(JUMPS):
        back = RECENT + OLD_EVERY - 1 - jump * (OLD_EVERY // JUMPS)
        start = time.perf_counter()
        session.step_back(back)
        session.snapshot()
        worst = max(worst, time.perf_counter() - start)
        session.step(back)  # forward again: the next jump starts from the same place
    return worst * 1000
