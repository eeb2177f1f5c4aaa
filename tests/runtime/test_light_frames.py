"""Light frames: between full ones while a run goes on, each exact in its epoch and loss and
otherwise the full frame before it, from the thread worker and across the child's pipe alike."""

from __future__ import annotations

import dataclasses
import time

import pytest

from scratchnn_tui.runtime.process_worker import ProcessWorker, session_maker
from scratchnn_tui.runtime.requests import SetRunLength, ToggleRun
from scratchnn_tui.runtime.worker import FULL_FRAME_INTERVAL, SessionWorker
from scratchnn_tui.training.session import Session

RUN_EPOCHS = 2000  # under the history's 2048 points: every epoch's loss is still its own point


def check_run_frames(frames: list) -> None:
    """`frames`: all frames of a fresh default session run for RUN_EPOCHS epochs, then paused."""
    last = frames[-1]
    assert last.full and not last.running and last.snapshot.epoch == RUN_EPOCHS
    reference = Session()
    reference.step(RUN_EPOCHS)
    exact = reference.losses  # the loss after each epoch, 0 … RUN_EPOCHS
    assert any(not frame.full for frame in frames), "a run sends light frames between full ones"
    previous_full = previous = None
    for frame in frames:
        snap = frame.snapshot
        assert snap.loss == pytest.approx(exact[snap.epoch], rel=1e-6, abs=1e-9)
        if frame.full:
            if frame.running and previous is not None and not previous.full:
                # made by the training (not for a request, which is always answered in full):
                # full ones come at a set pace
                assert frame.published_at - previous_full.published_at >= FULL_FRAME_INTERVAL
            previous_full = frame
        else:
            assert frame.running  # a paused frame is never light
            rest = dataclasses.replace(snap, epoch=previous_full.snapshot.epoch,
                                       loss=previous_full.snapshot.loss,
                                       unsaved=previous_full.snapshot.unsaved)
            assert rest == previous_full.snapshot  # the layer, losses, … of the last full frame
            assert snap.unsaved  # it has trained past what was saved
        previous = frame


@pytest.mark.parametrize("worker_class", [SessionWorker, ProcessWorker])
def test_a_run_sends_light_frames_between_full_ones(worker_class):
    frames = []
    worker = worker_class(session_maker(), frames.append, lambda text, is_error: None)
    worker.start()
    try:
        worker.send(SetRunLength(RUN_EPOCHS))
        worker.send(ToggleRun())
        deadline = time.monotonic() + 60
        while not (any(frame.running for frame in frames) and worker.idle):
            assert time.monotonic() < deadline, "the run did not start and end"
            time.sleep(0.01)
        check_run_frames(frames)
    finally:
        worker.stop()
