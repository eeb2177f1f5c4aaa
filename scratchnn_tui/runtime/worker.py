"""One thread that owns the Session: requests run in order, snapshots go out at ≤ 22 a second.

The UI never calls the session itself. It sends typed requests (`requests`) and receives
`Frame`s through callbacks it injects, as memray's TUI receives its snapshots; tests inject
plain functions. Torch is imported on this thread, not on the caller's, so a UI can draw its
first frame before PyTorch has loaded and queue key presses meanwhile. This is one of the two
`Worker`s (see `protocol`); the other runs this one in a child process.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from ..training.errors import Diverged, SessionError, one_line
from ..training.run_speed import DRAW_EVERY_EPOCH
from ..training.snapshot import Frame, Snapshot
from .dispatch import carry_out
from .rate_meter import RateMeter
from .requests import Autosave, Pause, Request, SetRunLength, Stop, ToggleRun, name_of

# The most often a frame is published while training runs, whatever the training rate: 22 a
# second reads as smooth motion (a screen refresh of 20 a second is the aim). Each frame costs
# the training a snapshot and a send, and the UI process a paint, whose CPU on a small machine
# comes out of the training core's neighbour: more frames would slow the training for nothing.
FRAME_INTERVAL = 1 / 22
# Of those, a full one (the layer's numbers and the loss history too) this often: the diagram's
# numbers change faster than anyone reads them. The frames between carry the epoch and the loss
# alone, which costs the training a third of a full read and the pipe a few dozen bytes.
FULL_FRAME_INTERVAL = 0.2
BURST_SECONDS = 0.002  # aim: a look at the clock and the queue every ~2 ms while running
MAX_BURST = 256


def next_burst(burst: int, took: float) -> int:
    """The next burst's size in epochs, after one of `burst` epochs took `took` seconds: double
    it while it takes well under BURST_SECONDS, halve it when it takes well over."""
    if took < BURST_SECONDS / 2 and burst < MAX_BURST:
        return burst * 2
    if took > BURST_SECONDS * 2 and burst > 1:
        return burst // 2
    return burst


class SessionWorker:
    """Runs requests sent from any thread on one Session, one at a time, in the order sent.

    Args:
        make_session: builds the Session (called on the worker thread; may import torch).
        on_frame: receives every published Frame (called on the worker thread).
        on_message: receives (text, is_error) for each request's outcome.
    """

    def __init__(self, make_session: Callable[[], Any], on_frame: Callable[[Frame], None],
                 on_message: Callable[[str, bool], None]) -> None:
        self._make_session = make_session
        self._on_frame = on_frame
        self._on_message = on_message
        self._requests: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._serve, name="scratchnn-session", daemon=True)
        self._running = False
        self._ready = False  # the session exists (torch has loaded)
        self._seq = 0
        self._last_frame = 0.0
        self._rate = RateMeter()
        self.handled = 0  # requests done; counted before the frame that shows them
        self._burst = 1  # epochs between looks at the clock and the queue while running
        self._next_epoch_at: float | None = None  # when a paced run (run_speed) trains next
        self._run_length = 0  # epochs a run lasts; 0: until paused
        self._last_snapshot: Snapshot | None = None
        self._last_full = False  # whether the last published frame was a full one
        self._last_full_at = 0.0  # when the last full frame was published
        self._run_left: int | None = None  # epochs still to train in this run, if it has a length
        self.session: Any = None  # the one requests run on, for on_frame to copy (recovery_copy)

    # -- called from the UI thread ----------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Start the thread. `loop` is not needed: the callbacks run on the worker's thread,
        which is why they must be thread-safe (Textual's `post_message` is)."""
        self._thread.start()

    def send(self, request: Request) -> None:
        """Queue `request`; nothing is dropped and nothing runs twice."""
        self._requests.put(request)

    def stop(self, timeout: float = 5.0, autosave: bool = False) -> None:
        """End the thread after what is queued; with `autosave`, save unsaved progress first."""
        self._requests.put(Stop(autosave))
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def idle(self) -> bool:
        """True when nothing is queued, running or being done: the last frame is final."""
        # unfinished_tasks counts requests queued or being handled (task_done() comes after
        # the frame that shows their effect has been published).
        return self._ready and not self._running and self._requests.unfinished_tasks == 0

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def can_save(self) -> bool:
        return self.alive

    @property
    def published(self) -> int:
        return self._seq

    @property
    def pid(self) -> int | None:
        """None: the session runs in this process."""
        return None

    # -- the worker thread ------------------------------------------------------------------

    def _serve(self) -> None:
        try:
            session = self.session = self._make_session()
            first = session.snapshot()
        except Exception as error:  # the screen says why; the app stays up
            self._on_message(one_line(error), True)
            return
        self._publish(first)
        self._ready = True
        while True:
            try:
                request = self._requests.get(block=not self._running)
            except queue.Empty:
                self._train_for_a_frame(session)
                continue
            try:
                if isinstance(request, Stop):
                    if request.autosave:
                        self._autosave(session)
                    return
                session = self.session = self._handle(session, request)
                self.handled += 1
                # A burst of key presses is shown once it is done (or once a frame is due).
                if self._requests.empty() or time.monotonic() - self._last_frame >= FRAME_INTERVAL:
                    snapshot = self._snapshot(session)
                    self._say_notes(session)
                    if snapshot is not None:
                        self._publish(snapshot)
            finally:
                self._requests.task_done()

    def _autosave(self, session: Any) -> None:
        """Last words: nothing a user did is lost, even if the terminal has gone."""
        try:
            session.check()
        except Exception:  # a divergence rolls back to finite weights, which are worth saving
            pass
        try:
            message = carry_out(session, Autosave())[1]
        except Exception as error:
            message = f"could not save the session: {one_line(error)}"
        if message:
            self._on_message(message, False)

    def _handle(self, session: Any, request: Request) -> Any:
        """Do `request`; the session to keep (a new one after a Load)."""
        match request:
            case ToggleRun():
                self._running = not self._running
                self._next_epoch_at = None  # a paced run starts with an epoch at once
                self._run_left = self._run_length or None
            case Pause():
                self._running = False
            case SetRunLength(epochs):
                self._run_length = epochs
                self._on_message(f"Run length: {epochs} epochs a run" if epochs else
                                 "Run length: until paused", False)
            case _:
                try:
                    session, message = carry_out(session, request)
                except SessionError as refusal:
                    self._on_message(str(refusal), True)
                except Exception as error:  # a bug or a device fault: report it, keep the session
                    self._on_message(f"{name_of(request)} failed: {one_line(error)}", True)
                else:
                    if message:
                        self._on_message(message, False)
        return session

    def _train_for_a_frame(self, session: Any) -> None:
        """Train until the next frame is due, then publish once (one device read per frame).

        A run that stops itself (an error, a non-finite loss) publishes its paused frame before
        `_running` drops, so `idle` never claims a final frame while one is still to come.
        """
        if session.run_speed is not None:
            self._train_paced(session, session.run_speed)
            return
        self._next_epoch_at = None  # at full speed no epoch waits (and the rate counts no wait)
        deadline = self._last_frame + FRAME_INTERVAL
        failure = None
        finished = False  # the run length is reached
        try:
            while True:
                # Look at the clock and the queue once per burst of epochs, not per epoch: for
                # a tiny layer an epoch takes a few hundred microseconds and the looks add up.
                burst = self._burst
                if self._run_left is not None:
                    burst = min(burst, self._run_left)
                started = time.monotonic()
                session.train(burst)
                now = time.monotonic()
                self._burst = next_burst(self._burst, now - started)
                if self._run_left is not None:
                    self._run_left -= burst  # epochs done, whatever reset or load did to the count
                finished = self._run_left == 0
                if finished or now >= deadline or not self._requests.empty():
                    break
        except Exception as error:
            failure = f"training stopped: {one_line(error)}"
        self._publish_trained(session, failure, finished)

    def _train_paced(self, session: Any, speed: int) -> None:
        """Run mode at `speed` epochs a second: wait for the next epoch's time (answering any
        request first), train the epochs due, and publish; up to DRAW_EVERY_EPOCH epochs a
        second every epoch gets a full frame, so each update is drawn."""
        now = time.monotonic()
        due = self._next_epoch_at
        if due is None or due < now - 0.5:  # a fresh run, or one held up by a request: from now
            due = now
        while now < due:
            if not self._requests.empty():
                self._next_epoch_at = due
                return  # the request first; the run goes on after it
            time.sleep(min(0.005, due - now))
            now = time.monotonic()
        epochs = 1 + int((now - due) * speed)
        if self._run_left is not None:
            epochs = min(epochs, self._run_left)
        failure = None
        try:
            session.train(epochs)
        except Exception as error:
            failure = f"training stopped: {one_line(error)}"
        self._next_epoch_at = due + epochs / speed
        if self._run_left is not None:
            self._run_left -= epochs
        finished = self._run_left == 0
        every_epoch = speed <= DRAW_EVERY_EPOCH
        if every_epoch or finished or failure or time.monotonic() - self._last_frame >= FRAME_INTERVAL:
            self._publish_trained(session, failure, finished, full=every_epoch)

    def _publish_trained(self, session: Any, failure: str | None, finished: bool, full: bool = False) -> None:
        """Publish what a stretch of run mode trained: one device read, which checks the losses."""
        full = (full or failure is not None or finished  # a paused frame is always a full one
                or self._last_snapshot is None
                or time.monotonic() - self._last_full_at >= FULL_FRAME_INTERVAL)
        try:  # one device read for the frame, which checks the losses
            if full:
                snapshot = session.snapshot()
            else:
                epoch, loss = session.progress()
                snapshot = self._last_snapshot.progressed(epoch, loss, session.unsaved)
        except Diverged as divergence:  # rolled back to the last finite epoch: show that
            failure = f"Paused: {divergence}"
            snapshot, full = self._snapshot(session), True
        except Exception as error:  # the device itself failed: say so, keep serving requests
            failure = f"training stopped: {one_line(error)}"
            snapshot = None
        if snapshot is None:  # nothing new to show: the last good frame, paused
            self._on_message(failure, True)
            if self._last_snapshot is not None:
                self._publish(self._last_snapshot, running=False, full=self._last_full)
            self._running = False
            return
        stop = failure is not None or finished
        self._say_notes(session)
        if failure is not None:
            self._on_message(failure, True)  # first, so whoever sees the paused frame has it
        elif finished:
            self._on_message(f"Paused after a run of {self._run_length} epochs", False)
        self._publish(snapshot, running=not stop, full=full)
        if stop:
            self._running = False

    def _say_notes(self, session: Any) -> None:
        """What the session noticed while its losses were read (an output layer that died, and
        why), before the frame that shows it."""
        for note in session.notes():
            self._on_message(note, True)

    def _snapshot(self, session: Any) -> Snapshot | None:
        """A snapshot, or None and a message if reading the session fails (a device fault)."""
        try:
            return session.snapshot()
        except Exception as error:
            self._on_message(f"could not read the session: {one_line(error)}", True)
            return None

    def _publish(self, snapshot: Snapshot, running: bool | None = None, full: bool = True) -> None:
        self._last_snapshot, self._last_full = snapshot, full
        self._seq += 1
        self._last_frame = now = time.monotonic()
        if full:
            self._last_full_at = now
        running = self._running if running is None else running
        if running:  # a paced run's epochs account for the time until the next one is due
            rate = self._rate.update(snapshot.epoch, now, until=self._next_epoch_at)
        else:
            rate = None
            self._rate.clear()
        self._on_frame(Frame(snapshot=snapshot, running=running, seq=self._seq,
                             steps_per_second=rate, published_at=now, full=full))

