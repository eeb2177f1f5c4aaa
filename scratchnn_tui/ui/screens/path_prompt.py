"""A one-field dialog for a file name: where to save, what to load, where to write the CSV."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..typeahead import TypeaheadInput
from ..validators import Checked, explain, check_path


class PathPrompt(ModalScreen[str | None]):
    """Asks for a path; refuses an empty one, a folder, or (when loading) a missing file."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    PathPrompt { align: center middle; }
    PathPrompt > Vertical {
        width: 72; max-width: 100%; height: auto;
        border: round $primary; background: $surface; padding: 0 1;
    }
    PathPrompt #reason { color: $error; height: auto; width: 100%; }  /* wraps, never cut */
    PathPrompt Static { color: $text-muted; }
    """

    def __init__(self, title: str, default: str, must_exist: bool) -> None:
        super().__init__()
        self.prompt_title = title
        self.default = default
        self.must_exist = must_exist

    def compose(self) -> ComposeResult:
        with Vertical():
            yield TypeaheadInput(self.default, valid_empty=False,
                                 validators=[Checked(lambda text: check_path(text, self.must_exist))])
            yield Label("", id="reason")
            yield Static("enter confirms · escape cancels")

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = self.prompt_title
        self.query_one(TypeaheadInput).take_focus()  # with the keys typed after w, L or c

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show_reason(event.input)

    def _show_reason(self, field: Input) -> bool:
        return explain(field, self.query_one("#reason", Label))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._show_reason(event.input):  # `~` expanded here, where it was checked
            self.dismiss(str(check_path(event.value.strip(), self.must_exist)))

    def action_cancel(self) -> None:
        self.dismiss(None)
