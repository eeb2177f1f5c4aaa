"""How often each part of the screen follows the frames while training runs.

Frames arrive ~22 times a second while running. The status line (epoch, loss, steps/s) follows
every one. The diagram's and matrices' numbers follow the full frames, which the session sends
five times a second (faster than that, nobody reads them). The loss chart, whose many cells
cost the most to draw (docs/PERFORMANCE.md) and which moves little in a fraction of a
second, follows a full frame at most twice a second; so does the loss surface (v), a heat map
and a path that a run lengthens by a few cells a second. Every drawn frame costs the UI process
CPU, and on a small machine that CPU is taken from the core next to the training. A paused
frame (a step, a key, the end of a run) reaches every part at once.
"""

from __future__ import annotations

CHART_INTERVAL = 0.5
SURFACE_INTERVAL = 0.5


class Pace:
    """`due(now, running)`: True when a part showing every `interval` seconds is due."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._last = float("-inf")

    def due(self, now: float, running: bool) -> bool:
        if running and now - self._last < self.interval:
            return False
        self._last = now
        return True
