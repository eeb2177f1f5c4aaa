"""A non-finite loss in the engine: the session goes back to its last finite epoch, exactly."""

from __future__ import annotations

import pytest
import torch

from scratchnn_tui.training.errors import Diverged
from scratchnn_tui.training.session import Session
from scratchnn_tui.training.timeline import KEYFRAME_EVERY

from epoch_hooks import on_epochs
from session_compare import assert_same

BLOW_UP_AT = 80 * KEYFRAME_EVERY + 17  # between two keyframes


def blows_up(**settings) -> Session:
    """A session whose weights become inf after epoch BLOW_UP_AT, once (these ReLU layers rarely
    diverge by themselves: a too-large step kills the neuron instead)."""
    blown = []

    def after(session: Session, done: int) -> None:
        if done == BLOW_UP_AT and not blown:
            blown.append(done)
            session.model.layers[0].weight.fill_(float("inf"))  # inside step(): no grad

    return on_epochs(Session(**settings), after=after)


@pytest.mark.parametrize("read_every", [7, 1])
def test_a_divergence_between_keyframes_lands_on_the_last_finite_epoch(read_every):
    """Reads come a few epochs apart (a frame's worth while running, or a `space` each), while
    keyframes come every KEYFRAME_EVERY epochs: the rollback replays the epochs after the last
    one and must end exactly where a session that never diverged stands."""
    session = blows_up(optimizer="momentum")
    with pytest.raises(Diverged) as caught:
        while True:
            session.step(read_every)
    assert caught.value.epoch == BLOW_UP_AT
    reference = Session(optimizer="momentum")
    reference.step(BLOW_UP_AT - 1)
    assert session.epoch == BLOW_UP_AT - 1
    assert_same(session, reference)
    # and it trains on from there as the reference does
    session.step(3)
    reference.step(3)
    assert_same(session, reference)
