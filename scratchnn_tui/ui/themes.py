"""Colour themes: the names `--theme` accepts, and the article's colours in light themes.

The themes are Textual's own (the command palette's theme switcher lists the same ones). Borders,
the footer and the message line use the theme's variables ($primary, $accent, $error…) in
app.tcss, so they follow any theme. Inputs and weights are drawn in the article's light red and
green (numbers.INPUT, numbers.WEIGHT), tuned for a dark background and for NO_COLOR's greys;
on a light background they would barely show, so there `LightThemeRoles` draws them in the
theme's $text-error and $text-success instead: the theme's own red and green for text, made
dark enough to read on its background.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.filter import LineFilter
from textual.theme import BUILTIN_THEMES, Theme

from .numbers import INPUT, WEIGHT

DEFAULT_THEME = "textual-dark"


def theme_names() -> list[str]:
    """Every theme `--theme` takes, sorted: Textual's built-in themes."""
    return sorted(BUILTIN_THEMES)


def check_theme(name: str) -> str:
    """`name` if it is a theme, else ValueError with one line that lists them."""
    if name not in BUILTIN_THEMES:
        raise ValueError(f"unknown theme {name!r}; choose one of: {', '.join(theme_names())}")
    return name


class LightThemeRoles(LineFilter):
    """In a light theme, redraws the inputs' and weights' colours in the theme's text colours
    for errors and success (its red and green); in a dark theme it changes nothing."""

    def __init__(self, app: App) -> None:
        super().__init__()
        self._app = app
        self._theme: str | None = None
        self._colours: dict[tuple[int, int, int], Style] = {}

    def _roles(self) -> dict[tuple[int, int, int], Style]:
        """The triplets to replace and their replacements, worked out once per theme."""
        if self._app.theme != self._theme:  # a string compare per line; the rest once per theme
            self._theme = self._app.theme
            self._colours = {}
            if not self._app.current_theme.dark:
                variables = self._app.get_css_variables()
                for role, variable in ((INPUT, "text-error"), (WEIGHT, "text-success")):
                    triplet = RichColor.parse(role).triplet
                    self._colours[tuple(triplet)] = Style(color=Color.parse(variables[variable]).rich_color)
        return self._colours

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        roles = self._roles()
        if not roles:
            return segments
        recoloured = []
        for text, style, control in segments:
            triplet = style.color.triplet if style is not None and style.color is not None else None
            if triplet is not None and tuple(triplet) in roles:
                style = style + roles[tuple(triplet)]
            recoloured.append(Segment(text, style, control))
        return recoloured


@dataclass(frozen=True)
class ThemeChoice:
    """The theme to start with and how to remember a new one (injected by the command line,
    which owns the user's config file; tests leave it out and write nothing).

    Attributes:
        name: the theme to start with; None: Textual's default.
        remember: called with a theme's name when the user picks one in the palette; returns
            None, or one line saying why it could not be remembered.
        note: one line to show on the message line at start (a config file that could not be used).
    """

    name: str | None = None
    remember: Callable[[str], str | None] | None = None
    note: str | None = None

    def attach(self, app: App, say: Callable[[str, bool], None]) -> None:
        """Start `app` on this theme's note, and remember each theme the user picks from now on;
        `say(text, is_error)` puts a line on the message line."""
        if self.note:
            say(self.note, True)
        remember = self.remember
        if remember is None:
            return

        def picked(theme: Theme) -> None:
            problem = remember(theme.name)
            if problem:
                say(problem, True)

        app.theme_changed_signal.subscribe(app, picked)
