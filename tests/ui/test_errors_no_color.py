"""Under NO_COLOR an error reads at least as clearly as the body text: the theme's red would turn
into a dim grey, so the error line takes the foreground colour (and stays bold, marked ✗)."""

from __future__ import annotations

from textual.widgets import Static

from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.messages import SessionNote
from scratchnn_tui.ui.scenes import settle


async def test_an_error_under_no_color_is_drawn_in_the_foreground_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = ScratchApp(lambda: Session(task="triple"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.post_message(SessionNote("refused", True))
        await pilot.pause()
        await pilot.pause()
        message = app.query_one("#message", Static)
        foreground = app.current_theme.foreground
        assert message.styles.color.hex.lower() == foreground.lower()
        assert message.styles.text_style.bold
