"""What a user does with files, as the app's keys and the command line ask for it: save, load,
autosave, export the losses. Each returns the one line to show, or raises SessionError with the
reason (the session is then as it was)."""

from __future__ import annotations

from ..training.optimizers import get_optimizer
from ..training.session import Session
from .checkpoint import load_checkpoint, save_checkpoint
from .loss_csv import write_loss_csv
from .state_folder import aside_path, autosave_path, autosaved_line, resolve_resume


def save(session: Session, path: str) -> str:
    """Save `session` to the checkpoint file `path`."""
    written = save_checkpoint(session, path)
    session.mark_saved()
    return f"Saved epoch {session.epoch} to {written}"


def autosave(session: Session) -> str | None:
    """Save `session` to the state folder if anything is unsaved (None if nothing is); say where."""
    if not session.unsaved:
        return None
    written = save_checkpoint(session, autosave_path())
    session.mark_saved()
    return autosaved_line(written)


def keep_aside(session: Session) -> str | None:
    """Save `session` among the earlier autosaves before it is thrown away (a reset, a new task,
    a load), if anything is unsaved; say where and how to get it back (None if nothing was)."""
    if not session.unsaved:
        return None
    written = save_checkpoint(session, aside_path())
    return f"The session before was saved to {written}: L with that path brings it back"


def load(path: str, device: str = "cpu") -> tuple[Session, str]:
    """The session saved at `path` (or `last`, the autosave), on `device`, and what to say."""
    loaded = load_checkpoint(resolve_resume(path), device=device)
    label = get_optimizer(loaded.optimizer_key).label
    return loaded, f"Loaded {path}: task {loaded.task.name}, {label}, epoch {loaded.epoch}"


def export_csv(session: Session, path: str) -> str:
    """Write `session`'s loss history as CSV to `path`."""
    return f"Loss history written to {write_loss_csv(session, path)}"
