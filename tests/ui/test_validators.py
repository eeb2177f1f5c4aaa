"""The dialogs' validators: the engine's own checks, and file names that would trip the OS."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.values import check_lr
from scratchnn_tui.ui.validators import Checked, check_path


@pytest.mark.parametrize("text", ["~nosuchuser-scratchnn/run.safetensors", "a" * 300])
def test_names_the_os_rejects_are_refused_not_raised(text):
    for must_exist in (True, False):
        with pytest.raises(SessionError, match="not a usable file name|there is no file"):
            check_path(text, must_exist)
        result = Checked(lambda value: check_path(value, must_exist)).validate(text)
        assert not result.is_valid


def test_home_is_expanded_where_it_is_checked(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "run.safetensors").write_bytes(b"x")
    assert check_path("~/run.safetensors", must_exist=True) == tmp_path / "run.safetensors"
    assert check_path("~/new.csv", must_exist=False) == tmp_path / "new.csv"
    assert check_path("last", must_exist=True) == Path("last")


def test_a_check_that_fails_unexpectedly_is_a_refusal_with_its_reason():
    def broken(value):
        raise RuntimeError("surprise")

    assert Checked(broken).validate("x").failure_descriptions == ["surprise"]
    assert Checked(check_lr).validate("0.1").is_valid
    assert Checked(check_lr).validate("nan").failure_descriptions == ["the learning rate must be finite, got nan"]


def test_a_folder_to_load_is_called_a_folder(tmp_path):
    """Not "there is no file": the user would look for a file that was never missing."""
    with pytest.raises(SessionError, match=f"^{tmp_path} is a folder, not a checkpoint file$"):
        check_path(str(tmp_path), must_exist=True)
    assert Checked(lambda value: check_path(value, True)).validate(str(tmp_path)).failure_descriptions == [
        f"{tmp_path} is a folder, not a checkpoint file"]


def test_a_file_to_write_needs_a_folder_that_exists(tmp_path):
    target = tmp_path / "no-such-folder" / "run.safetensors"
    with pytest.raises(SessionError, match=f"^there is no folder {target.parent} to write {target} in$"):
        check_path(str(target), must_exist=False)
    with pytest.raises(SessionError, match="is a folder; give a file name"):
        check_path(str(tmp_path), must_exist=False)
    assert check_path(str(tmp_path / "run.safetensors"), must_exist=False) == tmp_path / "run.safetensors"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_neither_loaded_nor_replaced(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(SessionError, match="is not a regular file"):
        check_path(str(pipe), must_exist=True)
    with pytest.raises(SessionError, match="is not a regular file"):
        check_path(str(pipe), must_exist=False)
