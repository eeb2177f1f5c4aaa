"""The inline field for typing a number in: a weight, a bias (enter) or a probe input (p).

It opens under the diagram, prefilled, checked as it is typed with the same checks the session
makes (`training.values`), and a refused value stays in place with its reason underneath.
`enter` accepts (the app sends the request), `escape` closes it and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label

from ...training.errors import SessionError
from ...training.values import check_number
from ..typeahead import TypeaheadInput
from ..validators import Checked, explain


def check_probe(text: str, inputs: int) -> tuple[str, ...]:
    """A probe: `inputs` numbers separated by commas or spaces, or nothing (stop probing)."""
    parts = tuple(part for part in text.replace(",", " ").split() if part)
    if parts and len(parts) != inputs:
        raise SessionError(f"type {inputs} number{'s' if inputs > 1 else ''}, one per input "
                           f"(got {len(parts)}), or nothing to stop probing")
    for i, part in enumerate(parts):
        check_number(part, f"input {i + 1}")
    return parts


class NumberField(Widget):
    """A prompt, an input and the reason a value is refused; hidden until `open`."""

    DEFAULT_CSS = """
    NumberField { height: auto; display: none; }
    NumberField.-open { display: block; }
    NumberField > Horizontal { height: auto; }
    NumberField Label.prompt { width: auto; padding: 0 1 0 0; }
    /* One line, no box (the reason line says when a value is refused): every state of it. */
    NumberField Input, NumberField Input:focus, NumberField Input.-invalid,
    NumberField Input.-invalid:focus { width: 1fr; border: none; height: 1; padding: 0; }
    NumberField Label.reason { color: $error; text-style: bold; height: auto; display: none; }
    NumberField Label.reason:nocolor { color: $foreground; }  /* NO_COLOR: not a dim grey */
    NumberField Label.reason.-shown { display: block; }
    NumberField Label.hint { color: $text-muted; width: auto; padding: 0 0 0 1; }
    """

    BINDINGS = [Binding("escape", "close", "Cancel", show=False)]

    class Accepted(Message):
        """The user accepted `value` (already checked) for the field opened as `purpose`."""

        def __init__(self, purpose: str, value: str) -> None:
            super().__init__()
            self.purpose = purpose
            self.value = value

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.purpose = ""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label("", classes="prompt")
            # Disabled while closed: a hidden input must not take the app's first focus (and
            # with it the keys: space would type a space instead of training an epoch).
            yield TypeaheadInput(valid_empty=True, select_on_focus=True, disabled=True)
            yield Label("enter sets · escape cancels", classes="hint")
        yield Label("", classes="reason")

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self, purpose: str, prompt: str, value: str, check: Callable[[str], object]) -> None:
        """Show the field for `purpose` ("number" or "probe"), prefilled with `value`."""
        self.purpose = purpose
        self.query_one(".prompt", Label).update(prompt)
        field = self.query_one(TypeaheadInput)
        field.validators = [Checked(check)]
        field.valid_empty = purpose == "probe"  # an empty probe stops probing
        field.value = value
        self.query_one(".reason", Label).update("")
        self.query_one(".reason", Label).remove_class("-shown")
        self.add_class("-open")
        field.disabled = False
        # At once: the keys typed after the one that opened the field (enter, p) are its own.
        field.take_focus()

    def action_close(self) -> None:
        self.remove_class("-open")
        self.query_one(Input).disabled = True
        self.screen.set_focus(None)

    def _explain(self, field: Input) -> bool:
        """Show why the value is refused, on a line of its own only while there is a reason."""
        reason = self.query_one(".reason", Label)
        valid = explain(field, reason)
        reason.set_class(not valid, "-shown")
        return valid

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._explain(event.input)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self._explain(event.input):
            return  # refused in place: the reason is under the field
        self.action_close()
        self.post_message(self.Accepted(self.purpose, event.value.strip()))
