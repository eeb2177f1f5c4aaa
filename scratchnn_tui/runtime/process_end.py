"""How a training process ended, in words: its exit code or signal, and its last words.

The training process writes its stderr (Python's tracebacks, torch's warnings, faulthandler's
report of a crash in C code) to a file of its own, never to the terminal the UI draws on; after
an unexpected end, the last lines of that file say why.
"""

from __future__ import annotations

import os
import signal
import tempfile
import uuid

LAST_LINES = 3
LAST_CHARS = 400


def how_it_ended(exit_code: int | None) -> str:
    """`exit code 1`, `killed by signal SIGKILL`, or that the code is not known (yet)."""
    if exit_code is None:
        return "exit code unknown"
    if exit_code < 0:
        try:
            name = signal.Signals(-exit_code).name
        except ValueError:
            name = str(-exit_code)
        return f"killed by signal {name}"
    return f"exit code {exit_code}"


def new_stderr_path() -> str:
    """A fresh name for a training process's stderr file, which the process creates when it
    starts (`open_stderr`) and its parent removes."""
    return os.path.join(tempfile.gettempdir(), f"scratchnn-tui-training-{uuid.uuid4().hex}.stderr")


def open_stderr(path: str) -> int:
    """The file descriptor to write a training process's stderr to, private to its user."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)


def last_lines(path: str | None) -> str:
    """The last few non-empty lines of the file at `path`, joined by ` | `; "" if none."""
    if path is None:
        return ""
    try:
        with open(path, "rb") as file:
            file.seek(0, os.SEEK_END)
            file.seek(max(0, file.tell() - 4096))
            tail = file.read().decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [line.strip() for line in tail.splitlines() if line.strip()][-LAST_LINES:]
    text = " | ".join(lines)
    return text if len(text) <= LAST_CHARS else "…" + text[-LAST_CHARS:]


def remove(path: str | None) -> None:
    if path is not None:
        try:
            os.unlink(path)
        except OSError:
            pass
