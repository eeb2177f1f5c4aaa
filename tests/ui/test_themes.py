"""Themes in the app: the palette's pick is remembered, a config note is shown, and inputs and
weights stay legible in a light theme."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.color import Color

from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.numbers import INPUT, WEIGHT
from scratchnn_tui.ui.scenes import settle
from scratchnn_tui.ui.themes import LightThemeRoles, ThemeChoice, check_theme, theme_names
from textual.widgets import Static

SIZE = (100, 30)


def colour_after(app: App, style: str) -> str:
    [segment] = LightThemeRoles(app).apply([Segment("1", Style.parse(style))], Color(0, 0, 0))
    return Color.from_rich_color(segment.style.color).hex


def test_theme_names_are_textuals_and_a_wrong_one_lists_them():
    assert {"textual-dark", "textual-light", "solarized-light", "nord"} <= set(theme_names())
    assert check_theme("nord") == "nord"
    try:
        check_theme("nope")
    except ValueError as refusal:
        assert "textual-light" in str(refusal)
    else:
        raise AssertionError("accepted an unknown theme")


def test_light_themes_draw_inputs_and_weights_in_the_themes_text_colours():
    app = App()
    app.theme = "solarized-light"
    variables = app.get_css_variables()
    assert colour_after(app, INPUT) == Color.parse(variables["text-error"]).hex
    assert colour_after(app, WEIGHT) == Color.parse(variables["text-success"]).hex
    assert colour_after(app, "bold #123456") == "#123456"  # other colours are left alone
    app.theme = "textual-dark"  # the article's colours, tuned for a dark background, stay
    assert colour_after(app, INPUT) == Color.parse(INPUT).hex


async def test_the_app_starts_on_the_chosen_theme_and_shows_a_config_note():
    app = ScratchApp(make_session=Session, theme=ThemeChoice("textual-light", note="config.json is broken"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "textual-light"
        assert "✗ config.json is broken" in str(app.query_one("#message", Static).render())


async def test_a_theme_picked_while_running_is_remembered_and_a_failure_is_said():
    picked = []

    def remember(name: str) -> str | None:
        picked.append(name)
        return "could not remember the theme: disk full" if name == "nord" else None

    app = ScratchApp(make_session=Session, theme=ThemeChoice(remember=remember))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "solarized-light"  # what the palette's theme switcher does
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
        await pilot.pause()
        assert picked == ["solarized-light", "nord"]
        assert "disk full" in str(app.query_one("#message", Static).render())
