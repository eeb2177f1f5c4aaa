"""What the function view costs the training process each frame: its grid's forward pass, the
read back from the device, and the plain-number view made from it.

The snapshot does this work in the same device read as the layers (`Session.snapshot`), so
run mode pays it once per full frame, about five times a second, never per epoch. Timed here alone, on a
session built from the benchmark's settings, so the figure is the picture's share of a frame
and not the whole snapshot's; the app's run-mode ratio (`app_run`) shows what it costs in all.
"""

from __future__ import annotations

import statistics
import time

import torch

from ..training.session import Session

REPEATS = 200  # frames' worth: enough for a steady p95, well under a second on a cpu


def function_view_ms_p95(settings: dict, repeats: int = REPEATS) -> float:
    """The p95, in ms, of one frame's picture for the task and network `settings` name."""
    session = Session(task=settings["task"], optimizer=settings["optimizer"], device=settings["device"],
                      hidden=settings.get("hidden", ()))
    layers = session.snapshot().layers  # the layers' numbers the view takes with its own
    session.function_grid()  # made once for a network and kept, as in the app: not a frame's cost
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        grid = session.function_grid()
        with torch.no_grad():
            flat = torch.cat([piece.flatten() for piece in grid.pieces(session.model)]).tolist()
        grid.view(flat, layers)
        times.append(time.perf_counter() - start)
    return statistics.quantiles(times, n=20, method="inclusive")[-1] * 1000  # the 19th of 20: p95
