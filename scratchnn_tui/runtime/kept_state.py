"""What the app can still do when no training process is left: save the session's last copy.

A `RecoveryCopy` is a checkpoint file's bytes, so saving it needs no torch: they are written
as they are, atomically, where `w` or a quit's autosave would have put the session. Everything
else needs a training process, and is answered with a line saying so.
"""

from __future__ import annotations

from pathlib import Path

from ..storage.atomic import write_atomically
from ..storage.state_folder import autosave_path, autosaved_line
from ..training.errors import SessionError
from .recovery_copy import RecoveryCopy
from .requests import Autosave, Pause, Request, Save, Stop, name_of


class KeptState:
    """The last copy a training process sent (None if it sent none), and what it can answer."""

    def __init__(self, copy: RecoveryCopy | None) -> None:
        self.copy = copy

    def advice(self) -> str:
        if self.copy is None:
            return "Nothing was trained yet; q quits."
        return (f"Its last state, epoch {self.copy.epoch}, is kept: w saves it, q quits "
                f"(saving it first).")

    def answer(self, request: Request | Stop) -> tuple[str, bool] | None:
        """The (message, is_error) that answers `request`, having done it if it can be done."""
        try:
            match request:
                case Pause() | Stop():
                    return None
                case Save(path) if self.copy is not None:
                    written = write_atomically(Path(path).expanduser(), self.copy.data)
                    self.copy = self.copy._replace(unsaved=False)
                    return f"Saved epoch {self.copy.epoch} to {written}", False
                case Autosave():
                    if self.copy is None or not self.copy.unsaved:
                        return None
                    written = write_atomically(autosave_path(), self.copy.data)
                    self.copy = self.copy._replace(unsaved=False)
                    return autosaved_line(written), False
        except SessionError as refusal:
            return str(refusal), True
        return f"No training process to {name_of(request)}. {self.advice()}", True
