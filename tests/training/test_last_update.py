"""The last stepped update, number by number: the gradient by hand equals autograd's, and the
optimizer's numbers give exactly the step it took."""

from __future__ import annotations

import pytest
import torch

from scratchnn_tui.training.session import Session


@pytest.mark.parametrize("task", ["triple", "seed-2x2", "square"])
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_hand_and_autograd_agree_and_the_rule_gives_the_step(task, optimizer):
    session = Session(task=task, optimizer=optimizer)
    session.step(3)
    before = [p.detach().clone() for p in session.model.parameters()]
    session.step()
    update = session.last_update
    assert update.epoch == 3 and update.optimizer_key == optimizer
    numbers = [n for row in update.weight for n in row] + list(update.bias)
    flat_before = torch.cat([p.flatten() for p in before]).tolist()
    flat_after = torch.cat([p.detach().flatten() for p in session.model.parameters()]).tolist()
    settings = dict(update.settings)
    for number, was, now in zip(numbers, flat_before, flat_after):
        assert (number.before, number.after) == (was, now)
        assert abs(number.by_hand - number.autograd) < 1e-5 * max(1.0, abs(number.autograd))
        lr = torch.tensor(settings["lr"], dtype=torch.float32)
        if optimizer == "sgd":
            expected = torch.tensor(was) - lr * torch.tensor(number.autograd)
        elif optimizer == "momentum":
            velocity = dict(number.state_after)["momentum_buffer"]
            assert velocity == pytest.approx(settings["momentum"] * dict(number.state_before)["momentum_buffer"]
                                             + number.autograd, rel=1e-5)
            expected = torch.tensor(was) - lr * torch.tensor(velocity)
        else:
            state = dict(number.state_after)
            t = state["step"]
            m_hat = state["exp_avg"] / (1 - settings["beta1"] ** t)
            v_hat = state["exp_avg_sq"] / (1 - settings["beta2"] ** t)
            expected = torch.tensor(was - settings["lr"] * m_hat / (v_hat ** 0.5 + settings["eps"]))
        assert now == pytest.approx(expected.item(), rel=1e-5, abs=1e-6)
    # the forward pass before the update, as the chain rule reads it
    assert update.targets == session.task.targets and update.inputs == session.task.inputs


def test_the_seed_8_first_epoch_of_triple():
    session = Session()
    session.step()
    number = session.last_update.weight[0][0]
    assert round(number.by_hand, 2) == -38.61 and round(number.before, 3) == 0.196
    assert round(number.after, 3) == 0.968


def test_running_records_nothing_and_a_reset_forgets():
    session = Session()
    session.train(5)
    assert session.last_update is None and session.snapshot().update is None
    session.step()
    assert session.snapshot().update is session.last_update
    session.reset()
    assert session.last_update is None
