"""The lesson's steps in the training process: each builds the state it says, its try is noticed
from what the session then shows, and the user's session waits under it untouched."""

from __future__ import annotations

import pytest
import torch

from scratchnn_tui.runtime.dispatch import carry_out
from scratchnn_tui.runtime.lesson_run import in_lesson
from scratchnn_tui.runtime.recovery_copy import make_copy, session_from_copy
from scratchnn_tui.runtime.requests import (Autosave, LeaveLesson, Load, SetNumber, SetOptimizer, StartLesson,
                                            StartRace, Step)
from scratchnn_tui.storage.checkpoint import load_checkpoint
from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.lesson import STEPS, LessonFacts, check_step, lesson_step
from scratchnn_tui.training.lesson_session import LessonSession
from scratchnn_tui.training.session import Session

ARTICLE_X = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
ARTICLE_W = torch.tensor([[5.0, 7.0], [6.0, 8.0]])


def users_session() -> Session:
    session = Session(task="square", hidden="8")
    session.step(5)
    return session


def weights(session) -> list:
    return [p.detach().clone() for p in session.model.parameters()]


def step_session(number: int) -> LessonSession:
    return carry_out(Session(), StartLesson(number))[0]


def test_the_figure_steps_start_at_the_article_weights_and_give_19_22_43_50():
    for number in (1, 2, 3, 4, 5):
        snapshot = step_session(number).snapshot()
        assert snapshot.epoch == 0 and snapshot.lesson == number and snapshot.task == "seed-2x2"
        # The oracle: torch's own matrix product on the article's numbers.
        expected = torch.relu(ARTICLE_X @ ARTICLE_W.T).tolist()
        assert [list(row) for row in snapshot.layer.outputs] == expected == [[19, 22], [43, 50]]
        assert snapshot.layer.weight == ((5, 7), (6, 8)) and snapshot.layer.bias == (0, 0)


def test_a_step_keeps_the_users_session_and_leaving_hands_it_back_as_it_was():
    yours = users_session()
    before, snapshot = weights(yours), yours.snapshot()
    lesson, said = carry_out(yours, StartLesson(1))
    assert isinstance(lesson, LessonSession) and lesson.waiting is yours and said is None
    lesson, _ = carry_out(lesson, StartLesson(6))  # another step: a new session, the same one waiting
    lesson, _ = carry_out(lesson, Step(1))
    lesson, _ = carry_out(lesson, SetOptimizer("sgd"))
    race, _ = carry_out(lesson, StartRace())  # step 7 races inside the lesson
    back, said = carry_out(race, LeaveLesson())
    assert back is yours and not in_lesson(back)
    assert all(torch.equal(a, b) for a, b in zip(before, weights(back)))
    assert back.snapshot() == snapshot
    assert "epoch 5" in said and "square" in said


def test_quitting_in_the_lesson_saves_the_users_session_not_the_lessons():
    yours = users_session()
    lesson, _ = carry_out(yours, StartLesson(6))
    lesson, _ = carry_out(lesson, Step(1))
    _, said = carry_out(lesson, Autosave())
    path = said.split(" to ", 1)[1].split(";")[0].split(" (")[0].strip().rstrip(".")
    saved = load_checkpoint(path)
    assert saved.task.name == "square" and saved.epoch == 5


def test_a_restart_of_the_training_process_in_the_lesson_brings_back_the_users_session():
    yours = users_session()
    lesson, _ = carry_out(yours, StartLesson(3))
    restored = session_from_copy(make_copy(lesson), "cpu")
    assert restored.task.name == "square" and restored.epoch == 5 and restored.unsaved


def test_in_the_lesson_nothing_is_saved_aside_and_a_load_waits():
    lesson = step_session(6)
    assert not lesson.unsaved
    lesson, said = carry_out(lesson, Step(1))
    assert not lesson.unsaved  # R or t in a step throws nothing of the user's away
    with pytest.raises(SessionError, match="waits until the lesson ends"):
        carry_out(lesson, Load("last"))


@pytest.mark.parametrize("number", [0, len(STEPS) + 1, 99])
def test_a_step_the_lesson_has_not_is_refused(number):
    with pytest.raises(ValueError, match=f"steps 1 to {len(STEPS)}"):
        check_step(number)
    with pytest.raises(SessionError):
        carry_out(Session(), StartLesson(number))


def tried(session, number, **facts) -> bool:
    return lesson_step(number).tried(LessonFacts(session.snapshot(), **facts))


def test_step_1_ticks_once_relu_clips_a_negative_sum():
    lesson = step_session(1)
    assert not tried(lesson, 1)
    lesson, _ = carry_out(lesson, SetNumber(0, 1, "-10"))
    assert tried(lesson, 1)  # 1×5 + 2×(−10) = −15 → 0


def test_step_6_solved_reaches_loss_0_in_one_epoch():
    lesson = step_session(6)
    assert lesson.optimizer_key == "solved" and not tried(lesson, 6)
    lesson, _ = carry_out(lesson, Step(1))
    assert lesson.snapshot().loss == 0 and tried(lesson, 6)


def test_step_8_zero_weights_never_move_and_step_9_solved_needs_no_gradient():
    lesson = step_session(8)
    assert lesson.init == "zero"
    lesson.step(3)
    assert tried(lesson, 8)
    assert all(p.abs().sum() == 0 for p in lesson.model.parameters())  # relu′(0) = 0: no gradient
    lesson = step_session(9)
    lesson.step(1)
    assert not tried(lesson, 9)  # SGD from zeros does not get there
    lesson.set_optimizer("solved")
    lesson.step(1)
    assert tried(lesson, 9)


def test_step_10_a_hidden_layer_learns_xor():
    lesson = step_session(10)
    assert lesson.sizes == (2, 4, 1) and not tried(lesson, 10)
    lesson.step(2000)  # r at max speed gets here in a blink
    assert tried(lesson, 10)


def test_nn_linear_checks_the_hand_made_layer_while_the_code_view_is_open():
    lesson = step_session(5)
    assert lesson.snapshot().linear_checks == ()  # not computed while nobody looks
    lesson.show_code(True)
    snapshot = lesson.snapshot()
    assert snapshot.linear_checks == (snapshot.layer.pre_activation,) == (((19, 22), (43, 50)),)
    deep = Session(task="xor", hidden="4")
    deep.show_code(True)
    deep_snapshot = deep.snapshot()
    assert len(deep_snapshot.linear_checks) == 2
    for view, check in zip(deep_snapshot.layers, deep_snapshot.linear_checks):
        flat = [v for row in check for v in row]
        assert flat == pytest.approx([v for row in view.pre_activation for v in row], abs=1e-6)
