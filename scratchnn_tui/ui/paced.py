"""How often each part of the screen follows the frames while training runs.

Frames arrive ~22 times a second while running, faster than anyone reads numbers that change
each time. While a run goes faster than one watches (`,` to 10 epochs a second or less draws
every epoch whole), each part follows them at its own pace: the status line (epoch, loss,
steps/s) four times a second, the diagram's and matrices' numbers twice, the gradient panel's
derivation once, the loss surface (v) once, the loss chart, which moves little in a second,
every two seconds. Every drawn frame costs the UI process CPU, taken on a small machine from
the core next to the training, and costs the terminal bytes, which over SSH the link carries
(docs/PERFORMANCE.md). A paused frame (a step, a key, the end of a run) reaches every part at
once, and so does a run's first.
"""

from __future__ import annotations

CHART_INTERVAL = 2.0
SURFACE_INTERVAL = 1.0
PANELS_INTERVAL = 0.5
GRADIENT_INTERVAL = 1.0
STATUS_INTERVAL = 0.25


class Pace:
    """`due(now, running)`: True when a part showing every `interval` seconds is due. A paused
    frame is always due, and so is the first frame of a run: the screen follows a key at once."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._last = float("-inf")
        self._running = False  # whether the last frame shown was a running one

    def due(self, now: float, running: bool) -> bool:
        if running and self._running and now - self._last < self.interval:
            return False
        self._last, self._running = now, running
        return True
