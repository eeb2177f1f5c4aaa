"""The bounded loss history: the whole run in a few thousand points, spikes kept."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import torch
from torch.nn import functional as F

from scratchnn_tui.training.history import LossHistory
from scratchnn_tui.training.session import Session


def test_short_run_is_kept_exactly():
    history = LossHistory(capacity=8)
    history.extend([5.0, 4.0, 3.0])
    assert history.points() == (5.0, 4.0, 3.0)
    assert history.bucket == 1 and history.count == 3
    assert (history.first, history.last, history.lowest) == (5.0, 3.0, 3.0)


def test_a_million_losses_fit_in_capacity_and_cover_the_whole_run():
    history = LossHistory()
    values = [1.0 / (1 + k) for k in range(1_000_000)]
    history.extend(values)
    points = history.points()
    assert len(points) <= history.capacity <= 10_000
    assert history.count == 1_000_000
    # the whole run, not its tail: the first point holds epoch 0's loss, and every epoch
    # belongs to exactly one point
    assert points[0] == 1.0
    assert (len(points) - 1) * history.bucket < history.count <= len(points) * history.bucket
    assert history.first == 1.0 and history.last == values[-1] and history.lowest == values[-1]


def test_each_point_is_the_worst_loss_of_its_bucket():
    rng = random.Random(3)
    values = [rng.random() for _ in range(1000)]
    history = LossHistory(capacity=16)
    history.extend(values)
    b = history.bucket
    assert history.points() == tuple(max(values[i:i + b]) for i in range(0, len(values), b))


def test_a_single_spike_survives_down_sampling():
    history = LossHistory(capacity=64)
    values = [0.01] * 100_000
    values[77_777] = 50.0
    history.extend(values)
    points = history.points()
    assert max(points) == 50.0
    assert points.index(50.0) == 77_777 // history.bucket


def test_nan_is_kept_as_worst_and_lowest_stays_a_number():
    history = LossHistory(capacity=4)
    history.extend([3.0, math.nan, 1.0, 2.0, 0.5, 0.25, 0.1, 0.2, 0.3])
    assert math.isnan(history.points()[0])
    assert history.lowest == 0.1


@pytest.mark.parametrize("capacity", [0, 1, 3])
def test_capacity_must_be_even_and_at_least_two(capacity):
    with pytest.raises(ValueError):
        LossHistory(capacity=capacity)


# -- the loss after each epoch, recorded without a second forward pass ----------------------


def measured_after_each_epoch(epochs: int, optimizer: str) -> list[float]:
    """The oracle: seed-2x2's loss measured by a second forward pass after every update."""
    eager = Session(task="seed-2x2", optimizer=optimizer)
    measured = [eager.loss]
    for _ in range(epochs):
        eager.step()
        with torch.no_grad():
            measured.append(F.mse_loss(eager.model(eager.batch[0]), eager.batch[1]).item())
    return measured


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam", "solved"])
def test_losses_recorded_from_the_next_forward_equal_losses_measured_after_each_update(optimizer):
    lazy = Session(task="seed-2x2", optimizer=optimizer)
    lazy.step(7)
    lazy.snapshot()  # a read in the middle measures the current loss once...
    lazy.step(13)  # ...and the next epoch must not record it again
    assert lazy.losses == measured_after_each_epoch(20, optimizer)
    assert len(lazy.losses) == lazy.epoch + 1


@pytest.mark.parametrize("device", ["cpu", "cuda:0"])
def test_losses_wait_as_floats_on_the_cpu_and_as_tensors_elsewhere_and_read_the_same(device):
    session = Session(task="seed-2x2", optimizer="momentum")
    # Only the name: it decides how losses wait for a read (a GPU must not sync every epoch),
    # while the tensors stay on the cpu, so the tensor path runs on a machine without a GPU.
    session.device = device
    session.train(5)
    assert {type(loss) for loss in session.unread} == ({float} if device == "cpu" else {torch.Tensor})
    session.snapshot()
    session.train(4)
    session.check()
    session.train(3)
    assert session.losses == measured_after_each_epoch(12, "momentum")


def test_a_fault_in_the_middle_of_a_run_keeps_the_epochs_done_and_their_losses():
    session, reference = Session(), Session()
    step, calls = session.optimizer.step, 0

    def fails_fourth(*args, **kwargs):  # a device fault in epoch 4's update
        nonlocal calls
        calls += 1
        if calls == 4:
            raise RuntimeError("CUDA error: an illegal memory access")
        return step(*args, **kwargs)

    session.optimizer.step = fails_fourth
    with pytest.raises(RuntimeError):
        session.train(10)
    assert session.epoch == 3
    del session.optimizer.step
    session.step(2)
    reference.step(5)
    assert session.snapshot() == reference.snapshot()


def test_a_long_run_keeps_a_bounded_history_with_exact_first_and_last():
    session = Session()
    session.step(5000)
    snapshot = session.snapshot()
    assert len(snapshot.losses) <= 2048 < 5001
    assert snapshot.loss_bucket > 1
    assert snapshot.loss_first == Session().loss
    assert snapshot.loss == session.loss


def test_a_copy_is_equal_and_independent():
    history = LossHistory(capacity=8)
    history.extend([5.0, 4.0, 3.0, 2.0, 1.0, 0.5, 0.25, 0.2, 0.1])
    twin = history.copy()
    assert twin == history
    twin.append(0.05)
    assert twin != history and history.count == 9 and twin.count == 10


# Losses as they come: mostly ordinary, sometimes 0, inf or NaN.
losses = st.lists(st.one_of(st.floats(0, 100), st.sampled_from([0.0, math.inf, math.nan])), max_size=120)


@settings(max_examples=300, deadline=None)
@given(capacity=st.sampled_from([2, 4, 6, 16]), values=losses, cuts=st.lists(st.integers(0, 40), max_size=12))
def test_extending_by_chunks_equals_appending_one_by_one(capacity, values, cuts):
    """`extend` works a bucket at a time; it must end exactly where `append` does, loss by
    loss, whatever the chunk sizes and wherever NaN or inf fall (repr: NaN equals NaN)."""
    one_by_one, chunked = LossHistory(capacity), LossHistory(capacity)
    for value in values:
        one_by_one.append(value)
    start = 0
    for cut in [*cuts, len(values)]:
        chunked.extend(values[start:start + cut])
        start += cut
    assert repr(chunked.to_dict()) == repr(one_by_one.to_dict())
