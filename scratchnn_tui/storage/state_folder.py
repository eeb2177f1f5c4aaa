"""The user's state folder, where a quit saves unsaved progress for `--resume last`.

`last.safetensors` is the newest quit's autosave. Before a new one is written, the one there is
kept as `earlier-<time>-….safetensors`, and so is progress a reset, a new task or a load would
throw away (`aside_path`); the last KEEP_EARLIER of those are kept. Two apps quitting at nearly
the same time, or a reset after a quit, never lose each other's session.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import platformdirs

from ..training.errors import SessionError
from .atomic import reason

LAST_NAME = "last.safetensors"
EARLIER_GLOB = "earlier-*.safetensors"
KEEP_EARLIER = 8
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
    """Where the autosave goes: `last.safetensors` in the state folder, created if missing; the
    autosave already there is kept among the earlier ones first."""
    folder = ensure_state_dir()
    last = folder / LAST_NAME
    _keep_earlier(folder, last)
    return last


def autosaved_line(written: Path) -> str:
    """What a quit's autosave says: where the session went, and how to bring it back."""
    return f"Session saved to {written}; resume it with: scratchnn-tui --resume last"


def aside_path() -> Path:
    """A new file among the earlier autosaves, for a session about to be thrown away."""
    folder = ensure_state_dir()
    _prune()
    return folder / _earlier_name(time.time())


def _earlier_name(written: float) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(written))
    return f"earlier-{stamp}-{os.getpid()}-{time.monotonic_ns()}.safetensors"


def _prune() -> None:
    """Keep room for one more: the oldest earlier autosaves beyond KEEP_EARLIER − 1 go."""
    for old in earlier_autosaves()[:-(KEEP_EARLIER - 1)]:
        old.unlink(missing_ok=True)


def earlier_autosaves() -> list[Path]:
    """The autosaves kept before the last one, oldest first."""
    return sorted(state_dir().glob(EARLIER_GLOB), key=lambda path: path.stat().st_mtime_ns)


def _keep_earlier(folder: Path, last: Path) -> None:
    try:
        _prune()
        # A rename is atomic: of two apps saving at once, one moves the file and the other
        # finds it gone, and neither session is lost.
        os.replace(last, folder / _earlier_name(last.stat().st_mtime))
    except FileNotFoundError:
        return
    except OSError as error:
        raise SessionError(f"could not keep the earlier autosave {last}: {reason(error)}") from None
