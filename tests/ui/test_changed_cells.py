"""Only the cells that changed go to the terminal (ui/changed_cells.py), and the terminal shows
what Textual's own updates would have made it show.

The oracle is Textual: each update is rendered both ways, Textual's `render_segments` into one
terminal emulator (pyte) and `TerminalCells`' lighter update into another, and after every update
the two screens must hold the same characters in the same colours."""

from __future__ import annotations

import random

import pyte
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.geometry import Region, Size
from textual.strip import Strip

from scratchnn_tui.ui.changed_cells import ChangedCellsOutput, TerminalCells, cells_of, changed_runs
from seen_cells import seen_screen

WIDTH, HEIGHT = 40, 6
CONSOLE = Console(force_terminal=True, color_system="truecolor", width=WIDTH, legacy_windows=False)
STYLES = [Style(color="#ffffff", bgcolor="#101010"), Style(color="#5fd75f", bgcolor="#101010"),
          Style(color="#ff5fff", bold=True), Style(color="#000000", bgcolor="#fde725"),
          Style(color="#5fd75f", bgcolor="#101010", reverse=True), Style(italic=True), None]


class Terminal:
    """A pyte screen fed the bytes an update renders to."""

    def __init__(self) -> None:
        self.screen = pyte.Screen(WIDTH, HEIGHT)
        self.stream = pyte.Stream(self.screen)
        self.sent = 0

    def write(self, text: str) -> None:
        self.sent += len(text.encode())
        self.stream.feed(text)

    def cells(self):
        return seen_screen(self.screen)

    def text(self, y: int) -> str:
        return self.screen.display[y]


def layout(lines: list[list[Segment]]) -> LayoutUpdate:
    return LayoutUpdate([[Strip(line, WIDTH)] for line in lines], Region(0, 0, WIDTH, len(lines)))


def chops(rows: dict[int, list[tuple[int, list[Segment]]]], spans=None) -> ChopsUpdate:
    """A partial update: for each row, its chops (x, segments) side by side, as Textual's
    compositor cuts a row at the edges of the widgets on it."""
    all_chops, ends = [{} for _ in range(HEIGHT)], [[] for _ in range(HEIGHT)]
    for y, row in rows.items():
        for x, segments in row:
            strip = Strip(segments)
            all_chops[y][x] = strip
            ends[y].append(x + strip.cell_length)
    spans = spans or [(y, min(x for x, _ in row), max(ends[y])) for y, row in sorted(rows.items())]
    return ChopsUpdate(all_chops, spans, ends)


def both(updates):
    """Textual's terminal and this app's, after the same updates."""
    textual, lighter, cells = Terminal(), Terminal(), TerminalCells()
    for update in updates:
        textual.write(update.render_segments(CONSOLE))
        lighter.write(cells.lighter(update, Size(WIDTH, HEIGHT)).render_segments(CONSOLE))
        assert lighter.cells() == textual.cells()
    return textual, lighter


def test_a_changed_number_sends_its_digits_and_not_the_row():
    white = STYLES[0]
    row = [Segment("│ w₁₁ ", white), Segment("0.4953", STYLES[1]), Segment("  bias 0.6473 │", white)]
    moved = [Segment("│ w₁₁ ", white), Segment("0.4961", STYLES[1]), Segment("  bias 0.6473 │", white)]
    update = chops({1: [(0, moved)]})
    blank = [Segment(" " * WIDTH, white)]
    textual, lighter = both([layout([blank, row, blank, blank, blank, blank]), update])
    assert lighter.text(1).startswith("│ w₁₁ 0.4961  bias 0.6473 │")
    sent = TerminalCells()
    sent.lighter(layout([blank, row, blank, blank, blank, blank]), Size(WIDTH, HEIGHT))
    text = sent.lighter(update, Size(WIDTH, HEIGHT)).render_segments(CONSOLE)
    assert "61" in text and "bias" not in text and "w₁₁" not in text
    assert "\x1b[2;11H" in text  # the cursor goes to the first changed digit (row 2, column 11)
    assert len(text) < len(update.render_segments(CONSOLE)) / 2


def test_the_same_strip_again_sends_nothing():
    row = [Segment("epoch 12 │ loss 0.25", STYLES[0])]
    cells = TerminalCells()
    cells.lighter(chops({0: [(0, row)]}), Size(WIDTH, HEIGHT))
    assert cells.lighter(chops({0: [(0, row)]}), Size(WIDTH, HEIGHT)).render_segments(CONSOLE) == ""


def test_runs_keep_wide_characters_whole_and_join_near_changes():
    a, b = STYLES[0], STYLES[1]
    old = cells_of([Segment("ab漢cdefghijklmnop", a)])
    new = cells_of([Segment("ab字cdXfghijklmnoQ", a)])
    assert len(old) == len(new) == 18  # 漢 takes two cells
    assert changed_runs(old, new, gap=2) == [(2, 3), (6, 7), (17, 18)]  # 字 is written from its first column
    assert changed_runs(old, new, gap=4) == [(2, 7), (17, 18)]
    restyled = cells_of([Segment("ab", a), Segment("漢", b), Segment("cdefghijklmnop", a)])
    assert changed_runs(old, restyled) == [(2, 3)]
    wide = cells_of([Segment("漢", a)])
    assert changed_runs([wide[0], ("x", a)], wide) == [(0, 2)]  # from the character, not its half


def test_a_new_size_sends_everything_again():
    row = [Segment("same text", STYLES[0])]
    cells = TerminalCells()
    cells.lighter(chops({0: [(0, row)]}), Size(WIDTH, HEIGHT))
    again = cells.lighter(chops({0: [(0, row)]}), Size(WIDTH, HEIGHT + 1)).render_segments(CONSOLE)
    assert "same text" in again


def random_cells(rng: random.Random, width: int) -> list:
    """A row as cells: (character, style), a wide character followed by None."""
    cells = []
    while len(cells) < width:
        style = rng.choice(STYLES)
        if len(cells) < width - 1 and rng.random() < 0.05:
            cells += [("漢", style), None]
        else:
            cells.append((rng.choice("0123456789.-e ab│─⎡⎤▀•"), style))
    return cells


def segments(cells: list) -> list[Segment]:
    return [Segment(*cell) for cell in cells if cell is not None]


def mutated(rng: random.Random, cells: list) -> list:
    """A few narrow cells of the row changed, in character or style, as numbers move."""
    cells = list(cells)
    for _ in range(rng.randint(1, 4)):
        x = rng.randrange(len(cells))
        if cells[x] is not None and cells[x][0] != "漢":
            cells[x] = (rng.choice("0123456789"), rng.choice(STYLES))
    return cells


def test_random_updates_leave_the_same_screen_as_textuals_own():
    rng = random.Random(0)
    rows = [random_cells(rng, WIDTH) for _ in range(HEIGHT)]
    updates = [layout([segments(row) for row in rows])]
    for step in range(400):
        if step % 97 == 96:  # now and then a full update, as a new screen or a resize makes
            rows = [random_cells(rng, WIDTH) for _ in range(HEIGHT)]
            updates.append(layout([segments(row) for row in rows]))
            continue
        dirty = {}
        for y in rng.sample(range(HEIGHT), rng.randint(1, HEIGHT)):
            rows[y] = random_cells(rng, WIDTH) if rng.random() < 0.1 else mutated(rng, rows[y])
            cut = rng.choice([WIDTH, 12, 25])  # one widget on the row, or two side by side
            if cut < WIDTH and rows[y][cut] is None:
                cut += 1  # a widget's edge never halves a wide character
            dirty[y] = [(0, segments(rows[y][:cut]))] + ([(cut, segments(rows[y][cut:]))] if cut < WIDTH else [])
        updates.append(chops(dirty))
    textual, lighter = both(updates)
    assert lighter.sent < textual.sent / 3


class Written:
    """Textual's side of `_display`: what reaches the terminal, as text."""

    def _display(self, screen, renderable) -> None:
        self.written.append(renderable.render_segments(CONSOLE) if renderable is not None else "")


class Subscribers:
    def __init__(self) -> None:
        self.callbacks = []

    def subscribe(self, node, callback) -> None:
        self.callbacks.append(callback)

    def publish(self, app) -> None:
        for callback in self.callbacks:
            callback(app)


class WritingApp(ChangedCellsOutput, Written):
    """An app as `ChangedCellsOutput` sees one: running, on a terminal of WIDTH × HEIGHT."""

    _batch_count, _running, _closed, is_headless = 0, True, False, False

    def __init__(self) -> None:
        self.written: list[str] = []
        self._driver = type("Driver", (), {"is_inline": False})()
        self.screen = type("Screen", (), {"outer_size": Size(WIDTH, HEIGHT)})()
        self.app_resume_signal = Subscribers()


def test_the_app_sends_changes_alone_until_it_comes_back_from_a_suspend():
    app = WritingApp()
    row = [Segment("epoch 12 │ loss 0.25", STYLES[0])]
    app._display(None, layout([row] + [[Segment(" " * WIDTH, STYLES[0])]] * (HEIGHT - 1)))
    app._display(None, chops({0: [(0, row)]}))
    assert "epoch" in app.written[0] and app.written[1] == ""  # nothing changed: nothing sent
    app._batch_count = 1  # a batch: Textual will not write this one, and nothing is recorded
    app._display(None, chops({0: [(0, [Segment("epoch 13 │ loss 0.24", STYLES[0])])]}))
    app._batch_count = 0
    app._display(None, chops({0: [(0, row)]}))
    assert app.written[3] == ""
    app.app_resume_signal.publish(app)  # another program had the terminal
    app._display(None, chops({0: [(0, row)]}))
    assert "epoch 12 │ loss 0.25" in app.written[4]
