"""SessionWorker with a real Session: order, refusals, running, frame rate, and faults."""

from __future__ import annotations

import math
import threading
import time

import pytest

from scratchnn_tui.runtime.requests import (Pause, Reset, SetLr, SetOptimizer, SetRunLength, SetTask,
                                            Step, ToggleRun)
from scratchnn_tui.runtime.worker import SessionWorker
from scratchnn_tui.training.session import Session
from scratchnn_tui.training.snapshot import Frame

from epoch_hooks import on_epochs

TIMEOUT = 10.0


class Recorder:
    """The callbacks a UI would inject, collecting into lists."""

    def __init__(self) -> None:
        self.frames: list[Frame] = []
        self.messages: list[tuple[str, bool]] = []
        self.frame_threads: set[str] = set()

    def on_frame(self, frame: Frame) -> None:
        self.frame_threads.add(threading.current_thread().name)
        self.frames.append(frame)

    def on_message(self, text: str, is_error: bool) -> None:
        self.messages.append((text, is_error))

    @property
    def last(self):
        return self.frames[-1].snapshot


def wait_until(condition, timeout: float = TIMEOUT, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.005)


def wait_idle(worker: SessionWorker, timeout: float = TIMEOUT) -> None:
    wait_until(lambda: worker.idle, timeout, "the worker to be idle")


@pytest.fixture
def start_worker():
    workers: list[SessionWorker] = []

    def start(make_session=lambda: Session()):
        recorder = Recorder()
        worker = SessionWorker(make_session, recorder.on_frame, recorder.on_message)
        workers.append(worker)
        worker.start()
        return worker, recorder

    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()


def test_first_frame_is_the_initial_session(start_worker):
    worker, rec = start_worker()
    wait_idle(worker)
    assert len(rec.frames) == 1
    frame = rec.frames[0]
    assert frame.seq == 1 == worker.published
    assert frame.running is False
    assert frame.snapshot == Session().snapshot()
    assert rec.messages == []
    assert rec.frame_threads != {threading.current_thread().name}  # published off the caller's thread


def test_five_steps_give_exactly_five_epochs(start_worker):
    worker, rec = start_worker()
    for _ in range(5):
        worker.send(Step(1))
    wait_idle(worker)
    last = rec.last
    assert last.epoch == 5
    assert len(last.losses) == 6
    reference = Session()
    reference.step(5)
    assert list(last.losses) == reference.losses  # none dropped, none run twice
    assert rec.messages == []
    seqs = [frame.seq for frame in rec.frames]
    assert seqs == sorted(set(seqs)) and seqs[-1] == worker.published
    epochs = [frame.snapshot.epoch for frame in rec.frames]
    assert epochs == sorted(epochs) and epochs[0] == 0


def test_a_burst_of_requests_all_run(start_worker):
    worker, rec = start_worker()
    wait_idle(worker)
    for _ in range(200):
        worker.send(Step(1))
    wait_idle(worker)
    assert rec.last.epoch == 200
    assert len(rec.last.losses) == 201
    assert len(rec.frames) <= 202  # at most one frame per request, plus the first


def test_requests_run_in_submission_order(start_worker):
    worker, rec = start_worker()
    worker.send(Step(3))
    worker.send(SetTask("seed-2x2"))
    worker.send(Step(2))
    worker.send(SetLr(0.001))
    wait_idle(worker)
    last = rec.last
    assert last.task == "seed-2x2" and last.epoch == 2 and last.lr == 0.001
    texts = [text for text, _ in rec.messages]
    assert len(texts) == 2
    assert texts[0].startswith("Task: seed-2x2") and texts[1] == "Learning rate: 0.001"
    assert all(is_error is False for _, is_error in rec.messages)


def test_refused_request_gives_one_error_and_changes_nothing(start_worker):
    worker, rec = start_worker()
    worker.send(Step(2))
    wait_idle(worker)
    before = rec.last
    worker.send(SetLr("abc"))
    wait_idle(worker)
    assert len(rec.messages) == 1
    text, is_error = rec.messages[0]
    assert is_error is True and "abc" in text and "\n" not in text
    assert rec.last == before
    worker.send(SetOptimizer("solved"))  # fine on triple
    worker.send(SetTask("square"))  # falls back to sgd, with a note
    worker.send(SetOptimizer("solved"))  # refused on square
    wait_idle(worker)
    assert [is_error for _, is_error in rec.messages] == [True, False, False, True]
    assert "Solved" in rec.messages[-1][0]
    assert rec.last.optimizer_key == "sgd" and rec.last.task == "square"


def test_toggle_run_trains_continuously_at_most_30_frames_a_second(start_worker):
    worker, rec = start_worker()
    wait_idle(worker)
    worker.send(ToggleRun())
    wait_until(lambda: rec.frames[-1].running and rec.last.epoch > 0, what="training to start")
    assert not worker.idle
    epoch_then = rec.last.epoch
    time.sleep(0.3)
    assert rec.last.epoch > epoch_then  # it keeps training with nothing submitted

    count_before = len(rec.frames)
    time.sleep(0.5)
    frames_in_half_a_second = len(rec.frames) - count_before
    assert 1 <= frames_in_half_a_second <= 40  # ~15 expected at 30 Hz

    worker.send(ToggleRun())
    wait_idle(worker)
    last = rec.frames[-1]
    assert last.running is False
    settled = last.snapshot.epoch
    # every epoch's loss arrived, batched (and down-sampled once there are many)
    points, bucket = len(last.snapshot.losses), last.snapshot.loss_bucket
    assert (points - 1) * bucket < settled + 1 <= points * bucket
    assert all(math.isfinite(v) for v in last.snapshot.losses)
    time.sleep(0.1)
    assert rec.last.epoch == settled  # paused means paused
    # Training and stepping together: the loss curve equals a plain session trained as far.
    reference = Session()
    reference.step(settled)
    assert list(rec.last.losses) == pytest.approx(reference.losses, abs=1e-6, rel=1e-6)


def test_requests_are_served_while_running(start_worker):
    worker, rec = start_worker()
    worker.send(ToggleRun())
    wait_until(lambda: rec.last.epoch > 0 if rec.frames else False, what="training to start")
    worker.send(SetLr(0.001))
    worker.send(ToggleRun())
    wait_idle(worker)
    assert rec.last.lr == 0.001
    assert ("Learning rate: 0.001", False) in rec.messages


def test_failing_make_session_gives_one_message(start_worker):
    def broken():
        raise RuntimeError("no torch today\nsecond line")

    worker, rec = start_worker(broken)
    wait_until(lambda: rec.messages, what="the error message")
    time.sleep(0.05)
    assert rec.messages == [("RuntimeError: no torch today", True)]
    assert rec.frames == []
    assert worker.idle is False  # no session: never ready
    worker.send(Step(1))  # the caller does not crash either
    worker.stop(timeout=1.0)
    assert rec.frames == []


def breaks_at_epoch_3() -> Session:
    """A session whose device fails inside the fourth epoch's update."""

    def fault(session, done):
        if done >= 3:
            raise RuntimeError("CUDA error: an illegal memory access")

    return on_epochs(Session(), before=fault)


def test_an_error_while_running_stops_the_run(start_worker):
    worker, rec = start_worker(breaks_at_epoch_3)
    worker.send(ToggleRun())
    wait_until(lambda: rec.messages and not rec.frames[-1].running, what="the error and a paused frame")
    wait_idle(worker)
    assert rec.messages == [("training stopped: RuntimeError: CUDA error: an illegal memory access", True)]
    assert rec.frames[-1].running is False
    assert rec.last.epoch == 3
    worker.send(Reset())  # still serving
    wait_idle(worker)
    assert rec.last.epoch == 0


def diverges_at_epoch_4() -> Session:
    """A session whose weights become NaN with the fourth epoch's update."""

    def poison(session, done):
        if done == 4:
            session.model.layers[0].weight.data.fill_(float("nan"))

    return on_epochs(Session(), after=poison)


def test_a_diverged_loss_pauses_the_run(start_worker):
    worker, rec = start_worker(diverges_at_epoch_4)
    worker.send(ToggleRun())
    wait_until(lambda: rec.messages and not rec.frames[-1].running, what="the pause and a paused frame")
    wait_idle(worker)
    assert len(rec.messages) == 1
    text, is_error = rec.messages[0]
    assert is_error and text == ("Paused: loss became nan at epoch 4: learning rate 0.02 is too high "
                                 "for this task; press - to lower it or R to reset")
    assert rec.frames[-1].running is False
    # paused at the last finite epoch, its weights and losses kept, exactly as a plain session's
    last = rec.last
    reference = Session()
    reference.step(3)
    assert last.epoch == 3 and math.isfinite(last.loss)
    assert list(last.losses) == reference.losses
    assert last.layer == reference.snapshot().layer


def test_stop_ends_the_worker(start_worker):
    worker, rec = start_worker()
    wait_idle(worker)
    worker.stop()
    count = len(rec.frames)
    worker.send(Step(1))
    time.sleep(0.1)
    assert len(rec.frames) == count
    assert rec.last.epoch == 0


@pytest.mark.parametrize("make_session", [breaks_at_epoch_3, diverges_at_epoch_4])
def test_idle_means_the_last_frame_is_final_when_a_run_stops_itself(make_session):
    rec = Recorder()
    seen: list[tuple[bool, int]] = []  # (worker.idle, frames so far) when each message arrives
    worker = SessionWorker(make_session, rec.on_frame,
                           lambda text, is_error: seen.append((worker.idle, len(rec.frames))))
    worker.start()
    try:
        worker.send(ToggleRun())
        wait_until(lambda: seen and not rec.frames[-1].running, what="the stop and a paused frame")
        wait_idle(worker)
        idle_at_message, frames_at_message = seen[0]
        # If the worker said "idle" when the message came, no frame may follow it.
        assert not idle_at_message or len(rec.frames) == frames_at_message
    finally:
        worker.stop()


def test_pause_stops_a_run_whatever_the_last_frame_said(start_worker):
    worker, rec = start_worker()
    wait_idle(worker)
    worker.send(ToggleRun())
    worker.send(Pause())  # sent before any running frame came back
    worker.send(Step(1))
    wait_idle(worker)
    assert not rec.frames[-1].running
    epoch = rec.last.epoch
    time.sleep(0.1)
    assert rec.last.epoch == epoch


def test_a_run_length_counts_epochs_trained_even_across_a_reset(start_worker):
    worker, rec = start_worker()
    worker.send(Step(100))
    worker.send(SetRunLength(30))
    worker.send(ToggleRun())
    worker.send(Reset())  # handled at the run's first look at the queue
    wait_until(lambda: rec.messages and "Paused after a run of 30 epochs" in rec.messages[-1][0],
               what="the run to end")
    wait_idle(worker)
    assert rec.last.epoch <= 30  # with an absolute target it would have run on to 130


class SnapshotFailsOnce(Session):
    failed = False

    def snapshot(self):
        if self.epoch > 50 and not SnapshotFailsOnce.failed:
            SnapshotFailsOnce.failed = True
            raise RuntimeError("CUDA error: an illegal memory access was encountered")
        return super().snapshot()


def test_a_device_fault_mid_run_publishes_a_paused_frame(start_worker):
    worker, rec = start_worker(SnapshotFailsOnce)
    wait_idle(worker)
    worker.send(ToggleRun())
    wait_until(lambda: rec.messages, what="the fault")
    wait_idle(worker)
    assert rec.messages[-1][1] and "illegal memory access" in rec.messages[-1][0]
    assert rec.frames[-1].running is False  # the screen does not go on saying "running"
    worker.send(Step(1))  # and the session still serves
    wait_idle(worker)
    assert rec.frames[-1].snapshot.epoch > 50


def test_a_run_that_kills_its_output_layer_says_why_once_and_trains_on(start_worker):
    worker, rec = start_worker(lambda: Session(task="seed-2x2", lr=1e6))
    worker.send(ToggleRun())
    wait_until(lambda: rec.frames and rec.frames[-1].snapshot.epoch > 500, what="a run well past the death")
    worker.send(Pause())
    wait_idle(worker)
    said = [text for text, is_error in rec.messages if "dead" in text]
    assert len(said) == 1 and said[0].startswith("Every neuron of the output layer is dead: the update of epoch 1,")
    assert rec.frames[-1].snapshot.loss == 1298.5
