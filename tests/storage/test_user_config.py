"""The remembered theme: one small JSON file in the user's config folder, never a crash."""

from __future__ import annotations

import json
import os

import pytest

from scratchnn_tui.storage.user_config import config_path, read_theme, remember_theme


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return config_path()


def test_the_file_lives_in_the_xdg_config_folder(config, tmp_path):
    assert config == tmp_path / "xdg" / "scratchnn-tui" / "config.json"


def test_nothing_remembered_yet_is_the_default_without_a_note(config):
    assert read_theme() == (None, None)


def test_a_remembered_theme_comes_back_and_other_settings_stay(config):
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"later": 1}))
    assert remember_theme("nord") is None
    assert read_theme() == ("nord", None)
    assert json.loads(config.read_text()) == {"later": 1, "theme": "nord"}
    assert [p.name for p in config.parent.iterdir()] == ["config.json"]  # no temporary file left


@pytest.mark.parametrize("content, says", [("{not json", "not valid JSON"), ("[1, 2]", "JSON object"),
                                           ('{"theme": 3}', "not a name"), (b"\xff\xfe", "UTF-8")])
def test_a_corrupt_file_gives_one_line_and_the_default(config, content, says):
    config.parent.mkdir(parents=True)
    (config.write_bytes if isinstance(content, bytes) else config.write_text)(content)
    theme, note = read_theme()
    assert theme is None and says in note and "\n" not in note and "default" in note


def test_an_unreadable_file_gives_one_line_and_the_default(config):
    config.mkdir(parents=True)  # a folder where the file should be
    theme, note = read_theme()
    assert theme is None and str(config) in note and "\n" not in note


def test_a_corrupt_file_is_replaced_by_a_good_one(config):
    config.parent.mkdir(parents=True)
    config.write_text("{not json")
    assert remember_theme("dracula") is None
    assert read_theme() == ("dracula", None)


def test_a_folder_that_cannot_be_written_is_one_line_not_a_crash(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))  # a file where the folder should be
    note = remember_theme("nord")
    assert note and "could not remember the theme" in note and "\n" not in note
