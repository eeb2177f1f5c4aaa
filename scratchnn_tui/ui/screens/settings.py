"""The settings dialog: learning rate, seed, how the weights start, the hidden layers, and how
many epochs `r` runs before pausing."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ...training.values import check_epochs, check_hidden, check_init, check_lr, check_seed
from ..typeahead import TypeaheadInput
from ..validators import Checked, explain


@dataclass(frozen=True)
class Settings:
    lr: float
    seed: int
    run_length: int  # epochs a run lasts; 0: until paused
    init: str = "uniform"  # how the weights start: uniform or zero
    hidden: tuple[int, ...] = ()  # the hidden layers' widths, from the inputs up


def _shown(name: str, value: object) -> str:
    """A setting as its field shows it: the hidden widths as `--hidden` takes them."""
    return ",".join(map(str, value)) if name == "hidden" else str(value)


FIELDS = (
    ("lr", "Learning rate", check_lr),
    ("seed", "Seed (a new seed re-draws the weights: epoch 0)", check_seed),
    ("run_length", "Epochs a run lasts (0: until paused)", check_epochs),
    ("init", "Weights start: uniform or zero (a change re-draws them: epoch 0)", check_init),
    ("hidden", "Hidden layers: widths from the inputs up, as 8 or 4,3; empty: none "
               "(a change re-draws the weights: epoch 0)", check_hidden),
)
EMPTY_MEANS = {"hidden"}  # fields where nothing typed is a choice (no hidden layer)


class SettingsScreen(ModalScreen[Settings | None]):
    """Each field is checked as it is typed; `enter` applies them all, `escape` changes nothing."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    SettingsScreen { align: center middle; }
    SettingsScreen > VerticalScroll {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    /* A title or a refusal wraps onto another line rather than being cut at the dialog's edge. */
    SettingsScreen Label { width: 100%; height: auto; }
    SettingsScreen Label.reason { color: $error; }
    SettingsScreen Static.hint { color: $text-muted; }
    """

    def __init__(self, current: Settings) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        # Scrolls at 80×24, where every field does not fit; not focusable itself, so the focus
        # (and the first tab) goes to a field.
        with VerticalScroll(can_focus=False):
            for name, title, check in FIELDS:
                yield Label(title)
                yield TypeaheadInput(_shown(name, getattr(self.current, name)), id=name,
                                     validators=[Checked(check)], valid_empty=name in EMPTY_MEANS,
                                     select_on_focus=True)
                yield Label("", id=f"{name}-reason", classes="reason")
            yield Static("enter applies · escape cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).border_title = "Settings"
        # The learning rate has the focus, and the keys typed after e (`action_settings`).
        self.query_one("#lr", TypeaheadInput).take_focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show_reason(event.input)

    def _show_reason(self, field: Input) -> bool:
        return explain(field, self.query_one(f"#{field.id}-reason", Label))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        fields = list(self.query(Input))
        for field in fields:
            if not self._show_reason(field):
                field.focus()  # refused in place: the reason is under the field
                return
        values = {field.id: check(field.value.strip())
                  for field, (_, _, check) in zip(fields, FIELDS)}
        self.dismiss(Settings(**values))

    def action_cancel(self) -> None:
        self.dismiss(None)
