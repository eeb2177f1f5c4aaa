"""Send the terminal only the cells that changed: a speed trick for the terminal's link.

Textual repaints by regions: when a widget's text changes, every row of it that is dirty goes to
the terminal again from the widget's left edge, each cell with its style, even where only one
number in it moved. While a run goes, a matrix row of eight numbers whose last digits change is
~500 bytes a repaint, and over SSH the link carries every one of them.

`TerminalCells` keeps what this app last wrote to each cell of the terminal (as curses keeps its
"current screen") and turns each of Textual's partial updates into one that moves the cursor to
the runs of cells that differ and writes those alone. What reaches the screen is the same; what
crosses the link is the difference. Measured in docs/PERFORMANCE.md ("Bytes to the terminal").

A full update (a new screen, a resize) is written whole as Textual makes it, and is what the
cells are known from after it: the terminal may have been cleared or reflowed underneath, so
nothing is taken for granted there. When the app comes back from a suspend the cells are
forgotten, and each update is sent as Textual made it until the next full one.
"""

from __future__ import annotations

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.control import Control
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.geometry import Size
from textual.strip import SGR_STYLES, Strip

Cell = tuple[str, Style | None]
_WIDE_TAIL: Cell = ("", None)  # the second column of a wide character: nothing of its own to send
_GAP = 8  # unchanged cells between two runs: cheaper sent again than a cursor move and a style


class CellsUpdate(CompositorUpdate):
    """A partial update as the changed runs of cells alone: each run a cursor move and its
    text, with a style's codes only where the style changes (`Pen`)."""

    def __init__(self, runs: list[tuple[int, int, list[Segment]]]) -> None:
        self.runs = runs  # (x, y, segments)

    def render_segments(self, console: Console) -> str:
        pen = Pen(console._color_system or ColorSystem.TRUECOLOR)  # as Textual's Strip.render
        out = []
        # Runs never overlap, so their order is free: those that start in one style go together
        # and pay for its codes once.
        for x, y, segments in sorted(self.runs, key=lambda run: pen.codes(run[2][0].style if run[2] else None)):
            out.append(Control.move_to(x, y).segment.text)
            for text, style, _ in Segment.simplify(segments):
                out.append(pen.to(style, text))
        if pen.now != ("", "", ""):
            out.append("\x1b[0m")  # Textual writes its next updates from the plain style
        return "".join(out)


class Pen:
    """The terminal's current style, and the codes that change it.

    Textual writes each segment's style in full and resets after it (~25 bytes for a number of
    six characters); between runs of one update the terminal keeps its style, so a run in the
    colour of the one before needs no codes at all, one in another colour only its colour's, and
    blanks on the same background none (the spaces between a matrix's numbers)."""

    def __init__(self, color_system: ColorSystem) -> None:
        self.color_system = color_system
        self.now: tuple[str, str, str] = ("", "", "")  # (attributes, foreground, background) codes
        self._codes: dict[Style, tuple[str, str, str]] = {}

    def codes(self, style: Style | None) -> tuple[str, str, str]:
        """A style's SGR codes, as Textual's `Strip.render_ansi` makes them, in three parts."""
        if style is None:
            return ("", "", "")
        known = self._codes.get(style)
        if known is None:
            known = self._codes[style] = self._codes_of(style)
        return known

    def _codes_of(self, style: Style) -> tuple[str, str, str]:
        attributes = style._attributes & style._set_attributes
        sgr = [SGR_STYLES[bit] for bit in range(attributes.bit_length()) if attributes & (1 << bit)]
        fg = style._color and ";".join(style._color.downgrade(self.color_system).get_ansi_codes())
        bg = style._bgcolor and ";".join(style._bgcolor.downgrade(self.color_system).get_ansi_codes(False))
        return (";".join(sgr), fg or "", bg or "")

    def to(self, style: Style | None, text: str) -> str:
        """`text` in `style`, after the codes that turn the terminal's style into it."""
        if style is not None and style._link:  # a link: Textual's own rendering, which resets
            self.now = ("", "", "")
            return Strip.render_style(style, text, self.color_system)
        want = self.codes(style)
        if want == self.now or (want[2] == self.now[2] and _blank(text) and not _marks_blanks(want[0])
                                and not _marks_blanks(self.now[0])):
            return text  # a blank shows its background alone: its colour and weight go unseen
        attributes, fg, bg = want
        if attributes != self.now[0]:
            sgr = ";".join(code for code in ("0", attributes, fg, bg) if code)
        else:
            changed = [fg or "39"] if fg != self.now[1] else []  # 39, 49: the terminal's own colours
            sgr = ";".join(changed + ([bg or "49"] if bg != self.now[2] else []))
        self.now = want
        return f"\x1b[{sgr}m{text}"


_MARKS_BLANKS = {"4", "7", "9", "21", "53"}  # underline, reverse, strike, double underline, overline


def _blank(text: str) -> bool:
    return not text.strip(" ")


def _marks_blanks(attributes: str) -> bool:
    """Whether these attributes show on a blank cell (a reversed blank shows its colour)."""
    return bool(attributes) and not _MARKS_BLANKS.isdisjoint(attributes.split(";"))


def cells_of(segments) -> list[Cell] | None:
    """A line's segments as one (character, style) per terminal cell; None where a segment is a
    control code (its cells cannot be told)."""
    cells: list[Cell] = []
    append = cells.append
    for segment in segments:
        if segment.control:
            return None
        style = segment.style
        text = segment.text
        if text.isascii():  # every printable ASCII character is one cell
            cells.extend([(character, style) for character in text])
            continue
        for character in text:
            width = get_character_cell_size(character)
            if width == 1:
                append((character, style))
            elif width == 2:
                append((character, style))
                append(_WIDE_TAIL)
            elif cells:  # a combining mark rides on the cell before it
                cells[-1] = (cells[-1][0] + character, cells[-1][1])
    return cells


def changed_runs(old: list, new: list[Cell], gap: int = _GAP) -> list[tuple[int, int]]:
    """The runs [start, end) where `new` differs from `old`; two runs closer than `gap` cells of
    one style are joined (those cells' text costs less than a cursor move). None
    starts on a wide character's second column: its text would land one column off."""
    runs: list[list[int]] = []
    for i, cell in enumerate(new):
        if old[i] != cell:
            if runs and i - runs[-1][1] <= gap and _one_style(new, runs[-1][1] - 1, i):
                runs[-1][1] = i + 1
            else:
                runs.append([i, i + 1])
    for run in runs:
        if new[run[0]] is _WIDE_TAIL and run[0] > 0:
            run[0] -= 1
    return [(start, end) for start, end in runs]


def _one_style(cells: list[Cell], start: int, end: int) -> bool:
    """Whether cells[start:end] share a style: sent again, they cost their text and no codes."""
    style = cells[start][1]
    return all(cell[1] is style or cell[1] == style or cell is _WIDE_TAIL for cell in cells[start + 1:end])


class TerminalCells:
    """The terminal's cells as this app last wrote them, and the updates that change them."""

    def __init__(self) -> None:
        self._size: Size | None = None
        self._rows: list[list] = []  # None in a cell: not known (never written, or lost)
        # The strip each chop of a row last wrote, by its x: a chop that brings the same strip
        # again is passed over before its cells are looked at (most rows of a panel's repaint).
        self._chops: list[dict[int, Strip]] = []

    def forget(self) -> None:
        """Know nothing of the screen: the next updates are sent as Textual made them."""
        self._size = None
        self._rows = []
        self._chops = []

    def lighter(self, update, size: Size):
        """The update to send for `update` on a screen of `size`: a full one as it is (and its
        cells kept), a partial one as its changed runs of cells."""
        if size != self._size:
            self._size = size
            self._rows = [[None] * size.width for _ in range(size.height)]
            self._chops = [{} for _ in range(size.height)]
        if isinstance(update, LayoutUpdate):
            for chops in self._chops:
                chops.clear()
            self._keep_layout(update)
            return update
        if isinstance(update, ChopsUpdate):
            return CellsUpdate(self._changed(update))
        self.forget()  # something else (an inline update): not followed
        return update

    def _keep_layout(self, update: LayoutUpdate) -> None:
        region = update.region
        for y, line in enumerate(update.strips, region.y):
            self._place(y, region.x, [segment for strip in line for segment in strip])

    def _place(self, y: int, x: int, segments) -> list[Cell] | None:
        """Record what a line writes at (x, y); the cells, or None where they cannot be told."""
        if not 0 <= y < len(self._rows):
            return None
        row = self._rows[y]
        cells = cells_of(segments)
        if cells is None:
            row[x:] = [None] * (len(row) - x)
            return None
        cells = cells[: max(len(row) - x, 0)]
        row[x:x + len(cells)] = cells
        return cells

    def _changed(self, update: ChopsUpdate) -> list[tuple[int, int, list[Segment]]]:
        """The runs of `update`'s cells that differ from what the terminal shows: of the same
        chops Textual's `ChopsUpdate.render_segments` would send, the changed parts alone."""
        runs = []  # (x, y, segments)
        for y, x1, x2 in update.spans:
            ends = update.chop_ends[y]
            for end, (x, strip) in zip(ends, update.chops[y].items()):
                if strip is None or x > x2 or end <= x1:
                    continue
                if not (x2 > x >= x1 and end <= x2):
                    strip = strip.crop(0, min(end, x2) - x)
                if not 0 <= y < len(self._rows):
                    continue
                if self._same_chop(y, x, strip):
                    continue
                old = self._rows[y][x:x + strip.cell_length]
                cells = self._place(y, x, list(strip))
                if cells is None:  # not told: send it as Textual would
                    runs.append((x, y, list(strip)))
                    continue
                old += [None] * (len(cells) - len(old))
                for start, stop in changed_runs(old, cells):
                    run = [Segment(text, style) for text, style in cells[start:stop] if text]
                    runs.append((x + start, y, run))
        return runs

    def _same_chop(self, y: int, x: int, strip: Strip) -> bool:
        """Whether the chop at (x, y) last wrote this very strip; if not, it is the one now,
        and any other chop of the row it overlaps is forgotten (its cells are no longer its)."""
        chops = self._chops[y]
        if chops.get(x) == strip:
            return True
        end = x + strip.cell_length
        for other in [other for other, was in chops.items()
                      if other != x and other < end and x < other + was.cell_length]:
            del chops[other]
        chops[x] = strip
        return False


class ChangedCellsOutput:
    """An App mixin: what Textual writes to the terminal goes through `TerminalCells`.

    Textual has no public seam between an update and the terminal's bytes; `App._display` is
    where it turns one into the other, so this wraps it, and hands every update on to it. An
    update Textual will not write (a batch in progress, no terminal: headless tests) is passed
    on untouched, so the cells stay what the terminal shows."""

    terminal_cells: TerminalCells | None = None

    def _display(self, screen, renderable) -> None:
        if renderable is not None and self._writes_to_terminal():
            if self.terminal_cells is None:
                self.terminal_cells = TerminalCells()
                # Back from a suspend (another program had the terminal): nothing is known.
                self.app_resume_signal.subscribe(self, lambda _app: self.terminal_cells.forget())
            if self._driver.is_inline:
                self.terminal_cells.forget()
            else:
                renderable = self.terminal_cells.lighter(renderable, self.screen.outer_size)
        super()._display(screen, renderable)

    def action_redraw(self) -> None:
        """Write every cell again (`ctrl+l`, as in curses programs): for a terminal that something
        else wrote on, a broadcast message over SSH or a stray line, which sending the changed
        cells alone would never mend."""
        if self.terminal_cells is not None:
            self.terminal_cells.forget()
        self.screen.refresh()

    def _writes_to_terminal(self) -> bool:
        """Whether Textual's `_display` will write this update (its own conditions)."""
        return (not self._batch_count and self._running and not self._closed
                and not self.is_headless and self._driver is not None)
