"""Atomic writes: readers see the old file or the new one, never a mix, even after a crash or a
full disk midway."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ..training.errors import SessionError


def reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


def write_atomically(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` so that readers see the old file or the new one, never a mix.

    The temporary file lives in the target's folder: `os.replace` is atomic only within one
    file system. fsync before the rename makes the data durable before the name points at it;
    fsync of the folder makes the rename itself survive a power cut (POSIX only).
    """
    path = Path(path)
    folder = path.parent
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise SessionError(f"could not write {path}: {reason(error)}") from None
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        os.chmod(temp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException as error:  # KeyboardInterrupt too: never leave a temp file behind
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(error, OSError):
            raise SessionError(f"could not write {path}: {reason(error)}") from None
        raise
    _fsync_folder(folder)
    return path


def _umask() -> int:
    mask = os.umask(0)  # the only way to read it is to set it: put it straight back
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # best effort: the file is in place; Windows has no folder fds
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
