"""The keys while the optimizers race (x): which act, and what a key that waits says.

While racing, `ScratchApp.check_action` lets the race's own keys act (`RACE_ACTIONS`) and
refuses the others, which also hides them from the footer and the command palette. A refused
key would then do nothing at all, so the app asks `race_refusal` for the line that says why,
as every other refused key is answered on the message line.
"""

from __future__ import annotations

from textual.actions import parse
from textual.app import App
from textual.binding import Binding

RACE_ACTIONS = ("step", "toggle_run", "reset", "race", "escape", "run_speed", "toggle_surface",
                "export_surface", "help", "quit", "lesson", "lesson_page")
"""What the keys do while the optimizers race; the others wait until x or escape leaves it."""


def waits_while_racing(action: str) -> bool:
    """Whether the action `action` (a name, without parameters) waits for the race to end."""
    return action not in RACE_ACTIONS


def race_refusal(app: App, key: str) -> str | None:
    """The line for `key` pressed on the main screen while the race is on, if it is one of the
    app's own keys that waits for the race to end; None for a key that acts, or is no app key."""
    main = app.screen_stack[0]
    if app.screen is not main or not main.has_class("-racing") or main.has_class("-too-small"):
        return None
    if key in app.screen.active_bindings:  # some binding takes it now (the race's own keys)
        return None
    for binding in Binding.make_bindings(app.BINDINGS):
        if binding.key == key and waits_while_racing(parse(binding.action)[1]):
            return f"{app.get_key_display(binding)} waits: the race is on (x or escape leaves it)"
    return None
