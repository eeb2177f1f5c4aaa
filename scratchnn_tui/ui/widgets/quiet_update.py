"""Update a Static only when its text changed, and ask for layout only when its width did.

While training runs, frames arrive ~22 times a second. A layout pass over the whole screen for
each of them, or a repaint of widgets that show the same text as before, cost the UI process
more CPU than drawing the frame itself; on a small machine that CPU comes out of training.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


def quiet_update(widget: Static, text: Text | str) -> None:
    text = Text(text) if isinstance(text, str) else text
    shown: Text | None = getattr(widget, "_quietly_shown", None)
    if shown is not None and (shown.plain, shown.spans, shown.style) == (text.plain, text.spans, text.style):
        return
    widget._quietly_shown = text
    width = widget.styles.width
    sized_by_content = width is None or width.is_auto
    widget.update(text, layout=shown is None or (sized_by_content and shown.cell_len != text.cell_len))
