"""A speed trick: a full frame carries the loss surface's grid only when the grid changed.

The surface view's grid is 49 × 49 losses, ~21 KB pickled, and for a network of two numbers
(`triple`) it stays the same while the window holds still, which is most of a run. Sent with
each of five full frames a second it doubled every frame's bytes, and the child blocked on a
pipe the UI had not emptied yet. So the child's side (`GridSender`) sends `losses=None` for a
grid that is the very one it sent last (the session keeps an exact grid as one object), and the
parent's side (`GridReceiver`) puts the last grid it received back in. The pipe keeps frames
in order and a restarted child starts a new pair, so the two always agree.
Measured with `scratchnn-tui bench` (docs/PERFORMANCE.md).
"""

from __future__ import annotations

from dataclasses import replace

from ..training.snapshot import Frame


def _with_losses(frame: Frame, losses) -> Frame:
    snapshot = frame.snapshot
    return replace(frame, snapshot=replace(snapshot, surface=replace(snapshot.surface, losses=losses)))


class GridSender:
    """The child's side: `strip(frame)` is the frame to send."""

    def __init__(self) -> None:
        self._last = None

    def strip(self, frame: Frame) -> Frame:
        surface = frame.snapshot.surface
        if surface is None or surface.losses is None:
            return frame
        if surface.losses is self._last:
            return _with_losses(frame, None)
        self._last = surface.losses
        return frame


class GridReceiver:
    """The parent's side: `fill(frame)` is the frame as the child made it."""

    def __init__(self) -> None:
        self._last: tuple = ()

    def fill(self, frame: Frame) -> Frame:
        surface = frame.snapshot.surface
        if surface is None:
            return frame
        if surface.losses is None:
            return _with_losses(frame, self._last)
        self._last = surface.losses
        return frame
