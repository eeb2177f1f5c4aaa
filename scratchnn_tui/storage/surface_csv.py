"""The surface view's numbers as CSV (`--surface-csv` headless, `V` in the app): the loss over
its grid and the path walked over it (the columns: `training.surface_table`). Written
atomically, as the other tables are: a reader never sees half of one."""

from __future__ import annotations

import csv
import io
import os

from ..training.surface_table import surface_table
from ..training.surface_view import SurfaceChoice
from .atomic import write_atomically


def surface_csv_text(source, choice: SurfaceChoice | None = None) -> tuple[str, int, int]:
    """The CSV text of `source`'s surface table (a session's or a race's), its grid points and
    its path points. Numbers at full precision (`repr`); a grid row's epoch is empty."""
    table = surface_table(source, choice)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(table.header)
    for kind, epoch, p1, p2, loss in table.rows:
        writer.writerow((kind, "" if epoch is None else epoch, repr(p1), repr(p2), repr(loss)))
    return text.getvalue(), table.grid_rows, len(table.rows) - table.grid_rows


def write_surface_csv(source, path: str | os.PathLike, choice: SurfaceChoice | None = None) -> str:
    """Write `source`'s surface table to `path`; the line to show. SessionError if it cannot."""
    text, grid, points = surface_csv_text(source, choice)
    written = write_atomically(path, text.encode("utf-8"))
    return (f"Wrote the loss surface's {grid} grid points and {points} path point"
            f"{'' if points == 1 else 's'} to {written}")
