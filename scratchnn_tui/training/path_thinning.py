"""A speed trick: the path the surface view draws holds only the points a map can tell apart.

A long run's path is a thousand points (`param_path` keeps up to 1,024), and most of them,
near the end of a converging run, lie within a braille dot of one another. Sent whole, each
frame carried ~100 KB of 4,096 of them and the UI spent ~27 ms joining them
(docs/PERFORMANCE.md). So
before a path goes into a `SurfaceView`, a point is kept only if it is at least 1/RESOLUTION of
the window's span from the last point kept, along either parameter; the start and the point
now are always kept. RESOLUTION is finer than any map's dots (a 200-column terminal's map is
under 400 dots across), so the drawing is the same line; the tables (`surface_table`) read the
whole path, never this one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .surface_view import SurfacePath
from .surface_window import Window

RESOLUTION = 512  # steps across the window's span a kept point must be apart, at least one


def thin_indices(points: Sequence[tuple[float, float]], window: Window, resolution: int = RESOLUTION) -> list[int]:
    """The places in `points` to keep (see the module's docstring), ascending."""
    if len(points) <= 2:
        return list(range(len(points)))
    step1 = (window.high1 - window.low1) / resolution
    step2 = (window.high2 - window.low2) / resolution
    kept = [0]
    last1, last2 = points[0]
    for k in range(1, len(points) - 1):
        a, b = points[k]
        if abs(a - last1) >= step1 or abs(b - last2) >= step2 or a != a or b != b:  # NaN: kept, as it is
            kept.append(k)
            last1, last2 = a, b
    kept.append(len(points) - 1)
    return kept


def thin_path(path: SurfacePath, window: Window, resolution: int = RESOLUTION) -> SurfacePath:
    """`path` with only the points a map of `window` can tell apart (and their epochs)."""
    kept = thin_indices(path.points, window, resolution)
    if len(kept) == len(path.points):
        return path
    return replace(path, points=tuple(path.points[k] for k in kept), epochs=tuple(path.epochs[k] for k in kept))
