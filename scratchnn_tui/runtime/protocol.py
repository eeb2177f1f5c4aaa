"""The one protocol the UI drives a session through, whether it runs on a thread or in a child.

`SessionWorker` (a thread of this process) and `ProcessWorker` (a child process running a
`SessionWorker`) both implement `Worker`, so the app never asks which one it has; `new_worker`
is the one place that chooses. The app's is a `RecoveringWorker`: a `ProcessWorker` started
again when its child dies.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

from ..training.snapshot import Frame
from .recovery import RecoveringWorker
from .requests import Request
from .worker import SessionWorker


class Worker(Protocol):
    """Runs one session's requests in the order sent, off the caller's thread, and reports
    through two callbacks given to its constructor: `on_frame(frame)` with each `Frame`
    published, and `on_message(text, is_error)` with each request's outcome."""

    def start(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Start building the session (torch loads then). `loop`, the caller's event loop,
        may be used to deliver the callbacks on it; a worker that does not need it ignores it."""

    def send(self, request: Request) -> None:
        """Queue `request`, from any thread, before or after the session exists; nothing sent
        is dropped and nothing runs twice. After `stop` nothing is done; to a child process
        that has died, the answer is a message saying so."""

    def stop(self, timeout: float = 5.0, autosave: bool = False) -> None:
        """End after what is queued, waiting up to `timeout` seconds; with `autosave`, unsaved
        progress is saved to the user's state folder first."""

    @property
    def idle(self) -> bool:
        """Every request sent is done, nothing is running, and the last frame published is final."""

    @property
    def alive(self) -> bool:
        """The session's thread or process is still there to serve requests."""

    @property
    def can_save(self) -> bool:
        """A quit's `Autosave` (and `Save`) will be answered: the session is there, or will be,
        or its last known state is kept (see `recovery`)."""

    @property
    def published(self) -> int:
        """The `seq` of the latest frame published (0 before the first)."""

    @property
    def pid(self) -> int | None:
        """The id of the process the session runs in, if not this one."""


def new_worker(on_frame: Callable[[Frame], None], on_message: Callable[[str, bool], None],
               make_session: Callable[[], Any] | None = None, **settings: Any) -> Worker:
    """The worker for a session: by default one built from `settings` (Session's arguments, or
    `resume`) in a child process, started again from its last state if it dies (`recovery`);
    with `make_session`, that factory's on a thread of this process (tests inject sessions this
    way, and may patch what the session sees)."""
    if make_session is not None:
        return SessionWorker(make_session, on_frame, on_message)
    return RecoveringWorker(on_frame, on_message, **settings)
