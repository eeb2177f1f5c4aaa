"""The loss history as CSV, for a spreadsheet or a plot of one's own: the app's history (`c`,
down-sampled as the chart is) or a headless run's every epoch (`--log-csv`)."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from pathlib import Path

from ..training.errors import SessionError
from ..training.session import Session
from .atomic import _fsync_folder, _umask, reason, write_atomically


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


EPOCH_HEADER = "epoch,loss\n"


class EpochLossLog:
    """`epoch,loss`: one row per epoch of a headless run, numbered and valued as its
    `Epoch N - loss: X` lines are, X at full precision (`repr`), so the two can be joined.

    Rows are streamed to a temporary file beside `path` rather than kept: a headless run may
    last a billion epochs. `commit` renames it over `path` (as `write_atomically` does, so a
    reader never sees half a file and an existing one stays whole until then); leaving the
    `with` block without a commit (an interrupt, a closed pipe) removes it and leaves `path`
    as it was.
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        try:
            fd, self._temp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.",
                                              suffix=".tmp")
        except OSError as error:
            raise SessionError(f"could not write {self.path}: {reason(error)}") from None
        self._file = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self.rows = 0
        self._write(EPOCH_HEADER)

    def __enter__(self) -> EpochLossLog:
        return self

    def __exit__(self, *exc_info) -> None:
        if not self._file.closed:  # not committed: keep nothing of it
            self._file.close()
            with contextlib.suppress(OSError):
                os.unlink(self._temp)

    def add(self, epoch: int, loss: float) -> None:
        """The row for `Epoch {epoch} - loss: {loss:.6f}`."""
        self._write(f"{epoch},{loss!r}\n")
        self.rows += 1

    def commit(self) -> Path:
        """Put the rows written so far at `path`; SessionError if the disk refuses."""
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            os.chmod(self._temp, 0o666 & ~_umask())  # mkstemp's 0600 → what open() would give
            os.replace(self._temp, self.path)
        except OSError as error:
            self._file.close()
            with contextlib.suppress(OSError):
                os.unlink(self._temp)
            raise SessionError(f"could not write {self.path}: {reason(error)}") from None
        _fsync_folder(self.path.parent)
        return self.path

    def _write(self, text: str) -> None:
        try:
            self._file.write(text)
        except OSError as error:  # a full disk: say so; __exit__ removes the temporary file
            raise SessionError(f"could not write {self.path}: {reason(error)}") from None
