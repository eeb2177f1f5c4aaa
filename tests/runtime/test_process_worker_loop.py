"""The child's frames read on the UI's event loop (as the app does): no reader thread, the
callbacks on the loop's own thread, and a dead child reported without the loop spinning."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time

from scratchnn_tui.runtime.process_worker import ProcessWorker, session_maker
from scratchnn_tui.runtime.requests import SetLr, Step, ToggleRun

from test_process_worker import Recorder


class ThreadRecorder(Recorder):
    """What arrived, and on which threads."""

    def __init__(self):
        super().__init__()
        self.threads = set()

    def on_frame(self, frame):
        self.threads.add(threading.get_ident())
        super().on_frame(frame)

    def on_message(self, text, is_error):
        self.threads.add(threading.get_ident())
        super().on_message(text, is_error)


class WatchedLoop:
    """The running loop as `start` sees it, noting which file descriptors it is asked to watch
    and each time a watched one wakes it."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.watched: set[int] = set()
        self.wakes = 0

    def add_reader(self, fd, callback, *args) -> None:
        def woken():
            self.wakes += 1
            callback(*args)

        self.watched.add(fd)
        self.loop.add_reader(fd, woken)

    def remove_reader(self, fd) -> bool:
        self.watched.discard(fd)
        return self.loop.remove_reader(fd)

    def __getattr__(self, name):
        return getattr(self.loop, name)


def reader_threads() -> list[str]:
    return [thread.name for thread in threading.enumerate() if thread.name == "scratchnn-frames"]


async def until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_frames_and_messages_arrive_on_the_event_loop_thread():
    rec = ThreadRecorder()
    worker = ProcessWorker(session_maker(task="seed-2x2"), rec.on_frame, rec.on_message)
    worker.start(asyncio.get_running_loop())
    try:
        worker.send(Step(1))
        worker.send(SetLr(-1.0))  # refused: a message
        await until(lambda: worker.idle and rec.messages)
        assert rec.threads == {threading.get_ident()}
        assert reader_threads() == []  # the loop reads; no thread was started
        assert rec.frames[-1].snapshot.epoch == 1
        assert "learning rate" in rec.messages[-1][0]
        worker.send(ToggleRun())
        await until(lambda: rec.frames[-1].running and rec.frames[-1].snapshot.epoch > 100)
        worker.send(ToggleRun())
        await until(lambda: worker.idle)
        assert rec.threads == {threading.get_ident()}
    finally:
        worker.stop()


async def test_a_dead_child_is_reported_and_the_loop_stops_watching_its_pipe():
    rec = ThreadRecorder()
    worker = ProcessWorker(session_maker(), rec.on_frame, rec.on_message)
    loop = WatchedLoop(asyncio.get_running_loop())
    worker.start(loop)
    try:
        await until(lambda: worker.idle)
        assert len(loop.watched) == 1 and loop.wakes > 0  # the frames' pipe, read on the loop
        os.kill(worker.pid, signal.SIGKILL)
        await until(lambda: rec.messages)
        text, is_error = rec.messages[-1]
        assert is_error and "training process ended" in text
        # A pipe at EOF is always readable: still watched, it would wake the loop without end.
        assert loop.watched == set()
        seen = loop.wakes
        await asyncio.sleep(0.3)
        assert loop.wakes == seen
        worker.send(Step(1))  # says so instead of raising
        assert "stopped" in rec.messages[-1][0]
    finally:
        worker.stop()
