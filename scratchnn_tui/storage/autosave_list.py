"""`--resume list`: the autosaves in the state folder, newest first, with what each holds."""

from __future__ import annotations

import time
from pathlib import Path

from ..training.errors import SessionError
from .checkpoint import checkpoint_settings
from .state_folder import LAST_NAME, earlier_autosaves, state_dir


def autosave_lines() -> list[str]:
    """One line per autosave: when it was written, its task and epoch, and the path to pass to
    --resume (`last` for the newest quit's)."""
    last = state_dir() / LAST_NAME
    files = ([last] if last.is_file() else []) + list(reversed(earlier_autosaves()))
    if not files:
        return [f"no autosaved sessions in {state_dir()}"]
    return [_line(path, "last" if path == last else str(path)) for path in files]


def _line(path: Path, name: str) -> str:
    written = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(path.stat().st_mtime))
    try:
        settings = checkpoint_settings(path)
        hidden = settings.get("hidden") or []
        shape = f" --hidden {','.join(map(str, hidden))}" if hidden else ""
        what = f"{settings.get('task')}{shape}, {settings.get('optimizer')}, epoch {settings.get('epoch')}"
    except SessionError as refusal:
        what = f"unreadable: {refusal}"
    return f"{written}  {what}  --resume {name}"
