"""Which panels the screen shows, and how many rows each gets: decided, not left to overflow.

A terminal has so many rows. Each panel says how many it needs to be shown whole (its content
and its two borders); the planner gives them out by priority and hides, whole, a panel that
does not fit, rather than squeezing it down to its title. The loss chart grows into what is left
once it has its least (a caption and two rows of bars). From `WIDE_FROM` columns up the screen
has two columns: the layer's panels on the left, the loss chart (and, later, the pictures) on
the right, each column with its own rows.

Pure: no Textual. The app measures the panels, asks `plan_screen`, and applies the plan
(`ui/panel_room.py`); tests ask it directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

WIDE_FROM = 120  # columns from which the screen has two columns
LEFT_LEAST = 80  # the left column's least width: the panels are drawn for 80 columns and up


@dataclass(frozen=True)
class PanelNeed:
    """What one panel needs: `rows` (borders included) to be shown whole; a panel that `grows`
    takes those at least and every row its column has left."""

    name: str
    title: str  # as its border says it, for the line that says where a hidden panel went
    rows: int
    key: str | None = None  # the key that brings it back; None: always shown
    grows: bool = False


@dataclass(frozen=True)
class Plan:
    """Each shown panel's rows, in screen order per column, and the panels left out for room."""

    columns: tuple[tuple[tuple[str, int], ...], ...]
    hidden: tuple[PanelNeed, ...] = ()
    wide: bool = False

    @property
    def rows(self) -> dict[str, int]:
        return {name: rows for column in self.columns for name, rows in column}

    def note(self) -> str:
        """`no room for: Matrix form (m)`: where the hidden panels went, and the key for each."""
        if not self.hidden:
            return ""
        return "no room for: " + " · ".join(f"{need.title} ({need.key})" for need in self.hidden)


def column_widths(width: int) -> tuple[int, int] | None:
    """The left and right columns' widths from `WIDE_FROM` columns up; None below (one column)."""
    if width < WIDE_FROM:
        return None
    left = max(LEFT_LEAST, width * 3 // 5)
    return left, width - left


def plan_column(room: int, needs: Sequence[PanelNeed], priority: Sequence[str]) -> tuple[list[tuple[str, int]], list[PanelNeed]]:
    """Fit `needs` (in screen order) into `room` rows: panels that are always shown first, then
    the others in `priority` order (the first named is the most wanted), each only if it fits
    whole; a panel that grows then takes the rows left over. Returns the shown panels with their
    rows, in screen order, and the ones left out."""
    rank: dict[str, int] = {}
    for name in priority:  # the first mention counts
        rank.setdefault(name, len(rank))
    order = sorted(needs, key=lambda need: (need.key is not None, rank.get(need.name, len(rank))))
    left, given, hidden = room, {}, []
    for need in order:
        if need.key is None:  # always shown: it gets what there is
            given[need.name] = min(need.rows, max(left, 0))
        elif need.rows <= left:
            given[need.name] = need.rows
        else:
            hidden.append(need)
            continue
        left -= given[need.name]
    growing = [need for need in needs if need.grows and need.name in given]
    if growing and left > 0:
        given[growing[0].name] += left
    shown = [(need.name, given[need.name]) for need in needs if need.name in given and given[need.name] > 0]
    return shown, [need for need in needs if need in hidden]


def plan_screen(room: int, width: int, left: Sequence[PanelNeed], right: Sequence[PanelNeed],
                priority: Sequence[str]) -> Plan:
    """Plan the panels in `room` rows: `left` and `right` side by side from `WIDE_FROM` columns
    up, stacked (left's above right's) in one column below."""
    if column_widths(width) is not None:
        left_shown, left_hidden = plan_column(room, left, priority)
        right_shown, right_hidden = plan_column(room, right, priority)
        return Plan((tuple(left_shown), tuple(right_shown)), tuple(left_hidden + right_hidden), wide=True)
    shown, hidden = plan_column(room, [*left, *right], priority)
    return Plan((tuple(shown),), tuple(hidden))


@dataclass
class PanelChoice:
    """The panels the user asked for with their keys, most recent first, and those they hid.

    A key (`g`, `m`) hides its panel when it is on screen; when it is not (hidden by the user or
    left out for room), it brings it back and puts it first, so another panel gives way."""

    priority: list[str] = field(default_factory=list)
    unwanted: set[str] = field(default_factory=set)

    def press(self, name: str, on_screen: bool) -> None:
        if on_screen:
            self.unwanted.add(name)
        else:
            self.unwanted.discard(name)
            self.priority = [name, *(other for other in self.priority if other != name)]

    def wanted(self, needs: Iterable[PanelNeed]) -> list[PanelNeed]:
        return [need for need in needs if need.name not in self.unwanted]
