"""What a session does with files: save, load, autosave, export, and its state as plain data.

A mixin of `Session`, whose methods the worker calls by name; the files themselves are
`checkpoint`'s and `session_state`'s business.
"""

from __future__ import annotations

import torch

from .optimizers import get_optimizer


class SessionFiles:
    """Saving and resuming, for `Session` (which supplies the state these read and set)."""

    def save(self, path: str) -> str:
        from ..storage.checkpoint import save_checkpoint

        written = save_checkpoint(self, path)
        self._saved = self._signature()
        return f"Saved epoch {self.epoch} to {written}"

    def autosave(self) -> str | None:
        """Save to the user's state folder if anything is unsaved; say where."""
        if not self.unsaved:
            return None
        from ..storage.checkpoint import autosave

        written = autosave(self)
        self._saved = self._signature()
        return f"Session saved to {written}; resume it with: scratchnn-tui --resume last"

    def load(self, path: str) -> str:
        """Become the session saved at `path` (on this session's device)."""
        from ..storage.checkpoint import load_checkpoint, resolve_resume

        loaded = load_checkpoint(resolve_resume(path), device=self.device)
        self.__dict__.update(loaded.__dict__)  # the worker holds this object: adopt, not replace
        return f"Loaded {path}: task {self._task.name}, {get_optimizer(self._optimizer_key).label}, epoch {self.epoch}"

    def export_csv(self, path: str) -> str:
        from ..storage.checkpoint import write_loss_csv

        return f"Loss history written to {write_loss_csv(self, path)}"

    def state(self) -> tuple[dict[str, torch.Tensor], dict]:
        """Everything needed to resume exactly (see `session_state`)."""
        from ..storage.session_state import export_state

        return export_state(self)

    @classmethod
    def from_state(cls, tensors: dict[str, torch.Tensor], meta: dict, device: str = "cpu") -> "Session":
        """The session `state()` described, on `device`; SessionError if anything is off."""
        from ..storage.session_state import import_state

        return import_state(cls, tensors, meta, device)
