"""Running the command line inside a test: its exit code, stdout and stderr lines, and a
session that blows up mid-run. Shared by the CLI tests."""

from __future__ import annotations

from scratchnn_tui.cli import main
from scratchnn_tui.runtime import process_worker

from epoch_hooks import on_epochs


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exit:
        code = exit.code
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err.splitlines()


def explode_from_epoch_3(monkeypatch) -> None:
    """Sessions the command line builds get weights of 1e30× from the third epoch's update on
    (these ReLU layers rarely diverge by themselves: a too-large step kills the neuron)."""
    build = process_worker.build_session

    def explode(session, done):
        if done >= 3:
            session.model.layers[0].weight.mul_(1e30)

    monkeypatch.setattr(process_worker, "build_session", lambda **s: on_epochs(build(**s), after=explode))
