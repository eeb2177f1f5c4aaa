"""What the screen sees of a race: frozen rows of plain numbers, one per optimizer.

No torch here: the UI imports this module. `training.race` fills these in on the training side;
who wins is decided here, from the rows alone, so the rule is one pure function anyone can test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

TARGET_LOSS = 1e-3
"""The finish line: a racer has "got there" once its loss falls below this."""


@dataclass(frozen=True)
class RaceRow:
    """One optimizer in the race.

    `losses[k]` is its loss after k epochs (down-sampled once the run is long, as the session's
    history is), finite values only: Textual's Sparkline raises on NaN and inf. A racer whose
    loss stopped being finite is frozen at its last finite epoch and says so in `diverged`.
    """

    key: str                   # the registry key: sgd, momentum, adam, solved
    label: str                 # what the screen calls it: SGD, SGD+momentum, Adam, Solved
    lr: float | None           # None: Solved takes no steps, so it has no learning rate
    epoch: int
    loss: float
    losses: tuple[float, ...]
    epochs_to_target: int | None  # the first epoch after which its loss was below TARGET_LOSS
    winner: bool = False
    diverged: str | None = None   # why it stopped, in one line
    why: str = ""                 # why it moves as it does, from its own numbers (race_why)


@dataclass(frozen=True)
class RaceView:
    """The race at one moment: every racer from one set of starting weights, on one task."""

    task: str
    epoch: int
    rows: tuple[RaceRow, ...]
    omitted: str | None = None  # why an optimizer sits this race out (Solved without an answer)
    sizes: tuple[int, ...] = ()  # the network every racer trains, inputs first ([in, hidden…, out])

    @property
    def winner(self) -> RaceRow | None:
        return next((row for row in self.rows if row.winner), None)

    @property
    def best_loss(self) -> float:
        """The lowest loss on the board (what the status line shows while racing)."""
        return min((row.loss for row in self.rows if math.isfinite(row.loss)), default=math.nan)


def winner_index(rows: tuple[RaceRow, ...] | list[RaceRow]) -> int | None:
    """The winner: the first below TARGET_LOSS (the fewest epochs; a tie goes to the lower
    loss), else the lowest loss. Nobody wins before anyone has trained, or if all are level."""
    if not rows or all(row.epoch == 0 for row in rows):
        return None
    arrived = [i for i, row in enumerate(rows) if row.epochs_to_target is not None]
    if arrived:
        return min(arrived, key=lambda i: (rows[i].epochs_to_target, rows[i].loss))
    finite = [i for i, row in enumerate(rows) if math.isfinite(row.loss) and row.diverged is None]
    if not finite:
        return None
    best = min(finite, key=lambda i: rows[i].loss)
    if all(rows[i].loss == rows[best].loss for i in finite) and len(finite) > 1:
        return None  # a dead heat (e.g. zero weights: nobody learns) has no winner
    return best


def with_winner(rows: list[RaceRow]) -> tuple[RaceRow, ...]:
    """The rows, the winner's flag set."""
    index = winner_index(rows)
    return tuple(replace(row, winner=i == index) for i, row in enumerate(rows))


def finite_only(values) -> tuple[float, ...]:
    """Losses a Sparkline can draw: NaN and inf left out."""
    return tuple(v for v in values if math.isfinite(v))
