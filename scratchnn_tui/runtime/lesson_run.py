"""The lesson in the training process: a step's session stands in for the user's, which waits.

`a` sends `StartLesson(1)`: the worker's session becomes step 1's (`LessonSession`), with the
user's session kept under it; `pagedown` and `pageup` send the next or the previous step, each
built afresh from its set-up; `escape` sends `LeaveLesson`, which hands the user's session back
as it was. While in the lesson, a load would put a file's session where the lesson's is: it waits
until the lesson ends, and is refused in one line.

No torch is imported here until a step is built: the UI process imports this module (through
`dispatch`) but never calls it.
"""

from __future__ import annotations

from typing import Any, get_args

from ..training.errors import SessionError
from .requests import LeaveLesson, LessonRequest, StartLesson


def is_lesson(request: object) -> bool:
    """Whether `request` is about the lesson itself (start a step, leave)."""
    return isinstance(request, get_args(LessonRequest))


def in_lesson(session: Any) -> bool:
    """Whether `session` (or the one waiting under a race) is a lesson step's."""
    from ..training.lesson_session import LessonSession

    return isinstance(getattr(session, "session", session), LessonSession)


def carry_out_lesson(session: Any, request: StartLesson | LeaveLesson) -> tuple[Any, str | None]:
    """Go to a step, or leave the lesson: the session to keep and what to say. A race on at
    the time ends with it (the race's session waits under the lesson's)."""
    from ..training.lesson import check_step
    from ..training.lesson_session import kept_session, lesson_session

    yours = kept_session(session)
    match request:
        case StartLesson(step):
            try:
                number = check_step(step)
            except ValueError as error:
                raise SessionError(str(error)) from None
            return lesson_session(number, yours), None  # the step's text is on screen
        case LeaveLesson() if in_lesson(session):
            return yours, (f"Left the lesson: your session is back as it was: {yours.task.name}, "
                           f"epoch {yours.epoch}, loss {yours.loss:.7g}")
        case LeaveLesson():
            return session, None  # not in it: already so
    raise TypeError(f"{request!r} is not a lesson request")


def refuse_in_lesson(what: str) -> SessionError:
    """Why `what` (a load) waits until the lesson ends."""
    return SessionError(f"{what} waits until the lesson ends: escape leaves it and brings your session back")
