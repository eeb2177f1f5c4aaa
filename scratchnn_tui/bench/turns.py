"""The app's training and the bare loop taking turns on the machine, a tenth of a second each.

A shared machine's speed drifts by tens of percent over a second or so (measured here: the bare
loop's rate in 50 ms slices correlates 0.84 with the next slice's, 0.1 with one 1.25 s later).
Start-and-stop rounds of the app cost tens of milliseconds each, so they cannot be short enough
to follow that drift. Instead the app runs on, and its training process is stopped (SIGSTOP)
while the bare loop has its turn and continued (SIGCONT) for its own: within each second both
sides sample the machine's speed alike, and the ratio of their rates in that second is free of
the drift. The app's UI keeps running throughout; only the training process is paused.

Frames say how far the app's training got, and when (`Frame.published_at`, the same monotonic
clock as here); the app's time is the time between two frames less the stops between them.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass, field

WINDOW_SECONDS = 0.1  # each side's turn
TURNS_PER_SECOND = round(1 / (2 * WINDOW_SECONDS))  # a second of the machine's time: one ratio


@dataclass
class Turns:
    stops: list[tuple[float, float]] = field(default_factory=list)  # (stopped, continued)
    bare: list[tuple[float, int, float]] = field(default_factory=list)  # (began, steps, seconds)


def take_turns(pid: int, bare_run, cycles: int, window: float = WINDOW_SECONDS) -> Turns:
    """`cycles` times: stop the app's training process, let `bare_run(window)` → (steps,
    seconds) have its turn, continue the app and let it train for `window`. Run this off the
    event loop: a frame half-written when the process stops must not block the reader that
    would let it finish."""
    turns = Turns()
    try:
        for _ in range(cycles):
            os.kill(pid, signal.SIGSTOP)
            stopped = time.monotonic()
            steps, seconds = bare_run(window)
            turns.bare.append((stopped, steps, seconds))
            os.kill(pid, signal.SIGCONT)
            turns.stops.append((stopped, time.monotonic()))
            time.sleep(window)
    finally:
        os.kill(pid, signal.SIGCONT)  # never leave the session stopped
    return turns


def _stopped_between(stops: list[tuple[float, float]], start: float, end: float) -> float:
    return sum(max(0.0, min(b, end) - max(a, start)) for a, b in stops)


def second_by_second(frames: list[tuple[float, int]], turns: Turns,
                     per_chunk: int = TURNS_PER_SECOND) -> list[tuple[float, float]]:
    """(app steps/s, bare steps/s) for each run of `per_chunk` cycles.

    `frames`: (published_at, epoch) of every frame over the turns, in order. The app's rate in
    a chunk is the epochs between its first and last frame over the time between them, less
    the stops in between; the bare loop's is its steps over its seconds in the chunk.
    """
    rates = []
    for first in range(0, len(turns.stops) - per_chunk + 1, per_chunk):
        chunk = range(first, first + per_chunk)
        start = turns.stops[chunk[0]][0]
        end = turns.stops[chunk[-1]][1] + WINDOW_SECONDS  # the last turn of the app
        inside = [(t, e) for t, e in frames if start <= t <= end]
        if len(inside) < 2:
            continue
        (t0, e0), (t1, e1) = inside[0], inside[-1]
        running = (t1 - t0) - _stopped_between(turns.stops, t0, t1)
        bare_steps = sum(turns.bare[i][1] for i in chunk)
        bare_seconds = sum(turns.bare[i][2] for i in chunk)
        if running > 0 and bare_seconds > 0 and e1 > e0:
            rates.append(((e1 - e0) / running, bare_steps / bare_seconds))
    return rates
