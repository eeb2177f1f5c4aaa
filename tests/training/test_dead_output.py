"""Why a network stops learning: an output layer whose every neuron died is said, once, with the
epoch and the learning rate that did it; a zero start is said after the first epoch."""

from __future__ import annotations

import pytest
import torch

from scratchnn_tui.cli import main
from scratchnn_tui.core import INITS
from scratchnn_tui.runtime.dispatch import carry_out
from scratchnn_tui.runtime.requests import SetInit
from scratchnn_tui.storage.session_state import export_state, import_state
from scratchnn_tui.training import values
from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.session import Session


def test_a_huge_step_kills_both_neurons_and_the_epoch_is_named():
    session = Session(task="seed-2x2", lr=1e6)
    notes = [session.step() for _ in range(4)]
    assert notes[0] is None  # epoch 0's update only overshot
    assert notes[1].startswith("Every neuron of the output layer is dead: the update of epoch 1, "
                               "at learning rate 1e+06, pushed every z below 0")
    assert "the loss stays at 1298.5" in notes[1]
    assert notes[2:] == [None, None]  # said once
    assert session.losses[2:] == [1298.5] * 3  # the loss of outputs that are all 0: mean(Y²)
    with torch.no_grad():
        assert (session.model(session.batch[0]) == 0).all()


def test_the_epoch_is_named_when_a_run_reads_many_epochs_at_once():
    session = Session(task="seed-2x2", lr=1e6)
    session.train(50)
    session.check()
    assert session.notes()[0].startswith("Every neuron of the output layer is dead: the update of epoch 1,")
    assert session.notes() == []


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_zero_weights_never_learn_and_say_why_after_the_first_epoch(optimizer):
    session = Session(optimizer=optimizer, init="zero")
    assert all((p == 0).all() for p in session.model.parameters())
    assert session.notes() == []  # nothing said before it has trained
    note = session.step()
    assert note.startswith("The neuron is dead from the start") and "relu′ is 0" in note
    session.step(20)
    assert session.losses == [67.5] * 22
    assert all((p == 0).all() for p in session.model.parameters())


def test_solved_still_lands_from_zero_and_says_nothing():
    session = Session(optimizer="solved", init="zero")
    assert session.step() is None and session.loss == 0.0


def test_a_healthy_run_says_nothing_and_a_reset_watches_again():
    session = Session(task="seed-2x2")
    assert session.step(200) is None and session.notes() == []
    session.set_lr(1e6)
    assert "the update of epoch 201" in session.step(3)
    session.reset()
    assert "the update of epoch 1," in session.step(3)  # the new run died again, and is told again


def test_init_is_kept_in_checkpoints_and_set_by_request():
    session = Session(init="zero")
    session.step(2)
    resumed = import_state(*export_state(session))
    assert resumed.init == "zero" and resumed.losses == session.losses
    fresh = Session()
    kept, message = carry_out(fresh, SetInit("zero"))
    assert kept is fresh and message.startswith("Init: zero") and fresh.init == "zero" and fresh.epoch == 0
    assert all((p == 0).all() for p in fresh.model.parameters())
    with pytest.raises(SessionError, match="unknown initialisation"):
        fresh.set_init("ones")
    assert fresh.init == "zero"


def test_the_command_line_checks_its_names_without_torch_as_the_core_names_them():
    assert values.INITS == INITS


def test_headless_says_it_once_on_stderr_and_exits_0(capsys):
    assert main(["--headless", "--task", "seed-2x2", "--lr", "1e6", "--epochs", "4"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[1:] == [f"Epoch {k} - loss: 1298.500000" for k in (1, 2, 3)]
    assert err.count("\n") == 1 and err.startswith("scratchnn-tui: Every neuron of the output layer is dead")


def test_headless_zero_init(capsys):
    assert main(["--headless", "--init", "zero", "--epochs", "3"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"Epoch {k} - loss: 67.500000" for k in range(3)]
    assert "dead from the start" in err
    assert main(["--headless", "--init", "zero", "--optimizer", "solved", "--epochs", "1"]) == 0
    assert capsys.readouterr().out == "Epoch 0 - loss: 0.000000\n"
    with pytest.raises(SystemExit) as exit:
        main(["--headless", "--init", "ones"])
    assert exit.value.code == 2 and "unknown initialisation 'ones'" in capsys.readouterr().err
