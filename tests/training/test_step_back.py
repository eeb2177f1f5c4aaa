"""Step back (`b`) and numbers typed in by hand: the past comes back exactly, and so does what
followed it. The oracle is a second session that simply trained to the same epoch."""

from __future__ import annotations

import pytest
import torch

from scratchnn_tui.storage import session_io
from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.session import Session
from scratchnn_tui.training.timeline import KEYFRAME_EVERY, OLD_EVERY, RECENT

from session_compare import assert_same, shown, trained


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam", "solved"])
def test_b_after_three_steps_is_epoch_two_exactly_and_space_repeats_epoch_three(optimizer):
    session = Session(optimizer=optimizer)
    losses = []
    for _ in range(3):
        session.step()
        losses.append(session.loss)
    said = session.step_back()
    assert session.epoch == 2 and session.loss == losses[1]
    assert f"epoch 2, loss {losses[1]:.7g}" in said
    assert_same(session, trained(2, optimizer=optimizer))
    session.step()
    assert session.loss == losses[2]
    assert_same(session, trained(3, optimizer=optimizer))


def test_b_shows_the_update_that_made_the_epoch_it_lands_on():
    session = trained(5, optimizer="adam")
    session.step_back()
    reference = trained(4, optimizer="adam")
    assert session.last_update == reference.last_update
    assert session.last_update.epoch == 3


@pytest.mark.parametrize("reads", [3, 64])
def test_stepping_back_through_keyframes_and_far_beyond_recent_lands_exactly(reads):
    """Epochs read in frames of `reads`; step back by ones across keyframes, then far back
    into the thinned past (older than RECENT), then forward again."""
    total = RECENT + 3 * OLD_EVERY + 5
    session = Session(optimizer="momentum")
    while session.epoch < total:
        session.step(min(reads, total - session.epoch))
    for _ in range(KEYFRAME_EVERY + 2):
        session.step_back()
    assert session.epoch == total - KEYFRAME_EVERY - 2
    assert_same(session, trained(total - KEYFRAME_EVERY - 2))
    session.step_back(2 * OLD_EVERY + 7)
    target = total - KEYFRAME_EVERY - 2 - 2 * OLD_EVERY - 7
    assert session.epoch == target
    assert_same(session, trained(target))
    session.step(40)
    assert_same(session, trained(target + 40))


def test_keyframes_come_with_reads_and_the_far_past_is_thinned():
    """A keyframe at each read once the last is KEYFRAME_EVERY moments old (reads come a key
    press or a frame apart); older than RECENT, one every OLD_EVERY moments."""
    session = Session(optimizer="sgd")
    while session.epoch < RECENT + 4 * OLD_EVERY:
        session.step(5)
    kept = session.timeline_moments()
    recent = [m for m in kept if m >= session.epoch - RECENT]
    assert all(KEYFRAME_EVERY <= b - a < KEYFRAME_EVERY + 5 for a, b in zip(recent, recent[1:]))
    old = [m for m in kept if m < session.epoch - RECENT]
    assert old[0] == 0 and all(OLD_EVERY <= b - a < OLD_EVERY + KEYFRAME_EVERY + 5 for a, b in zip(old, old[1:]))


def test_one_step_back_leaves_keyframes_close_by_for_the_next():
    session = trained(300, optimizer="adam")  # one call: no reads, no keyframes on the way
    assert session.timeline_moments() == [0, 300]
    session.step_back()
    assert all(b - a <= KEYFRAME_EVERY for a, b in zip(session.timeline_moments(), session.timeline_moments()[1:]))
    assert_same(session, trained(299, optimizer="adam"))


def test_b_also_takes_back_a_change_of_learning_rate_made_after_that_epoch():
    session = trained(3, optimizer="sgd")
    lr = session.lr
    session.set_lr(lr / 2)
    session.step()
    session.step_back()
    assert session.epoch == 3 and session.lr == lr / 2  # epoch 3 as it was when epoch 4 began
    said = session.step_back()
    assert session.epoch == 2 and session.lr == lr and "again" in said
    assert_same(session, trained(2, optimizer="sgd"))


def test_b_after_a_switch_of_optimizer_brings_the_old_one_back_with_its_state():
    session = trained(4, optimizer="adam")
    session.set_optimizer("sgd")
    session.step(2)
    session.step_back(3)
    assert session.optimizer_key == "adam"
    assert_same(session, trained(3, optimizer="adam"))


def test_b_at_the_start_is_refused_and_changes_nothing():
    session = Session()
    before = shown(session)
    with pytest.raises(SessionError, match="nothing earlier"):
        session.step_back()
    assert shown(session) == before


def test_typing_weight_3_and_bias_0_on_triple_gives_loss_0_and_b_undoes_each():
    session = trained(1, optimizer="sgd")
    loss_before = session.loss
    weight_before = session.model.layers[0].weight.clone()
    said = session.set_number(0, 0, "3")
    assert "w₁₁" in said and "b undoes" in said
    session.set_number(0, 1, 0)
    assert session.loss == 0.0 and session.epoch == 1
    assert session.snapshot().layer.outputs == ((3.0,), (6.0,), (9.0,), (12.0,))
    assert session.unsaved
    said = session.step_back()
    assert said.startswith("Undid the edit b₁ ← 0")
    assert session.model.layers[0].weight.item() == 3.0
    session.step_back()
    assert torch.equal(session.model.layers[0].weight, weight_before)
    assert session.loss == loss_before
    assert_same(session, trained(1, optimizer="sgd"))


def test_an_edit_is_kept_in_a_checkpoint_and_resumes(tmp_path):
    session = trained(2, optimizer="adam")
    session.set_number(0, 0, 2.5)
    session_io.save(session, str(tmp_path / "edited.safetensors"))
    loaded, _ = session_io.load(str(tmp_path / "edited.safetensors"), "cpu")
    assert shown(loaded) == shown(session)
    session.step(3)
    loaded.step(3)
    assert_same(loaded, session)


def test_solved_still_lands_after_an_edit():
    session = Session(optimizer="solved")
    session.set_number(0, 0, -7)
    session.step()
    assert session.loss == 0.0


@pytest.mark.parametrize("value, reason", [("abc", "must be a number"), ("nan", "finite"),
                                           ("1e300", "must lie between"), ("1e20", "would make the loss")])
def test_a_bad_number_is_refused_and_changes_nothing(value, reason):
    session = trained(2, optimizer="sgd")
    before = shown(session)
    with pytest.raises(SessionError, match=reason):
        session.set_number(0, 0, value)
    assert shown(session) == before
    session.step_back()  # the refused edit left no moment behind
    assert session.epoch == 1


def test_the_probe_shows_the_networks_answer_for_an_input_not_in_the_batch():
    session = Session(optimizer="solved")
    session.step()
    session.set_probe((10.0,))
    probe = session.snapshot().probe
    assert probe.inputs == (10.0,) and probe.outputs == (30.0,) and probe.pre_activation == (30.0,)
    with pytest.raises(SessionError, match="needs 1 number"):
        session.set_probe((1.0, 2.0))
    assert session.snapshot().probe == probe
    session.set_probe(None)
    assert session.snapshot().probe is None
