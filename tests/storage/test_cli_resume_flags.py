"""`--resume` with other flags: `--lr`, `--optimizer` (headless) and `--device` apply on top of
the checkpoint; `--task`, `--seed`, `--init` and `--data` that contradict it are refused (exit 2)
instead of being silently ignored; flags not given never count."""

from __future__ import annotations

import pytest

from scratchnn_tui.training.session import Session

from session_compare import trained
from cli_run import run


def log(session: Session, epochs: int) -> list[str]:
    """The lines a headless run prints for `epochs` more epochs of `session`."""
    lines = []
    for _ in range(epochs):
        epoch = session.epoch
        session.step()
        lines.append(f"Epoch {epoch} - loss: {session.loss:.6f}")
    return lines


@pytest.fixture
def saved(capsys, tmp_path):
    """A checkpoint of triple, momentum, seed 8, uniform init, after 10 epochs."""
    path = tmp_path / "ten.safetensors"
    assert run(capsys, "--headless", "--optimizer", "momentum", "--epochs", "10", "--save", str(path))[0] == 0
    return path


@pytest.fixture
def app_runs(monkeypatch):
    from scratchnn_tui.ui import app

    started = []
    monkeypatch.setattr(app.ScratchApp, "run", lambda self, *a, **k: started.append(self))
    return started


CONTRADICTIONS = [
    (["--task", "square"], "--task square contradicts the checkpoint's task triple; "
                           "drop --task or start without --resume"),
    (["--seed", "3"], "--seed 3 contradicts the checkpoint's seed 8; drop --seed or start without --resume"),
    (["--init", "zero"], "--init zero contradicts the checkpoint's init uniform; "
                         "drop --init or start without --resume"),
    # the command: it used to continue the checkpoint with the checkpoint's settings
    (["--task", "square", "--lr", "0.5", "--optimizer", "adam", "--seed", "3"],
     "--task square contradicts the checkpoint's task triple; drop --task or start without --resume"),
]


@pytest.mark.parametrize(("flags", "words"), CONTRADICTIONS, ids=[" ".join(c[0]) for c in CONTRADICTIONS])
def test_a_flag_that_contradicts_the_checkpoint_is_refused_headless(capsys, saved, flags, words):
    code, out, err = run(capsys, "--headless", "--resume", str(saved), *flags)
    assert (code, out, err) == (2, [], [f"scratchnn-tui: error: {words}"])


@pytest.mark.parametrize(("flags", "words"), CONTRADICTIONS[:3], ids=[" ".join(c[0]) for c in CONTRADICTIONS[:3]])
def test_a_flag_that_contradicts_the_checkpoint_is_refused_before_the_app(capsys, saved, app_runs, flags, words):
    code, out, err = run(capsys, "--resume", str(saved), *flags)
    assert (code, out, err) == (2, [], [f"scratchnn-tui: error: {words}"])
    assert app_runs == []


def test_flags_that_agree_with_the_checkpoint_continue_it_exactly(capsys, saved):
    code, out, err = run(capsys, "--headless", "--resume", str(saved), "--epochs", "5", "--task", "triple",
                         "--seed", "8", "--init", "uniform", "--optimizer", "momentum", "--lr", "0.02")
    assert code == 0 and err == []
    assert out == log(trained(10, "triple", "momentum"), 5)  # the momentum was not reset


def test_flags_not_given_never_contradict(capsys, tmp_path, app_runs):
    """The defaults (sgd, uniform, seed 8, triple) must not count against a checkpoint that
    has none of them."""
    path = tmp_path / "square.safetensors"
    assert run(capsys, "--headless", "--task", "square", "--optimizer", "adam", "--init", "zero",
               "--seed", "3", "--lr", "0.1", "--epochs", "4", "--save", str(path))[0] == 0
    code, out, err = run(capsys, "--headless", "--resume", str(path), "--epochs", "2")
    assert code == 0 and not any("error" in line for line in err)  # (zero init: a note that it is dead)
    assert out == log(trained(4, "square", "adam", init="zero", seed=3, lr=0.1), 2)
    assert run(capsys, "--resume", str(path))[0] == 0 and len(app_runs) == 1


def test_lr_applies_on_top_of_the_checkpoint(capsys, saved):
    code, out, err = run(capsys, "--headless", "--resume", str(saved), "--epochs", "5", "--lr", "0.001")
    assert code == 0 and err == []
    expected = trained(10, "triple", "momentum")
    expected.set_lr(0.001)
    assert out == log(expected, 5)
    assert out != log(trained(10, "triple", "momentum"), 5)


def test_optimizer_applies_on_top_with_fresh_state_and_says_so(capsys, saved, tmp_path):
    again = tmp_path / "adam.safetensors"
    code, out, err = run(capsys, "--headless", "--resume", str(saved), "--epochs", "5", "--optimizer", "adam",
                         "--lr", "0.1", "--save", str(again))
    assert code == 0
    expected = trained(10, "triple", "momentum")
    expected.set_optimizer("adam")
    expected.set_lr(0.1)
    assert out == log(expected, 5)
    assert err[0] == ("scratchnn-tui: --optimizer adam: Adam takes over from the checkpoint's "
                      "SGD+momentum at epoch 10, with its state started afresh")
    assert len(err) == 2 and str(again) in err[1]  # and then the save
    assert run(capsys, "--headless", "--resume", str(again), "--epochs", "0")[0] == 0  # adam, lr 0.1 kept


def test_an_optimizer_the_task_cannot_use_is_refused(capsys, tmp_path):
    path = tmp_path / "square.safetensors"
    assert run(capsys, "--headless", "--task", "square", "--epochs", "2", "--save", str(path))[0] == 0
    code, out, err = run(capsys, "--headless", "--resume", str(path), "--optimizer", "solved")
    assert code == 2 and out == [] and len(err) == 1 and "Solved" in err[0]


@pytest.mark.parametrize(("flags", "words"), [
    (["--lr", "0.5"], "--lr with --resume works headless; in the app press e"),
    (["--optimizer", "adam"], "--optimizer with --resume works headless; in the app press o"),
])
def test_the_app_refuses_overrides_of_a_checkpoint_and_says_which_key_does_it(capsys, saved, app_runs,
                                                                               flags, words):
    code, out, err = run(capsys, "--resume", str(saved), *flags)
    assert (code, out, err) == (2, [], [f"scratchnn-tui: error: {words}"])
    assert app_runs == []
