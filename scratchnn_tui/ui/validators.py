"""Textual validators made from the engine's own checks, so a dialog refuses exactly what the
command line and the session refuse, with the same reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Label

from ..training.errors import SessionError
from ..training.paths import checkpoint_to_read, file_to_write


class Checked(Validator):
    """Valid when `check(text)` returns; invalid with its SessionError's sentence."""

    def __init__(self, check: Callable[[str], object]) -> None:
        super().__init__()
        self._check = check

    def validate(self, value: str) -> ValidationResult:
        try:
            self._check(value.strip())
        except SessionError as refusal:
            return self.failure(str(refusal))
        except Exception as error:  # whatever else a half-typed value trips over: refuse it
            return self.failure(str(error).strip().splitlines()[0] if str(error).strip() else "not valid")
        return self.success()


def check_path(text: str, must_exist: bool) -> Path:
    """A checkpoint to load (`must_exist`) or a file to write, checked as the command line checks
    `--resume` and `--save`/`--log-csv` (`training.paths`), so both refuse with one sentence."""
    return checkpoint_to_read(text) if must_exist else file_to_write(text)


def explain(field: Input, reason: Label) -> bool:
    """Show under a field why its value is refused (or nothing); True when it is valid."""
    result = field.validate(field.value)
    text = "" if result is None or result.is_valid else "; ".join(result.failure_descriptions)
    reason.update(text)
    return not text
