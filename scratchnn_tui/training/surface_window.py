"""Where the surface view looks: a window of two parameters that holds still while a run goes on.

A picture whose axes move every frame cannot be read: the path would seem to stand still while
the ground slid under it. So, as Distill's "Why Momentum Really Works" keeps each figure's axes
fixed, the window is fitted once, to cover the start, the current point and the answer with a
margin, and after that it only grows, when the path leaves it (momentum's overshoot, a
diverging step). A reset, a new task or another pair of parameters fits it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MARGIN = 0.25  # of the covered span, on each side
LEAST_SPAN = 1.0  # a window over one point still shows the slope around it


@dataclass(frozen=True)
class Window:
    """The ranges of the two parameters: p₁ from `low1` to `high1`, p₂ from `low2` to `high2`."""

    low1: float
    high1: float
    low2: float
    high2: float

    def covers(self, points: Iterable[tuple[float, float]]) -> bool:
        points = list(points)
        if not points:
            return True
        firsts, seconds = [a for a, _ in points], [b for _, b in points]
        return (self.low1 <= min(firsts) and max(firsts) <= self.high1
                and self.low2 <= min(seconds) and max(seconds) <= self.high2)


def _finite(points: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """The points with both numbers finite (NaN fails every comparison)."""
    return [(a, b) for a, b in points if -_INF < a < _INF and -_INF < b < _INF]


_INF = float("inf")


def _range(values: Sequence[float], span: float) -> tuple[float, float]:
    middle = (min(values) + max(values)) / 2
    return middle - (0.5 + MARGIN) * span, middle + (0.5 + MARGIN) * span


def fit(points: Sequence[tuple[float, float]]) -> Window:
    """A window over `points` (finite ones) with MARGIN of their span beyond each end.

    Both parameters get the same span (the wider one's): a step of 0.1 is then as long across
    as up, as on Distill's square figures, and a path that sets off along the narrower
    parameter does not leave the window at once."""
    points = _finite(points)
    firsts, seconds = [a for a, _ in points], [b for _, b in points]
    span = max(max(firsts) - min(firsts), max(seconds) - min(seconds), LEAST_SPAN)
    (low1, high1), (low2, high2) = _range(firsts, span), _range(seconds, span)
    return Window(low1, high1, low2, high2)


def follow(window: Window | None, points: Sequence[tuple[float, float]],
           fixed: Sequence[tuple[float, float]] = ()) -> Window:
    """The window to draw: `window` as it is while it covers `points`; fitted to `points` and
    `fixed` (the answer) when there is none yet; grown to cover the old window and every point
    when the path has left it."""
    finite = _finite(points)
    if window is None:
        return fit([*finite, *fixed])
    if window.covers(finite):
        return window
    corners = [(window.low1, window.low2), (window.high1, window.high2)]
    return fit([*corners, *finite])
