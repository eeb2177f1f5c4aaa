"""A lesson step's session: a plain Session set up as the step says, the user's waiting under it.

The lesson never throws the user's work away: their session waits, untouched, while the steps
come and go, and leaving the lesson hands it back (`runtime.lesson_run`). A step's own session
holds nothing to keep: a reset or a new task in it saves nothing aside, and a quit saves the
waiting session, not the lesson's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .lesson import lesson_step
from .session import Session
from .snapshot import Snapshot


class LessonSession(Session):
    """Step `step`'s session; `waiting` is the user's own, kept as it was."""

    waiting: Any
    step_number: int

    @property
    def unsaved(self) -> bool:
        return False  # the step is rebuilt from its set-up at will: nothing here to lose

    def snapshot(self) -> Snapshot:
        return replace(super().snapshot(), lesson=self.step_number)


def lesson_session(number: int, waiting: Any) -> LessonSession:
    """Step `number`'s session, on `waiting`'s device, with `waiting` kept under it."""
    setup = lesson_step(number).setup
    session = LessonSession(task=setup.task, optimizer=setup.optimizer, init=setup.init,
                            hidden=setup.hidden, device=waiting.device)
    if setup.weights is not None:
        session.start_from(setup.weights)
    session.waiting, session.step_number = waiting, number
    session.show_code(waiting.code_shown)
    return session


def kept_session(session: Any) -> Any:
    """The user's own session under a race or a lesson: what a save on quitting, or a restart
    of the training process, must keep."""
    inner = getattr(session, "session", session)  # a race's waiting session (`RaceRun`)
    return inner.waiting if isinstance(inner, LessonSession) else inner
