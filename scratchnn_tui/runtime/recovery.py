"""The training process comes back: a `Worker` whose child process, if it dies, is started again
from the session's last copy, paused, on the same device (or the cpu if that device failed).

The child sends a `RecoveryCopy` of the session up with its frames (never more than about a
second of training old, nothing old at all while paused), so a death costs at most that. The
message says how the process ended, its last words, and how many epochs were lost. After
DEATH_LIMIT deaths within a minute no new process is started: the app stays usable, and `w`
and a quit's autosave still save the last copy (`kept_state`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import threading
import time
from collections.abc import Callable
from typing import Any

from ..training.snapshot import Frame
from .kept_state import KeptState
from .process_end import how_it_ended
from .process_worker import ProcessWorker, build_session, session_maker
from .recovery_copy import RecoveryCopy
from .requests import Autosave, Request, SetRunLength
from .restart_policy import DEATH_LIMIT, RestartPolicy, restart_device


class RecoveringWorker:
    """A `ProcessWorker` that is replaced by a new one, started from the last copy, when its
    child dies unasked. The same `Worker` protocol; frames keep counting up across restarts.

    Args:
        on_frame, on_message: as for ProcessWorker.
        clock: what the restart limit's minute is measured by (tests pass their own).
        settings: the session's (Session's arguments, or `resume` and `device`).
    """

    def __init__(self, on_frame: Callable[[Frame], None], on_message: Callable[[str, bool], None],
                 clock: Callable[[], float] = time.monotonic, **settings: Any) -> None:
        self._on_frame = on_frame
        self._on_message = on_message
        self._settings = settings
        self._policy = RestartPolicy(clock)
        self._lock = threading.RLock()  # the worker is replaced on the event loop, or a thread
        self._loop: asyncio.AbstractEventLoop | None = None
        self._copy: RecoveryCopy | None = None
        self._kept: KeptState | None = None  # set once no process is started any more
        self._seq_offset = 0  # frames published by the processes before this one
        self._shown_epoch = 0  # the epoch of the last frame passed on
        self._restarts = 0
        self._run_length: SetRunLength | None = None  # the worker's own setting: sent again
        self._stopped = False
        self._back: str | None = None  # said once the new process shows its first frame
        self._worker = self._new_worker(session_maker(**settings))

    def _new_worker(self, make_session: Callable[[], Any]) -> ProcessWorker:
        return ProcessWorker(make_session, self._pass_frame, self._on_message,
                             on_copy=self._keep_copy, on_end=self._ended)

    # -- the Worker protocol ------------------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._loop = loop
        self._worker.start(loop)

    def send(self, request: Request) -> None:
        with self._lock:
            if isinstance(request, SetRunLength):
                self._run_length = request
            if self._kept is not None:
                self._say(self._kept.answer(request))
            else:
                self._worker.send(request)

    def stop(self, timeout: float = 5.0, autosave: bool = False) -> None:
        with self._lock:
            self._stopped = True
            kept, worker = self._kept, self._worker
        if kept is None:
            worker.stop(timeout, autosave)
        elif autosave:
            self._say(kept.answer(Autosave()))

    @property
    def idle(self) -> bool:
        if self._kept is not None:
            return True
        worker = self._worker
        return worker.alive and worker.idle  # a dead one is about to be replaced: not idle

    @property
    def alive(self) -> bool:
        """A training process is there and has shown its session (not one still loading
        PyTorch after a restart: the last frame on screen is not its)."""
        worker = self._worker
        return self._kept is None and worker.alive and worker.published > 0

    @property
    def can_save(self) -> bool:
        return self._kept is None or self._kept.copy is not None

    @property
    def published(self) -> int:
        return self._seq_offset + self._worker.published

    @property
    def pid(self) -> int | None:
        return self._worker.pid

    # -- what the current child reports --------------------------------------------------------

    def _pass_frame(self, frame: Frame) -> None:
        if self._seq_offset:  # a new process counts from 1: the screen keeps only newer frames
            frame = dataclasses.replace(frame, seq=frame.seq + self._seq_offset)
        self._shown_epoch = frame.snapshot.epoch
        back, self._back = self._back, None
        if back is not None:  # the new process is up: "is starting" would be stale now
            self._on_message(back, True)
        self._on_frame(frame)

    def _keep_copy(self, copy: RecoveryCopy) -> None:
        self._copy = copy

    def _say(self, answer: tuple[str, bool] | None) -> None:
        if answer is not None:
            self._on_message(*answer)

    def _ended(self, exit_code: int | None, last_words: str) -> None:
        """On the dead worker's own thread: the replacing is done where requests are sent."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._after_death, exit_code, last_words)
        else:
            self._after_death(exit_code, last_words)

    def _after_death(self, exit_code: int | None, last_words: str) -> None:
        with self._lock:
            if self._stopped:
                return
            dead, copy = self._worker, self._copy
            said = f" Its last words: {last_words}" if last_words else ""
            how = how_it_ended(exit_code)
            lost = max(0, self._shown_epoch - (copy.epoch if copy is not None else 0))
            if not self._policy.died():
                self._give_up(f"The training process died again ({how}), {DEATH_LIMIT} times within a "
                              f"minute, so no new one is started ({_epochs(lost)} lost).{said}")
                return
            device = copy.device if copy is not None else self._settings.get("device", "cpu")
            new_device = restart_device(device, last_words, self._restarts > 0 and dead.published == 0)
            if copy is None:  # it died before its session was ever shown: start it afresh
                make, where = session_maker(**self._settings), "from the start"
            else:
                make = functools.partial(build_session, recovered=copy, device=new_device)
                where = f"from epoch {copy.epoch}"
            on = f" on the cpu, since {device} is what failed" if new_device != device else ""
            # Said on the new process's first frame (before it, on the pipe's order), when "is
            # starting" stops being true.
            self._back = (f"The training process died ({how}); a new one took over {where}{on}, "
                          f"paused: {_epochs(lost)} lost.{said}")
            try:
                worker = self._new_worker(make)
                worker.start(self._loop)
            except Exception as error:  # no process can be started: keep what is known
                self._back = None
                self._give_up(f"The training process died ({how}), and a new one could not be "
                              f"started: {error}.{said}")
                return
            self._restarts += 1
            self._seq_offset += dead.published
            self._worker = worker
            for request in ([self._run_length] if self._run_length else []) + dead.unsent:
                worker.send(request)
        self._on_message(f"The training process died ({how}). A new one is starting {where}{on}, "
                         f"paused: {_epochs(lost)} lost.{said}", True)

    def _give_up(self, why: str) -> None:
        self._kept = KeptState(self._copy)
        self._on_message(f"{why} {self._kept.advice()}", True)


def _epochs(count: int) -> str:
    return f"{count} epoch" if count == 1 else f"{count} epochs"
