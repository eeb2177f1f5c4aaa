"""Static widgets are repainted only when their text changes, laid out only when needed."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from scratchnn_tui.ui.widgets.quiet_update import quiet_update


class Spy(Static):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.updates = []

    def update(self, content="", *, layout=True):
        self.updates.append(layout)
        super().update(content, layout=layout)


class Two(App):
    CSS = "#fixed { width: 1fr; } #auto { width: auto; }"

    def compose(self) -> ComposeResult:
        yield Spy(id="fixed")
        yield Spy(id="auto")


async def test_same_text_is_not_repainted_and_layout_only_for_content_sized_widgets():
    app = Two()
    async with app.run_test():
        fixed, auto = app.query_one("#fixed", Spy), app.query_one("#auto", Spy)
        for widget in (fixed, auto):
            quiet_update(widget, Text("12"))
            quiet_update(widget, Text("12"))  # the same: nothing
            quiet_update(widget, Text("13"))  # same width
            quiet_update(widget, Text("1234"))  # wider
            quiet_update(widget, Text("1234", style="red"))  # same text, new style: repaint
        assert fixed.updates == [True, False, False, False]
        assert auto.updates == [True, False, True, False]
        assert str(auto.render()) == "1234"
