"""What a person sees in each cell of a terminal emulator's (pyte's) screen: a blank shows its
background alone; its colour and weight show only when it is reversed, underlined or struck
through. Two screens that look the same compare equal."""

from __future__ import annotations


def seen(c) -> tuple:
    """One pyte cell as it looks."""
    if c.data == " " and not (c.reverse or c.underscore or c.strikethrough):
        return (" ", c.bg)
    return (c.data, c.fg, c.bg, c.bold, c.italics, c.reverse, c.underscore)


def seen_screen(screen) -> list[list[tuple]]:
    """Every cell of a pyte screen as it looks, row by row."""
    return [[seen(screen.buffer[y][x]) for x in range(screen.columns)] for y in range(screen.lines)]
