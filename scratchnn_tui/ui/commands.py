"""The command palette (ctrl+p): every key's action as a command, and the theme switcher.

The commands are read from the app's own `BINDINGS` (the footer's word as the title, the key and
the action method's docstring as the help), so a key added there is in the palette too, with no
second list to keep in step. A command runs exactly as its key does, through `App.run_action`,
and is offered only where the key would act (`App.check_action`: below the smallest usable size
only q and ? do). Moving the selection (the arrow keys) is left out: it means nothing without
the keys themselves.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from textual.actions import parse
from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

# Actions that only make sense as keys held under the fingers.
KEY_ONLY_ACTIONS = {"select"}


@dataclass(frozen=True)
class Command:
    """One palette entry: what it is called, what it says, and the action it runs."""

    title: str
    help: str
    action: str


def _first_paragraph(text: str | None) -> str:
    return " ".join(inspect.cleandoc(text).split("\n\n")[0].split()) if text else ""


def binding_commands(app: App) -> list[Command]:
    """The app's key bindings as commands, in the order of `BINDINGS`, one per action."""
    commands: list[Command] = []
    seen: set[str] = set()
    for binding in Binding.make_bindings(app.BINDINGS):
        _, name, _ = parse(binding.action)
        if binding.action in seen or name in KEY_ONLY_ACTIONS or not binding.description:
            continue
        seen.add(binding.action)
        method = getattr(app, f"action_{name}", None)
        key = app.get_key_display(binding)
        about = _first_paragraph(getattr(method, "__doc__", None))
        commands.append(Command(binding.description, f"{key} · {about}" if about else key, binding.action))
    commands.append(Command("Theme", "Change the colours (remembered for the next start)", "change_theme"))
    return commands


def available_commands(app: App) -> Iterator[Command]:
    """The commands whose action would run now (as `check_action` decides for keys)."""
    for command in binding_commands(app):
        _, name, parameters = parse(command.action)
        if app.check_action(name, parameters) is not False:
            yield command


class ActionCommands(Provider):
    """The palette's source: `available_commands`, matched on the title and the help."""

    def _run(self, command: Command) -> partial:
        return partial(self.app.run_action, command.action)

    async def discover(self) -> Hits:
        for command in available_commands(self.app):
            yield DiscoveryHit(command.title, self._run(command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in available_commands(self.app):
            # The title first: "reset" finds Reset before a help text that mentions a reset.
            score = max(matcher.match(command.title), matcher.match(command.help) / 2)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), self._run(command), text=command.title,
                          help=command.help)
