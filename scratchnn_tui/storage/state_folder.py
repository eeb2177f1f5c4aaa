"""The user's state folder, where a quit saves unsaved progress for `--resume last`."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from ..training.errors import SessionError
from .atomic import reason

LAST_NAME = "last.safetensors"
STATE_DIR_ENV = "SCRATCHNN_TUI_STATE_DIR"


def state_dir() -> Path:
    """Where the autosave lives: the platform's user state folder, or $SCRATCHNN_TUI_STATE_DIR."""
    override = os.environ.get(STATE_DIR_ENV)
    return Path(override) if override else platformdirs.user_state_path("scratchnn-tui")


def ensure_state_dir() -> Path:
    """The state folder, created if missing: the only folder this module ever creates, since a
    typo in a path the user gave should be an error, not a new tree of folders."""
    folder = state_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SessionError(f"could not create the state folder {folder}: {reason(error)}") from None
    return folder


def resolve_resume(text: str) -> Path:
    """The file a resume request names: the word `last` is the autosave, anything else a path."""
    if text != "last":
        return Path(text)
    path = state_dir() / LAST_NAME
    if not path.is_file():
        raise SessionError(f"no autosaved session yet: {path} does not exist")
    return path


def autosave_path() -> Path:
    """Where the autosave goes: `last.safetensors` in the state folder, created if missing."""
    return ensure_state_dir() / LAST_NAME
