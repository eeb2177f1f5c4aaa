"""The session's latest complete state, kept by the UI process so a dead training process can
come back without losing more than about a second of training.

The training process sends a `RecoveryCopy` up with its frames: the session as a checkpoint
file's bytes (weights, optimizer state, epoch, loss history, settings), plain data the UI keeps
without importing torch, and could write to a file as it is. It is sent with every paused frame
(so a paused session loses nothing) and, while a run goes on, with a full frame at most every
COPY_INTERVAL seconds: the checkpoint of a small layer takes a fraction of a millisecond to make,
so at that rate it costs the training nothing measurable.
"""

from __future__ import annotations

from typing import Any, NamedTuple

COPY_INTERVAL = 0.5
"""While running, the most often a copy is made: a restart loses at most this, plus a frame."""


class RecoveryCopy(NamedTuple):
    """A session as plain data: `data` is its checkpoint file's bytes."""

    data: bytes
    epoch: int
    unsaved: bool  # whether a quit would still have to save it
    device: str


def make_copy(session: Any) -> RecoveryCopy:
    """The copy of `session` (in the training process, where torch is loaded). While the
    optimizers race, the worker's session is the race (`RaceRun`), and in the lesson a step's;
    what a restart must bring back is the user's session waiting under them, as it was."""
    from ..storage.checkpoint import checkpoint_bytes
    from ..training.lesson_session import kept_session

    session = kept_session(session)
    return RecoveryCopy(checkpoint_bytes(session), session.epoch, session.unsaved, session.device)


def session_from_copy(copy: RecoveryCopy, device: str) -> Any:
    """The session `copy` describes, on `device`, unsaved if the copy was: a quit then saves it."""
    from ..storage.checkpoint import session_from_bytes

    session = session_from_bytes(copy.data, device)
    if copy.unsaved:
        session.mark_unsaved()
    return session


class CopyPacer:
    """Decides, frame by frame, when the training process makes a copy: every paused frame
    (requests change the session), and while running a full frame every COPY_INTERVAL."""

    def __init__(self) -> None:
        self._last = float("-inf")

    def due(self, full: bool, running: bool, now: float) -> bool:
        if not full:  # a light frame's session may hold losses not read yet
            return False
        if running and now - self._last < COPY_INTERVAL:
            return False
        self._last = now
        return True
