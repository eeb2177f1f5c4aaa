"""Long random key sequences and resizes against the app: it never raises, and the session
stays consistent (when not running, the epoch is the number of `space` presses since the last
reset, unless a run or a divergence happened in between)."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import settle
from scratchnn_tui.ui.screens.help import HelpScreen

BINDINGS = ["space", "r", "R", "o", "d", "t", "plus", "minus", "n", "l", "question_mark"]
OTHER_KEYS = ["escape", "enter", "y", "Z", "1", "tab", "up", "ctrl+z", "f1"]
SIZES = [(20, 6), (40, 12), (80, 24), (120, 36), (59, 30), (100, 17)]

actions = st.lists(
    st.one_of(
        st.sampled_from(BINDINGS + BINDINGS + OTHER_KEYS).map(lambda key: ("key", key)),
        st.sampled_from(SIZES).map(lambda size: ("size", size)),
    ),
    min_size=1, max_size=30,
)


async def drive(sequence) -> None:
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        spaces, unknown, running = 0, False, False
        for kind, value in sequence:
            if kind == "size":
                await pilot.resize_terminal(*value)
                continue
            help_open = isinstance(app.screen, HelpScreen)
            await pilot.press(value)
            if help_open:
                continue  # the help screen has the keys; only escape and ? close it
            if value == "space":
                spaces += 1
            elif value in ("R", "t"):  # reset, or a new task: epoch 0 (and on, if running)
                spaces, unknown = 0, running
            elif value == "r":
                running = not running
                unknown = True  # a run trains epochs no key press counts
        if isinstance(app.screen, HelpScreen):
            await pilot.press("escape")
        if running:
            await pilot.press("r")
        await settle(pilot)
        assert app.is_running
        snapshot = app.frame.snapshot
        assert not app.frame.running
        diverged = "loss became" in str(app.query_one("#message").render())
        if not unknown and not diverged:
            assert snapshot.epoch == spaces
        assert len(snapshot.losses) <= 2048
        assert snapshot.device == "cpu"


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(actions)
def test_random_keys_and_resizes_never_break_the_session(sequence):
    asyncio.run(drive(sequence))
