"""The user's settings that outlive a session: today the colour theme, chosen by `--theme` or in
the command palette and used again at the next start.

One small JSON file, `config.json` in the platform's user config folder
(`~/.config/scratchnn-tui/` on Linux, `$XDG_CONFIG_HOME/scratchnn-tui/` where that is set),
written atomically so that two apps closing at once leave one whole file. A setting is a
convenience: a file that cannot be read or written costs one line of explanation and the
default, never the start of the app.
"""

from __future__ import annotations

import json
from pathlib import Path

import platformdirs

from ..training.errors import SessionError
from .atomic import reason, write_atomically

CONFIG_NAME = "config.json"


def config_path() -> Path:
    """Where the settings live (platformdirs honours XDG_CONFIG_HOME)."""
    return platformdirs.user_config_path("scratchnn-tui") / CONFIG_NAME


def _read(path: Path) -> dict:
    """The file's settings; {} if there is none. SessionError says why one cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        detail = reason(error) if isinstance(error, OSError) else "not UTF-8 text"
        raise SessionError(f"could not read the settings in {path}: {detail}") from None
    try:
        settings = json.loads(text)
    except json.JSONDecodeError as error:
        raise SessionError(f"{path} is not valid JSON (line {error.lineno}): {error.msg}") from None
    if not isinstance(settings, dict):
        raise SessionError(f"{path} does not hold a JSON object of settings")
    return settings


def read_theme(path: Path | None = None) -> tuple[str | None, str | None]:
    """(the remembered theme or None, a one-line note when the file could not be used)."""
    path = path or config_path()
    try:
        theme = _read(path).get("theme")
    except SessionError as problem:
        return None, f"{problem}; using the default theme"
    if theme is not None and not isinstance(theme, str):
        return None, f"the theme in {path} is not a name; using the default theme"
    return theme, None


def remember_theme(name: str, path: Path | None = None) -> str | None:
    """Write `name` as the theme for the next start, keeping any other settings in the file.
    Returns None when done, else a one-line note saying why it could not be remembered."""
    path = path or config_path()
    try:
        settings = _read(path)
    except SessionError:
        settings = {}  # a broken file is replaced by a good one rather than kept broken
    if settings.get("theme") == name:
        return None
    settings["theme"] = name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, (json.dumps(settings, indent=2) + "\n").encode("utf-8"))
    except OSError as error:
        return f"could not remember the theme in {path}: {reason(error)}"
    except SessionError as problem:
        return f"could not remember the theme: {problem}"
    return None
