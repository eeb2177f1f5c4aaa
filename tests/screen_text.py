"""The whole screen as plain text, one string a row, from the app's own SVG screenshot
(`App.export_screenshot`, Textual's public way to read what a screen shows): what a user reads,
borders and all, as `tmux capture-pane` would give it."""

from __future__ import annotations

import html
import re
from collections import defaultdict

CELL = 12.2  # the width of one cell in Textual's SVG, in its units
_RUN = re.compile(r'<text [^>]*x="([\d.]+)"[^>]*clip-path="url\(#terminal-(?:\d+-)?line-(\d+)\)">([^<]*)</text>')


def screen_lines(app) -> list[str]:
    """Each row of the screen as the terminal would show it."""
    rows: dict[int, dict[int, str]] = defaultdict(dict)
    for x, line, text in _RUN.findall(app.export_screenshot()):
        rows[int(line)][round(float(x) / CELL)] = html.unescape(text).replace("\xa0", " ")
    lines = []
    for number in range(max(rows, default=-1) + 1):
        row = ""
        for column, text in sorted(rows[number].items()):
            row = row.ljust(column) + text
        lines.append(row.rstrip())
    return lines


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))
