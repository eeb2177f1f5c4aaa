"""The loss history as CSV, for a spreadsheet or a plot of one's own."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ..training.session import Session
from .atomic import write_atomically


def write_loss_csv(session: Session, path: str | os.PathLike) -> Path:
    """The loss history as CSV: `first_epoch,last_epoch,worst_loss`, one row per point.

    While the run is short each point is one epoch (first == last); once down-sampled, a point
    is the worst loss of a bucket of epochs, and the columns say which.
    """
    snapshot = session.snapshot()  # reads the pending losses, so the last row is current
    bucket, last = snapshot.loss_bucket, snapshot.epoch
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(("first_epoch", "last_epoch", "worst_loss"))
    for index, loss in enumerate(snapshot.losses):
        first = index * bucket
        writer.writerow((first, min(first + bucket - 1, last), repr(loss)))
    return write_atomically(path, text.getvalue().encode("utf-8"))
