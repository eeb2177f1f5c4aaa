"""The function view's numbers as CSV (`--fit-csv` headless, `F` in the app): the network's
output at each grid point, with each hidden unit's term and the true function where there are
ones (the columns: `training.fit_table`). Written atomically, as the loss CSV is, so a reader
never sees half a table and an earlier file stays whole if the disk refuses."""

from __future__ import annotations

import csv
import io
import os

from ..training.fit_table import fit_table
from .atomic import write_atomically


def fit_csv_text(session) -> tuple[str, int]:
    """The CSV text of `session`'s fit table, and how many points (rows) it has. Numbers at
    full precision (`repr`), as the loss CSV writes them."""
    table = fit_table(session)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(tuple(map(repr, row)) for row in table.rows)
    return text.getvalue(), len(table.rows)


def write_fit_csv(session, path: str | os.PathLike) -> str:
    """Write `session`'s fit table to `path`; the line to show. SessionError if it cannot."""
    text, points = fit_csv_text(session)
    written = write_atomically(path, text.encode("utf-8"))
    return f"Wrote the function view's {points} points to {written}"
