"""The code view (s): the core's own source behind the numbers on screen, values inline.

A screen of its own over the main one. It draws `code_lines.code_sections` for the app's latest
frame and redraws as frames come (it watches the app's `frame`), highlighted as Python where
colour is on; under NO_COLOR the values stay apart from the code by their `◂` mark. A value that
would not fit beside its line goes on the line below it; a code line is never wrapped or cut
(the view scrolls sideways instead), so each reads exactly as it is in the file. escape closes.
"""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..code_lines import CodeSection, code_sections

HINT = "esc closes · ↑↓ ←→ pgup pgdn scroll"
VALUE_STYLE = "bold italic #e5c07b"
SCROLLBAR = 1  # the vertical scrollbar's columns (its CSS below)


def highlighted(code: str) -> Text:
    """One line of Python, coloured as an editor would (the theme's colours; NO_COLOR greys)."""
    text = Syntax(code, "python", theme="monokai", background_color="default").highlight(code)
    text.rstrip()
    return text


def section_text(section: CodeSection, width: int) -> Text:
    """A section: its heading, then each line `  62 │ code   ◂ value` (the value below the
    line where the two would not fit in `width`), then the lines of numbers after it."""
    out = Text()
    out.append(f"{section.path} · {section.name}", style="bold underline")
    out.append(f"  ({section.about})\n", style="dim")
    gutter = max(len(str(line.number)) for line in section.lines) + 1
    left = gutter + 3  # `  62 │ `
    # The values line up in one column after the longest annotated line, each where it fits;
    # else after its own line, or under it.
    annotated = [line for line in section.lines if line.value]
    column = max((len(line.code.rstrip()) for line in annotated), default=0) + 3
    for line in section.lines:
        out.append(f"{line.number:>{left - 3}} │ ", style="dim")
        code = line.code.rstrip()
        out.append_text(highlighted(code))
        if line.value:
            value = "◂ " + line.value
            at = column if left + column + len(value) <= width else len(code) + 3
            if left + at + len(value) <= width:  # beside the line
                out.append(" " * (at - len(code)))
                out.append(value, style=VALUE_STYLE)
            else:  # under it, wrapped to the screen: a value is read whole without scrolling
                indent = left + len(code) - len(code.lstrip())
                for piece in _wrapped(value, max(width - indent, 20)):
                    out.append("\n" + " " * indent)
                    out.append(piece, style=VALUE_STYLE)
        out.append("\n")
    for note in section.after:
        for piece in _wrapped("◂ " + note, max(width - left, 20)):
            out.append(" " * left)
            out.append(piece, style=VALUE_STYLE)
            out.append("\n")
    return out


def _wrapped(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, broken at spaces (a longer word whole)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


class CodeScreen(Screen[None]):
    """The code behind the numbers of the app's latest frame, for the layer and weight selected."""

    BINDINGS = [Binding("escape,s,q", "close", "Close")]

    DEFAULT_CSS = """
    CodeScreen > #code-title { height: auto; padding: 0 1; background: $boost; text-style: bold; }
    CodeScreen > VerticalScroll { height: 1fr; overflow-x: auto; padding: 0 1; scrollbar-size-vertical: 1; }
    CodeScreen #code { width: auto; text-wrap: nowrap; }
    """

    def __init__(self, layer_index: int, selected: tuple[int, int], sample: int) -> None:
        super().__init__()
        self._where = (layer_index, selected, sample)

    def compose(self) -> ComposeResult:
        yield Static("", id="code-title")
        with VerticalScroll():
            yield Static("", id="code")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.watch(self.app, "frame", self._show, init=True)
        self.query_one(VerticalScroll).focus()

    def on_resize(self) -> None:
        self._show(self.app.frame)

    def _show(self, frame) -> None:
        title = self.query_one("#code-title", Static)
        if frame is None:
            title.update("The code behind the numbers · PyTorch is loading")
            return
        snapshot = frame.snapshot
        layer_index, selected, sample = self._where
        title.update(Text(f"The code behind the numbers · epoch {snapshot.epoch} · {snapshot.task} · "
                          f"{snapshot.optimizer} · {HINT}"))
        width = max(self.size.width - 2 - SCROLLBAR, 40)  # inside the padding and the scrollbar
        sections = code_sections(snapshot, layer_index, selected, sample)
        text = Text("\n").join(section_text(section, width) for section in sections)
        if snapshot.update is None:
            text.append("\nThe gradient and the optimizer's step show once an epoch is stepped (space).",
                        style="dim")
        self.query_one("#code", Static).update(text)

    def action_close(self) -> None:
        self.dismiss(None)
