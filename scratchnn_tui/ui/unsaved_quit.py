"""A quit whose autosave failed (the state folder unwritable, a full disk) does not drop the
session: the first `q` keeps the app open and says why and what to do; a second one quits
without saving. A stop signal quits either way, saying what was not saved."""

from __future__ import annotations


class UnsavedQuit:
    """Remembers whether the user has been told that quitting would lose the session."""

    def __init__(self) -> None:
        self.warned = False

    def hold(self, reason: str) -> str | None:
        """The message to show and stay open with, the first time; None: quit now."""
        if self.warned:
            return None
        self.warned = True
        return (f"Not quitting: the session could not be saved ({reason}). Press w to save it "
                f"elsewhere, or q again to quit without saving.")

    @staticmethod
    def exit_line(reason: str, stopped_by: str = "") -> str:
        """The line printed after the app closes without having saved."""
        by = f" ({stopped_by})" if stopped_by else ""
        return f"scratchnn-tui: quit without saving the session{by}: {reason}"
