"""What the surface view costs the training process each frame it is shown: the path read, the
next step taken on a copy, and the loss over the window's grid (kept for an exact surface,
computed again for a slice), made into the plain-number view.

The snapshot does this once per full frame while `v` shows the view, never per epoch; the path
itself is recorded every epoch whether or not the view is shown, and that cost is in the app's
run-mode ratio (`app_run`, run with the view on). Timed here alone, on a session built from
the benchmark's settings, trained a few hundred epochs so the path is a real one.
"""

from __future__ import annotations

import statistics
import time

from ..training.session import Session
from ..training.surface_view import SurfaceChoice

REPEATS = 200  # frames' worth: enough for a steady p95, about a second on a cpu
EPOCHS = 300


def surface_view_ms_p95(settings: dict, repeats: int = REPEATS) -> float:
    """The p95, in ms, of one frame's surface view for the task and network `settings` name."""
    session = Session(task=settings["task"], optimizer=settings["optimizer"], device=settings["device"],
                      hidden=settings.get("hidden", ()))
    session.choose_surface(SurfaceChoice(shown=True))
    session.train(EPOCHS)
    session.surface_view()  # the window fitted and an exact grid made: once, as in the app
    times = []
    for _ in range(repeats):
        session.train(1)  # a frame's new point, as run mode brings them
        start = time.perf_counter()
        session.surface_view()
        times.append(time.perf_counter() - start)
    return statistics.quantiles(times, n=20, method="inclusive")[-1] * 1000  # the 19th of 20: p95
