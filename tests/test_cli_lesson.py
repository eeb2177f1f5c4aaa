"""`--lesson [N]`: a step the lesson has, or exit 2 with one line; the app then opens on it."""

from __future__ import annotations

import pytest

from scratchnn_tui import cli
from scratchnn_tui.training.lesson import STEPS

from cli_run import run


@pytest.mark.parametrize("argv", [["--lesson", "0"], ["--lesson", "99"], ["--lesson", "two"],
                                  ["--lesson", "--headless"], ["--lesson", "2", "--race"]])
def test_a_step_the_lesson_has_not_or_a_flag_it_cannot_go_with_exits_2_with_one_line(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == [] and len(err) == 1 and "lesson" in err[0]


@pytest.mark.parametrize("argv, step", [(["--lesson"], 1), (["--lesson", "4"], 4), ([f"--lesson={len(STEPS)}"], len(STEPS))])
def test_the_app_opens_on_the_step_asked_for(monkeypatch, argv, step):
    opened = {}

    class App:
        return_code = 0

        def __init__(self, **settings):
            opened.update(settings)

        def run(self):
            pass

    monkeypatch.setattr("scratchnn_tui.ui.app.ScratchApp", App)
    assert cli.main(argv) == 0
    assert opened["lesson"] == step
