"""While racing, a key that waits for the race to end says so on the message line; it stays out of
the footer and the command palette, and the race's own keys act without a word."""

from __future__ import annotations

from textual.widgets import Static

from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.commands import available_commands
from scratchnn_tui.ui.scenes import settle

SIZE = (100, 30)
# The keys the issue found silent, as pressed and as the message names them.
WAITING = {"o": "o", "t": "t", "e": "e", "d": "d", "b": "b", "w": "w", "c": "c", "plus": "+", "D": "D",
           "left_square_bracket": "["}


def message(app) -> str:
    return str(app.query_one("#message", Static).render())


async def start_race(pilot) -> None:
    await settle(pilot)
    await pilot.press("x")
    await settle(pilot)


async def test_each_key_that_waits_while_racing_says_why_and_changes_nothing():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await start_race(pilot)
        for key, shown in WAITING.items():
            await pilot.press(key)
            await settle(pilot)
            assert message(app) == f"✗ {shown} waits: the race is on (x or escape leaves it)", key
            assert app.query_one("#message").has_class("-error")
            assert app.screen is app.screen_stack[0]  # no dialog opened (e, w, c, D)
        assert app.frame.snapshot.race is not None and app.frame.snapshot.race.epoch == 0


async def test_a_burst_of_waiting_keys_ends_on_the_last_ones_reason():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await start_race(pilot)
        await pilot.press("o", "t", "plus")
        await settle(pilot)
        assert message(app) == "✗ + waits: the race is on (x or escape leaves it)"
        assert app.frame.snapshot.race.epoch == 0


async def test_the_footer_and_the_palette_still_leave_the_waiting_keys_out_while_racing():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await start_race(pilot)
        assert "o" not in app.screen.active_bindings and "space" in app.screen.active_bindings
        titles = {command.title for command in available_commands(app)}
        assert "Optim" not in titles and "Step" in titles


async def test_outside_the_race_the_same_keys_act_without_that_word():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert "waits" not in message(app) and app.frame.snapshot.optimizer != "sgd"
