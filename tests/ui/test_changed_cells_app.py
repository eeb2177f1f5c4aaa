"""The real app in a pseudo-terminal, its bytes replayed by a terminal emulator (pyte): after a
run sent only its changed cells, the screen is the one Textual draws whole.

Whole: a resize makes Textual write every cell again, as it knows them, with nothing taken from
what the terminal showed before. Resized away and back, the emulator's screen must not change."""

from __future__ import annotations

import sys

import pyte
import pytest

from scratchnn_tui.bench.terminal_bytes import AppTerminal
from seen_cells import seen_screen

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a pty and /proc: Linux")

SIZE = (100, 30)


@pytest.mark.parametrize("args", [(), ("--task", "square", "--hidden", "8", "--optimizer", "adam")])
def test_after_a_run_the_screen_is_the_one_drawn_whole(args, tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path))
    screen = pyte.Screen(*SIZE)
    stream = pyte.ByteStream(screen)
    terminal = AppTerminal(SIZE, on_bytes=stream.feed, args=args)
    try:
        terminal.wait_for(b"paused")
        terminal.read_for(0.5)
        terminal.press("r")  # run: ~20 frames a second, each sending what changed
        before = len(terminal.seen)
        sent = terminal.read_for(3.0)
        run = terminal.seen[before:]
        # Changed runs, not Textual's segments: Textual resets the style after every segment it
        # writes, the changed cells once an update.
        assert run.count(b"\x1b[0m") < run.count(b"H\x1b[") / 2
        terminal.press("r")
        terminal.read_for(1.5)
        assert "paused" in "\n".join(screen.display)
        after_run = seen_screen(screen)
        terminal.resize((SIZE[0] - 10, SIZE[1]))
        screen.resize(SIZE[1], SIZE[0] - 10)
        terminal.read_for(1.0)
        terminal.resize(SIZE)
        screen.resize(SIZE[1], SIZE[0])
        whole = terminal.read_for(1.5)
        assert whole > 4000  # the whole screen again: every cell written
        assert seen_screen(screen) == after_run
        assert sent > 0
    finally:
        terminal.close()


def test_ctrl_l_mends_a_screen_something_else_wrote_on(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRATCHNN_TUI_STATE_DIR", str(tmp_path))
    screen = pyte.Screen(*SIZE)
    stream = pyte.ByteStream(screen)
    terminal = AppTerminal(SIZE, on_bytes=stream.feed)
    try:
        terminal.wait_for(b"paused")
        terminal.press(" ")
        terminal.read_for(1.5)
        stream.feed(b"\x1b[5;3HBroadcast message from root: the box reboots at noon")  # not the app's
        terminal.press(" ")  # the app sends what changed: the junk stays
        terminal.read_for(1.5)
        assert "Broadcast message" in "\n".join(screen.display)
        terminal.press("\x0c")  # ctrl+l
        terminal.read_for(1.5)
        assert "Broadcast message" not in "\n".join(screen.display)
        assert "Epoch 2" in "\n".join(screen.display)
        mended = seen_screen(screen)
        terminal.resize((SIZE[0] - 10, SIZE[1]))  # and the screen Textual draws whole is the same
        screen.resize(SIZE[1], SIZE[0] - 10)
        terminal.read_for(1.0)
        terminal.resize(SIZE)
        screen.resize(SIZE[1], SIZE[0])
        terminal.read_for(1.5)
        assert seen_screen(screen) == mended
    finally:
        terminal.close()
