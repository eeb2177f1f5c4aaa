"""Headless, the explanations of a run gone wrong name flags (`--lr`, `--seed`), never the app's
keys; in the app they name keys. One explanation each, its last words given (`remedies`)."""

from __future__ import annotations

from scratchnn_tui.training.remedies import HEADLESS, IN_APP
from scratchnn_tui.training.session import Session

from cli_run import explode_from_epoch_3, run

KEY_WORDS = ("R resets", "- lowers", "press ", "(e)")


def names_no_key(text: str) -> bool:
    return not any(words in text for words in KEY_WORDS)


def test_headless_a_dead_output_layer_says_to_run_again_with_a_lower_lr(capsys):
    code, _, err = run(capsys, "--headless", "--task", "seed-2x2", "--lr", "1e6", "--epochs", "3")
    assert code == 0 and len(err) == 1
    assert "Every neuron of the output layer is dead" in err[0]
    assert err[0].endswith("Run again with a lower --lr (or another --seed).") and names_no_key(err[0])


def test_headless_a_zero_start_names_the_init_and_seed_flags(capsys):
    code, _, err = run(capsys, "--headless", "--init", "zero", "--epochs", "2")
    assert code == 0 and "dead from the start" in err[0]
    assert err[0].endswith("--init uniform, or another --seed, starts alive.") and names_no_key(err[0])


def test_headless_a_divergence_says_to_run_again_with_a_lower_lr(capsys, monkeypatch):
    explode_from_epoch_3(monkeypatch)
    code, _, err = run(capsys, "--headless", "--epochs", "10")
    assert code == 3
    assert err[0].endswith("is too high for this task; run again with a lower --lr") and names_no_key(err[0])


def test_the_app_session_keeps_its_keys_and_one_explanation_serves_both():
    app, headless = Session(task="seed-2x2", lr=1e6), Session(task="seed-2x2", lr=1e6)
    headless.remedies = HEADLESS
    app_note, headless_note = app.step(2), headless.step(2)
    assert Session.remedies is IN_APP
    assert app_note.endswith("stays at 1298.5. R resets, - lowers the learning rate.")
    assert headless_note == app_note.replace(IN_APP.dead_output, HEADLESS.dead_output)
