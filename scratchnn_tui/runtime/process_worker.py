"""The session in a child process: training keeps a core of its own, the UI keeps the other.

Rendering and training in one interpreter share one lock, and the training loop then runs at a
fraction of a bare loop's rate. Across a process boundary each has a core, the UI process never
imports torch, and a crash in PyTorch or a GPU driver ends the child, not the screen.

The child runs the same `SessionWorker` as the in-process mode; this class gives the parent the
same `Worker` protocol (see `protocol`), carrying the requests down one pipe as they are and
frames and messages up another. Everything that crosses is plain data.
"""

from __future__ import annotations

import asyncio
import faulthandler
import functools
import multiprocessing
import multiprocessing.connection
from multiprocessing import resource_tracker
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from ..training.snapshot import Frame
from . import process_end
from .grid_reuse import GridReceiver, GridSender
from .recovery_copy import CopyPacer, RecoveryCopy, make_copy, session_from_copy
from .requests import Request, Stop

LAST_SAVE_SECONDS = 60.0
"""How long a child whose parent is gone waits for its session to be built and saved."""


# -- what the child sends up ----------------------------------------------------------------
# Named tuples: a light frame crosses in ~100 bytes and ~6 µs of pickling both ways, against
# ~50 bytes and ~2 µs as a bare tagged tuple (measured): nothing, at 22 frames a second.

class _FullFrame(NamedTuple):
    """A whole frame, and how many requests the child had handled when it was published."""

    frame: Frame
    handled: int


class _LightFrame(NamedTuple):
    """A light frame's few numbers (`Frame.light`), which complete the frame received before."""

    numbers: tuple
    handled: int


class _Note(NamedTuple):
    """A request's outcome, in one line."""

    text: str
    is_error: bool


def build_session(resume: str | None = None, recovered: RecoveryCopy | None = None, **settings: Any) -> Any:
    """Picklable session factory: the child imports torch here, not the parent. With `resume`,
    the session saved in that checkpoint (or `last`), on `settings`' device; with `recovered`,
    the session a training process that died sent up last (`recovery_copy`)."""
    if recovered is not None:
        return session_from_copy(recovered, settings.get("device", "cpu"))
    if resume is not None:
        from ..storage import session_io

        return session_io.load(resume, settings.get("device", "cpu"))[0]
    from ..training.session import Session

    return Session(**settings)


def session_maker(**settings: Any) -> Callable[[], Any]:
    return functools.partial(build_session, **settings)


class ProcessWorker:
    """A `SessionWorker` in a child process, driven from this one.

    Args:
        make_session: a picklable callable that builds the Session in the child.
        on_frame, on_message: as for SessionWorker; called on this process's reader thread,
            or on the event loop given to `start`.
        on_copy: receives each `RecoveryCopy` the child sends (as on_frame is called).
        on_end: called instead of a message when the child ends unasked, with its exit code
            and the last lines of its stderr, on a thread of its own; requests that could not
            be sent to the dead child are then in `unsent`.
    """

    def __init__(self, make_session: Callable[[], Any], on_frame: Callable[[Frame], None],
                 on_message: Callable[[str, bool], None],
                 on_copy: Callable[[RecoveryCopy], None] | None = None,
                 on_end: Callable[[int | None, str], None] | None = None) -> None:
        self._make_session = make_session
        self._on_frame = on_frame
        self._on_message = on_message
        self._on_copy = on_copy
        self._on_end = on_end
        self.unsent: list[Request] = []
        self._stderr_path = process_end.new_stderr_path()  # removed by stop(), or after a death
        context = multiprocessing.get_context("spawn")  # no fork of a threaded parent
        # Spawning needs multiprocessing's resource tracker, which passes our stderr to its
        # own process; a running Textual app has swapped stderr for a capture without a file
        # descriptor. Start the tracker now, while stderr is still the real one.
        resource_tracker.ensure_running()
        self._requests_out, self._requests_in = context.Pipe(duplex=False)[::-1]
        self._events_in, self._events_out = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_child, args=(make_session, self._requests_in, self._events_out, self._stderr_path),
            name="scratchnn-session", daemon=True)
        self._reader = threading.Thread(target=self._read, name="scratchnn-frames", daemon=True)
        self._lock = threading.Lock()
        self._sent = 0
        self._handled = 0
        self._last: Frame | None = None
        self._grids = GridReceiver()  # the surface's grid, where a frame leaves it out
        self._stopping = False
        self._dead = False
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Start the child. Frames are read by `loop` when one is given (the app's event loop,
        which then calls on_frame and on_message itself), otherwise by a thread of their own.

        On the loop, a frame costs the UI process one wake-up instead of two (the reader
        thread's, then the loop's to hear from it; docs/PERFORMANCE.md).
        """
        self._process.start()
        # The child's ends belong to the child now; closing ours lets EOF reach the reader.
        self._requests_in.close()
        self._events_out.close()
        if loop is None:
            self._reader.start()
        else:
            self._loop = loop
            loop.add_reader(self._events_in.fileno(), self._read_ready)

    def send(self, request: Request) -> None:
        """Send `request` down to the child, which runs requests in the order sent."""
        with self._lock:
            self._sent += 1
        try:
            self._requests_out.send(request)
        except (OSError, ValueError):
            if self._on_end is not None:  # whoever restarts the child sends it on
                self.unsent.append(request)
                return
            self._on_message("the training process has stopped; restart the app", True)

    def stop(self, timeout: float = 5.0, autosave: bool = False) -> None:
        """End the child after what is queued; with `autosave`, it saves unsaved progress first
        (as it does by itself if this process or the terminal goes away)."""
        self._stopping = True
        try:
            self._requests_out.send(Stop(autosave))
        except (OSError, ValueError):
            pass
        if self._process.is_alive():
            self._process.join(timeout)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(1.0)
        process_end.remove(self._stderr_path)

    @property
    def idle(self) -> bool:
        """True when the child has done every request and its last frame is not running."""
        if self._dead:
            return True  # nothing more will come
        last = self._last
        with self._lock:
            done = self._handled == self._sent
        return last is not None and not last.running and done

    @property
    def alive(self) -> bool:
        return not self._dead and self._process.is_alive()

    @property
    def can_save(self) -> bool:
        return self.alive

    @property
    def pid(self) -> int | None:
        """The child's process id, once started (the benchmark reads its memory and pauses it)."""
        return self._process.pid

    @property
    def published(self) -> int:
        last = self._last
        return 0 if last is None else last.seq

    def _read(self) -> None:
        """The reader thread: every event, until the child is gone."""
        while self._receive():
            pass
        self._ended()

    def _read_ready(self) -> None:
        """On the event loop, when the pipe has data: what has arrived, without blocking on
        more (a message the child is still writing completes within microseconds)."""
        while True:
            if not self._receive():
                self._loop.remove_reader(self._events_in.fileno())
                # Waiting for the exit code may take a second: not on the event loop.
                threading.Thread(target=self._ended, name="scratchnn-ended", daemon=True).start()
                return
            if not self._events_in.poll(0):
                return

    def _receive(self) -> bool:
        """Take one event from the child and hand it on; False once the child is gone."""
        try:
            event = self._events_in.recv()
        except Exception:  # EOF, a closed pipe, a torn message: the child is gone
            return False
        match event:
            case _FullFrame(frame, handled):
                self._show(self._grids.fill(frame), handled)
            case _LightFrame(numbers, handled):
                self._show(Frame.from_light(self._last, numbers), handled)
            case _Note(text, is_error):
                self._on_message(text, is_error)
            case RecoveryCopy() as copy if self._on_copy is not None:
                self._on_copy(copy)
        return True

    def _show(self, frame: Frame, handled: int) -> None:
        with self._lock:
            self._handled = handled
        self._last = frame
        self._on_frame(frame)

    def _ended(self) -> None:
        self._dead = True
        if not self._stopping:
            # Wait for the end without reaping here: two threads reaping one child race, and
            # the loser reads no exit code. When stopping, stop() is the one that joins.
            multiprocessing.connection.wait([self._process.sentinel], timeout=1.0)
            code = self._exit_code()
            last_words = process_end.last_lines(self._stderr_path)
            process_end.remove(self._stderr_path)
            if self._on_end is not None:
                self._on_end(code, last_words)
                return
            said = f": {last_words}" if last_words else ""
            self._on_message(f"The training process ended ({process_end.how_it_ended(code)}{said}); "
                             "the screen shows its last state. Restart the app to train again.", True)

    def _exit_code(self) -> int | None:
        """The dead child's exit code. Another thread's `alive` may be reaping it this very
        moment (and sets the code a moment later): ask again for a little while."""
        for _ in range(20):
            code = self._process.exitcode
            if code is not None:
                return code
            time.sleep(0.01)
        return None


def _child(make_session: Callable[[], Any], requests: Any, events: Any, stderr_path: str) -> None:
    """The child's main: one SessionWorker, fed from the request pipe, reporting up the other."""
    from .worker import SessionWorker

    # The parent owns the terminal: nothing the child (or torch) prints may reach the screen,
    # and a Ctrl+C meant for the app must not kill the session first. Its stderr goes to a
    # file the parent reads if the child dies (process_end), with faulthandler's report of a
    # crash in C code (a driver, a segfault) among it.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(process_end.open_stderr(stderr_path), 2)
    faulthandler.enable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A dropped SSH connection hangs up the whole process group: end as after a quit, saving
    # unsaved progress first.
    for hangup in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(hangup, _raise_hangup)

    worker: SessionWorker
    copies = CopyPacer()
    grids = GridSender()  # the surface's grid goes up only when it changed

    def send(event: _FullFrame | _LightFrame | _Note | RecoveryCopy) -> None:
        # The UI may be gone (a dropped connection): keep going, so the worker reaches its
        # stop and its autosave instead of dying on the broken pipe.
        try:
            events.send(event)
        except (OSError, EOFError, ValueError):
            pass

    def on_frame(frame: Frame) -> None:
        # The copy first: a frame the parent has seen paused is then never newer than its copy.
        if copies.due(frame.full, frame.running, frame.published_at):
            try:
                send(make_copy(worker.session))
            except Exception:  # a device fault: the copy before stands, the frame still goes
                pass
        # A light frame crosses as a few numbers, not a pickled snapshot (docs/PERFORMANCE.md);
        # the parent completes it from the frame it got before.
        if frame.full:
            send(_FullFrame(grids.strip(frame), worker.handled))
        else:
            send(_LightFrame(frame.light(), worker.handled))

    def on_message(text: str, is_error: bool) -> None:
        send(_Note(text, is_error))

    worker = SessionWorker(make_session, on_frame, on_message)
    worker.start()
    autosave = True
    hung_up = False
    while True:
        try:
            # After a hangup, what the parent sent before it (the user's last keys, a quit's
            # save), and nothing more.
            if hung_up and not requests.poll(0):
                break
            request = requests.recv()
        except _Hangup:  # the terminal is gone
            hung_up = True
            continue
        except (EOFError, OSError):  # the parent is gone
            break
        if isinstance(request, Stop):
            autosave = request.autosave
            break
        worker.send(request)
    # Long enough for PyTorch to finish loading on a busy machine (the parent, if still there,
    # waits a few seconds and then terminates this process): a session built after its parent
    # has gone still handles the keys queued for it, and saves them.
    try:
        worker.stop(timeout=LAST_SAVE_SECONDS, autosave=autosave)
    except _Hangup:  # the first signal came after the loop: the stop was not sent yet
        worker.stop(timeout=LAST_SAVE_SECONDS, autosave=True)
    process_end.remove(stderr_path)  # an end it chose: nobody needs its last words
    # Ends here, without the interpreter's teardown: with PyTorch loaded that takes ~0.6 s, which
    # the app's quit (and a --web tab's stop) would wait through, and the session is saved and
    # nothing else is left to release.
    sys.stderr.flush()
    os._exit(0)


class _Hangup(Exception):
    pass


def _raise_hangup(signum, frame) -> None:
    for hangup in (signal.SIGHUP, signal.SIGTERM):  # once is enough: let the save finish
        signal.signal(hangup, signal.SIG_IGN)
    raise _Hangup()
