"""The smallest screen the layout works in, and the one line shown below it."""

from __future__ import annotations

MIN_SIZE = (80, 24)  # columns, rows: every panel, the whole status line and the footer fit
GRADIENT_SIZE = (100, 30)  # from here up the gradient panel is shown too, unless g hides it


def room_request(width: int, height: int) -> str:
    """The longest of a few phrasings that fits `width`: the numbers matter most."""
    need = f"{MIN_SIZE[0]}×{MIN_SIZE[1]}"
    for text in (f"Enlarge the terminal to at least {need} (now {width}×{height}); q quits",
                 f"Enlarge the terminal to at least {need} (now {width}×{height})",
                 f"Enlarge to {need} (now {width}×{height})",
                 f"Enlarge to {need}",
                 f"Need {need}"):
        if len(text) <= width:
            return text
    return need[:max(width, 1)]
