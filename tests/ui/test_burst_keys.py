"""Keys that arrive together (one read of the terminal: a paste, one `tmux send-keys`, a fast
typist) each do what they would do typed slowly: the keys after the one that opens a field are
typed into it, and a field applies every key of a burst in order.

`burst` posts the key events at once, as the driver does with the keys of one read, so none is
handled before the others are queued (`Pilot.press` waits for the app to be idle between keys,
and never shows the loss).
"""

from __future__ import annotations

import pytest

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import settle
from scratchnn_tui.ui.screens.settings import SettingsScreen
from scratchnn_tui.ui.typeahead import TypeaheadInput
from scratchnn_tui.ui.widgets.number_field import NumberField
from scratchnn_tui.ui.widgets.status_line import StatusLine

SIZE = (120, 40)
CHARACTERS = {"full_stop": ".", "space": " ", "backspace": "\x7f", "ctrl+u": "\x15",
              "enter": "\r", "escape": "\x1b", "tab": "\t"}


def burst(app: App, *keys: str) -> None:
    """Post `keys` to the app together, as the terminal driver posts the keys of one read."""
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))


def field_value(app) -> str:
    return app.query_one(NumberField).query_one(Input).value


def weight(app) -> float:
    return app.frame.snapshot.layer.weight[0][0]


async def open_field(pilot) -> None:
    """enter on the selected weight, typed slowly: the field is open and has the focus."""
    await settle(pilot)
    await pilot.press("enter")
    await pilot.pause()
    assert pilot.app.query_one(NumberField).is_open


async def test_enter_ctrl_u_5_enter_sets_the_weight_to_5():
    app = ScratchApp(make_session=Session, task="triple")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "enter", "ctrl+u", "5", "enter")
        await settle(pilot)
        assert not app.query_one(NumberField).is_open
        assert weight(app) == 5.0


async def test_a_full_stop_typed_after_enter_is_the_fields_not_the_run_speeds():
    app = ScratchApp(make_session=Session, task="triple")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        speed = app.frame.snapshot.run_speed
        burst(app, "enter", "ctrl+u", "2", "full_stop", "5", "enter")
        await settle(pilot)
        assert weight(app) == 2.5
        assert app.frame.snapshot.run_speed == speed


async def test_ctrl_u_then_digits_in_an_open_field_leaves_the_digits():
    app = ScratchApp(make_session=Session, task="triple")
    async with app.run_test(size=SIZE) as pilot:
        await open_field(pilot)
        burst(app, "ctrl+u", "2", "full_stop", "5")
        await pilot.pause()
        assert field_value(app) == "2.5"


async def test_backspace_then_digits_replace_the_digit_before_the_cursor():
    app = ScratchApp(make_session=Session, task="triple")
    async with app.run_test(size=SIZE) as pilot:
        await open_field(pilot)
        await pilot.press("ctrl+u", "4")  # slowly: 4, the cursor after it, nothing selected
        assert field_value(app) == "4"
        burst(app, "backspace", "5", "6")
        await pilot.pause()
        assert field_value(app) == "56"


async def test_three_backspaces_then_a_number_replace_the_three_characters_before_it():
    app = ScratchApp(make_session=Session, task="triple")
    async with app.run_test(size=SIZE) as pilot:
        await open_field(pilot)
        await pilot.press("ctrl+u", "1", "full_stop", "5")
        burst(app, "backspace", "backspace", "backspace", "2", "full_stop", "7", "5", "enter")
        await settle(pilot)
        assert weight(app) == 2.75


@pytest.mark.parametrize("opened_first", [True, False], ids=["p, then the burst", "p in the burst"])
async def test_ctrl_u_7_enter_in_the_probe_field_probes_at_7(opened_first):
    app = ScratchApp(make_session=Session, task="triple", optimizer="solved")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if opened_first:
            await pilot.press("p")
            await pilot.pause()
        burst(app, *(() if opened_first else ("p",)), "ctrl+u", "7", "enter")
        await settle(pilot)
        probe = app.frame.snapshot.probe
        assert probe is not None and probe.inputs == (7.0,)


async def test_settings_open_with_the_learning_rate_focused():
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert app.focused is app.screen.query_one("#lr", Input)


async def test_e_ctrl_u_5_enter_together_set_the_learning_rate_to_5():
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "e", "ctrl+u", "5", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, SettingsScreen)
        assert app.frame.snapshot.lr == 5.0
        assert "lr 5 " in str(app.query_one(StatusLine).render()) + " "


async def test_c_then_a_file_name_and_enter_together_write_the_csv_there(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "c", "ctrl+u", *"l.csv", "enter")
        await settle(pilot)
        assert (tmp_path / "l.csv").is_file()


async def test_escape_typed_ahead_closes_the_field_and_changes_nothing():
    app = ScratchApp(make_session=Session, task="triple")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = weight(app)
        burst(app, "enter", "ctrl+u", "9", "escape")
        await settle(pilot)
        assert not app.query_one(NumberField).is_open
        assert weight(app) == before


class OneField(App[None]):
    """A bare app with one field: the field alone, without ScratchApp's keys."""

    def compose(self) -> ComposeResult:
        yield TypeaheadInput("1.5", select_on_focus=False)


async def test_the_field_applies_backspaces_and_digits_of_one_burst_in_order():
    app = OneField()
    async with app.run_test() as pilot:
        field = app.query_one(TypeaheadInput)
        field.focus()
        await pilot.pause()
        field.cursor_position = len(field.value)
        burst(app, "backspace", "backspace", "backspace", "2")
        await pilot.pause()
        assert field.value == "2"
