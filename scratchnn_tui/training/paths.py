"""File names a user gives, checked before anything is read or written: one check shared by the
command line and the app's file dialogs, so both refuse the same path with the same sentence.

It lives here, beside `values`, because the UI may import `training` but not `storage`; and it
imports no torch, so the command line refuses a bad path before paying for `import torch`, and
long before a run has trained for an hour.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import SessionError

AUTOSAVE = "last"  # not a path: the session autosaved at the last quit (storage finds it)


def _expanded(text: str) -> Path:
    """`text` as a Path with `~` expanded; SessionError for an empty or unusable name."""
    if not text:
        raise SessionError("a file name is needed")
    try:
        return Path(text).expanduser()
    except RuntimeError as error:  # ~nosuchuser
        raise SessionError(f"not a usable file name: {error}") from None


def _mode(path: Path) -> int | None:
    """The file type bits of `path` (links followed), or None if nothing is there. A name the
    OS cannot even look up (too long, say) is refused here rather than raised."""
    try:
        return os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise SessionError(f"not a usable file name: {error}") from None


def checkpoint_to_read(text: str) -> Path:
    """The checkpoint file `text` names (`~` expanded), which must exist and be a file; `last`
    is returned as it is. Says "a folder" for a folder: "no file" would send the user looking
    for a file that was never missing."""
    if text == AUTOSAVE:
        return Path(text)
    path = _expanded(text)
    mode = _mode(path)
    if mode is None:
        raise SessionError(f"there is no file {text}")
    if stat.S_ISDIR(mode):
        raise SessionError(f"{text} is a folder, not a checkpoint file")
    if not stat.S_ISREG(mode):
        raise SessionError(f"{text} is not a regular file, so not a checkpoint file")
    return path


def file_to_write(text: str) -> Path:
    """The file `text` names (`~` expanded), which can be written: its folder exists and is
    writable, and the name is not a folder. Checked before a run starts, so a typo in the
    folder costs nothing instead of the whole run. An existing file is fine (it is replaced
    atomically); an existing device or pipe is not, since the rename would replace it."""
    path = _expanded(text)
    mode = _mode(path)
    if mode is not None and stat.S_ISDIR(mode):
        raise SessionError(f"{text} is a folder; give a file name")
    if mode is not None and not stat.S_ISREG(mode):
        raise SessionError(f"{text} is not a regular file; give a file name")
    folder = path.parent
    folder_mode = _mode(folder)
    if folder_mode is None:
        raise SessionError(f"there is no folder {folder} to write {text} in")
    if not stat.S_ISDIR(folder_mode):
        raise SessionError(f"{folder} is not a folder, so {text} cannot be written")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SessionError(f"cannot write {text}: the folder {folder} is not writable")
    return path
