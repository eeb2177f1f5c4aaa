"""Epochs trained per second of wall time, over the last second or so of a run.

The status line shows this as "steps/s". It must be what a user would count with a stopwatch:
at a paced run speed of 1 epoch a second it reads 1 from the first frames, and at full speed it
reads the machine's rate with digits steady enough to read.

A paced run trains an epoch at once and then sleeps until the next one is due, so a frame
published just after an epoch has trained it in almost no time: dividing by the time since the
last frame would read hundreds of epochs a second. Each sample therefore says until when the
epochs it counts account for (`until`: the next epoch's due time in a paced run, the sample's
own time otherwise), which puts the paced sleep into the rate.
"""

from __future__ import annotations

from collections import deque

WINDOW_SECONDS = 1.0
"""How far back the rate looks: long enough for steady digits, short enough to follow a change."""


class RateMeter:
    """Epochs per second between the oldest sample of the last WINDOW_SECONDS and the newest."""

    def __init__(self) -> None:
        self._samples: deque[tuple[int, float]] = deque()  # (epoch, accounted until), oldest first

    def clear(self) -> None:
        """Forget the run (it paused): the next run's rate starts afresh."""
        self._samples.clear()

    def update(self, epoch: int, now: float, until: float | None = None) -> float | None:
        """Record `epoch` reached at `now`, its epochs accounting for the time up to `until`
        (default `now`); return the rate, or None until two samples span some time."""
        until = now if until is None else max(now, until)
        if self._samples:
            last_epoch, last_until = self._samples[-1]
            if epoch < last_epoch:  # a reset or a load went back: a new count from here
                self._samples.clear()
            elif until <= last_until:  # nothing new accounted for (a request answered mid-run)
                if epoch == last_epoch:
                    return self.rate
                until = last_until  # more epochs in the time already counted: keep time moving on
                self._samples.pop()
        self._samples.append((epoch, until))
        # Keep one sample at or before the window's start, so the window spans WINDOW_SECONDS.
        while len(self._samples) > 2 and self._samples[1][1] <= until - WINDOW_SECONDS:
            self._samples.popleft()
        return self.rate

    @property
    def rate(self) -> float | None:
        if len(self._samples) < 2:
            return None
        (first_epoch, first_until), (last_epoch, last_until) = self._samples[0], self._samples[-1]
        if last_until <= first_until:
            return None
        return (last_epoch - first_epoch) / (last_until - first_until)
