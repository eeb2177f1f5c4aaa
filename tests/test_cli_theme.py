"""`--theme NAME`: any of Textual's themes, checked before torch loads, remembered for next time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scratchnn_tui.cli import theme_choice
from scratchnn_tui.storage.user_config import config_path, read_theme

from cli_run import run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))


def test_an_unknown_theme_exits_2_listing_the_themes_before_torch_loads(tmp_path):
    code = ("import sys\nfrom scratchnn_tui.cli import main\n"
            "try:\n    main(['--theme', 'no-such-theme'])\n"
            "except SystemExit as e:\n    print('torch' in sys.modules, e.code)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            cwd=ROOT, timeout=120)
    assert result.stdout.split() == ["False", "2"]
    error = result.stderr.strip()
    assert "\n" not in error and "unknown theme 'no-such-theme'" in error
    assert "textual-light" in error and "solarized-light" in error and "nord" in error
    assert not config_path().exists()  # a refused flag remembers nothing


def test_theme_with_headless_is_refused(capsys):
    code, _, err = run(capsys, "--headless", "--theme", "nord")
    assert code == 2 and "--theme" in err[0]


def test_the_flag_starts_the_app_on_it_and_is_remembered_for_the_next_start():
    choice = theme_choice("solarized-light")
    assert (choice.name, choice.note) == ("solarized-light", None)
    assert read_theme() == ("solarized-light", None)
    later = theme_choice(None)
    assert later.name == "solarized-light" and later.note is None
    assert later.remember("nord") is None and theme_choice(None).name == "nord"  # the palette's pick


def test_nothing_remembered_is_textuals_default():
    choice = theme_choice(None)
    assert (choice.name, choice.note) == (None, None)


def test_a_corrupt_config_is_one_note_and_the_default():
    config_path().parent.mkdir(parents=True)
    config_path().write_text("{oops")
    choice = theme_choice(None)
    assert choice.name is None and "not valid JSON" in choice.note


def test_a_remembered_name_textual_no_longer_has_is_one_note_and_the_default():
    config_path().parent.mkdir(parents=True)
    config_path().write_text('{"theme": "gone-theme"}')
    choice = theme_choice(None)
    assert choice.name is None and "gone-theme" in choice.note
