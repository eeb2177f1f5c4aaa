"""Messages from the training thread to the app. Posting them is thread-safe and never blocks."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ..training.snapshot import Frame


@dataclass
class FrameReady(Message):
    """A new frame of the session: everything the screen shows."""

    frame: Frame


@dataclass
class SessionNote(Message):
    """The outcome of a request, in one line; `is_error` when the session refused it."""

    text: str
    is_error: bool
