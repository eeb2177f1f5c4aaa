"""The lesson's step on screen: what it says, the one thing to try, and a ✓ once it is done.

A thin widget: the step is plain data (`training.lesson`), the panel's border holds the step
indicator (`3/10`) and the keys, so both stay in view whatever the text's length. The text
wraps to the panel's width; each step is written to fit whole at 80 columns
(`LESSON_MOST_ROWS`, tested), so nothing is ever cut.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...training.lesson import STEPS, LessonStep

LESSON_MOST_ROWS = 6
"""The most rows a step's words take at 80 columns (76 inside the border)."""
LESSON_KEYS = "pgdn next · pgup back · esc leaves"


def lesson_title(number: int) -> str:
    """The panel's title: `Lesson 3/10 · A batch of two`."""
    return f"Lesson {number}/{len(STEPS)} · {STEPS[number - 1].title}"


def lesson_text(step: LessonStep, done: bool) -> Text:
    """The step's words, then the thing to try: `Try: …`, or `✓ done: …` once it was done (in
    words as well as the mark, for NO_COLOR alike), no longer than before: the panels keep
    their rows when the step is ticked."""
    text = Text(step.text)
    text.append("\n")
    if done:
        text.append(f"✓ done: {step.try_this}", style="bold")
    else:
        text.append("Try: ", style="bold")
        text.append(step.try_this)
    return text


class LessonPanel(Static):
    """Step `number`'s words, ticked when `done`."""

    DEFAULT_CSS = "LessonPanel { height: auto; }"

    def show(self, number: int, done: bool) -> None:
        self.update(lesson_text(STEPS[number - 1], done), layout=True)
