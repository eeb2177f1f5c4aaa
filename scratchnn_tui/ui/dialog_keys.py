"""The keys that open a dialog and send what it returns: settings (e), save (w), load (L), the
loss history as CSV (c) and the function view's numbers as CSV (F).

`DialogKeys` is a part of `ScratchApp` (its base class), kept apart because it is one idea:
each dialog checks what is typed in place, and only a value it accepts becomes a request.
"""

from __future__ import annotations

from pathlib import Path

from ..runtime.requests import ExportCsv, ExportFit, ExportSurface, Load, Save, SetHidden, SetInit, SetLr, SetRunLength, SetSeed
from .screens.confirm import ConfirmScreen
from .screens.path_prompt import PathPrompt
from .screens.settings import Settings, SettingsScreen


class DialogKeys:
    """e, w, L, c and F of `ScratchApp` (see the module's docstring)."""

    def action_settings(self) -> None:
        """Settings: learning rate, seed, epochs a run lasts, init, hidden layers."""
        if self.frame is None:
            return  # nothing to edit before the session exists
        snapshot = self.frame.snapshot
        current = Settings(lr=snapshot.lr, seed=snapshot.seed, run_length=self._run_length,
                           init=snapshot.init, hidden=snapshot.sizes[1:-1])

        def apply(chosen: Settings | None) -> None:
            if chosen is None:
                return
            if chosen.lr != current.lr:
                self.worker.send(SetLr(chosen.lr))
            if chosen.seed != current.seed:
                self.worker.send(SetSeed(chosen.seed))
            if chosen.init != current.init:
                self.worker.send(SetInit(chosen.init))
            if chosen.hidden != current.hidden:
                self.worker.send(SetHidden(",".join(map(str, chosen.hidden))))
            if chosen.run_length != current.run_length:
                self._run_length = chosen.run_length
                self.worker.send(SetRunLength(chosen.run_length))

        self.expect_typing()  # the keys typed after e are the dialog's (ui/typeahead.py)
        self.push_screen(SettingsScreen(current), apply)

    def action_save(self) -> None:
        """Save the session to a checkpoint file."""
        def save(path: str | None) -> None:
            if not path:
                return
            self._checkpoint_path = path

            def write(yes: bool | None) -> None:
                if yes:
                    self.worker.send(Save(path))

            if Path(path).expanduser().is_file():  # another session's checkpoint, maybe: ask
                self.push_screen(ConfirmScreen(f"{path} exists. Write this session over it?"), write)
            else:
                write(True)

        # The full path: a relative name lands in the folder the app was started from.
        self.expect_typing()
        self.push_screen(PathPrompt("Save the session to", str(Path(self._checkpoint_path).absolute()),
                                    must_exist=False), save)

    def action_load(self) -> None:
        """Load a checkpoint (last: the autosave)."""
        def load(path: str | None) -> None:
            if path:
                self._checkpoint_path = path
                self.worker.send(Load(path))

        self.expect_typing()
        self.push_screen(PathPrompt("Load a session from (or: last)", self._checkpoint_path,
                                    must_exist=True), load)

    def action_export_csv(self) -> None:
        """Write the loss history as CSV."""
        self._ask_where("Write the loss history (CSV) to", "scratchnn-tui-loss.csv", ExportCsv)

    def action_export_fit(self) -> None:
        """Write the function view's numbers (the network's output over its grid) as CSV."""
        self._ask_where("Write the function view's numbers (CSV) to", "scratchnn-tui-fit.csv", ExportFit)

    def action_export_surface(self) -> None:
        """Write the surface view's numbers (its grid's losses and the path, or the race's paths)
        as CSV, the table --surface-csv writes."""
        self._ask_where("Write the loss surface's numbers (CSV) to", "scratchnn-tui-surface.csv", ExportSurface)

    def _ask_where(self, question: str, default: str, request) -> None:
        """Ask for a file to write (it need not exist) and send `request(path)` for the answer."""
        def send(path: str | None) -> None:
            if path:
                self.worker.send(request(path))

        self.expect_typing()
        self.push_screen(PathPrompt(question, default, must_exist=False), send)
