"""The command palette (ctrl+p): the app's keys as commands, read from its bindings."""

from __future__ import annotations

from textual.binding import Binding
from textual.command import CommandList, CommandPalette

from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.commands import available_commands, binding_commands
from scratchnn_tui.ui.scenes import settle, wait_until

SIZE = (100, 30)


async def choose(pilot, query: str, title: str) -> None:
    """Type `query` into the open palette and press enter once `title` is the highlighted hit."""
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*query)
    options = palette.query_one(CommandList)

    def highlighted() -> str:
        index = options.highlighted
        return "" if index is None else str(options.get_option_at_index(index).prompt)

    await wait_until(pilot, lambda: highlighted().startswith(title))
    await pilot.press("enter")
    await wait_until(pilot, lambda: pilot.app.screen is not palette)


def titles(commands) -> list[str]:
    return [command.title for command in commands]


def test_every_key_but_the_arrows_is_a_command_and_the_themes_too():
    commands = binding_commands(ScratchApp(make_session=Session))
    actions = {command.action for command in commands}
    keyed = {binding.action for binding in Binding.make_bindings(ScratchApp.BINDINGS)}
    assert actions == {a for a in keyed if not a.startswith("select(")} | {"change_theme"}
    for wanted in ("Step", "Back", "Run", "Reset", "Optim", "Device", "Task", "lr×2", "lr÷2", "Slower",
                   "Faster", "Settings", "Save", "Load", "CSV", "Sample", "Log/linear", "Gradient",
                   "Probe", "Help", "Quit", "Theme"):
        assert wanted in titles(commands)
    reset = next(command for command in commands if command.title == "Reset")
    assert reset.help.startswith("R · ") and "epoch 0" in reset.help  # the key and the docstring


def test_a_key_added_to_the_bindings_is_in_the_palette_with_no_other_change():
    class WithRace(ScratchApp):
        BINDINGS = [*ScratchApp.BINDINGS, Binding("x", "race", "Race")]

        def action_race(self) -> None:
            """Race the optimizers side by side."""

    race = next(c for c in binding_commands(WithRace(make_session=Session)) if c.action == "race")
    assert (race.title, race.help) == ("Race", "x · Race the optimizers side by side.")


async def test_ctrl_p_then_reset_resets_the_session():
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space")
        await settle(pilot)
        assert app.frame.snapshot.epoch == 3
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await choose(pilot, "reset", "Reset")
        assert not isinstance(app.screen, CommandPalette)
        await settle(pilot)
        assert app.frame.snapshot.epoch == 0


async def test_the_theme_command_opens_textuals_theme_switcher():
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await choose(pilot, "theme", "Theme")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))  # Textual's themes
        await choose(pilot, "solarized-light", "solarized-light")
        assert app.theme == "solarized-light"


async def test_below_the_smallest_size_the_palette_offers_only_quit_and_help_and_ctrl_p_waits():
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=(40, 10)) as pilot:
        await settle(pilot)
        assert sorted(titles(available_commands(app))) == ["Help", "Quit"]
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
