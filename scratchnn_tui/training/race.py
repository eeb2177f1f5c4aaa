"""The race: every optimizer trains the same network from the same weights, side by side.

The article calls `Solved` "a new learning method to compete with SGD". Here it competes: one
set of starting weights (the session's, when the race starts) is copied into one plain
`Session` per optimizer, each trains the same task on the same data and device, and the board
shows who gets below 1e-3 first. The racers are ordinary sessions, so whatever a session can
train (hidden layers, the user's own data, a GPU) races too, and each racer's losses are exactly
those a session with that optimizer would have (the tests hold the race to that).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import torch

from .errors import Diverged, SessionError
from .optimizers import OPTIMIZERS, check_available, get_optimizer
from .race_why import StepWatch, why_line
from .race_view import TARGET_LOSS, RaceRow, RaceView, finite_only, with_winner
from .session import Session
from .path_thinning import thin_path
from .surface_grid import grid_points
from .surface_view import SurfaceChoice, SurfaceView

ADAM_LR = 0.05
"""Adam's learning rate in the race. Adam's step is about lr per weight whatever the gradient's
size, so the tasks' SGD rates (0.005–0.1) do not carry over. Measured at seed 8 over 3,000
epochs: 0.05 gets triple, seed-2x2 and xor (4 hidden) below 1e-3 (0.01 only xor and square's
1→8→1 in that time); no one rate wins everywhere, which is the race's lesson too."""


def race_lr(key: str, task_lr: float, lr: float | None = None) -> float:
    """The learning rate `key` races with: `lr` (or the task's default) for SGD and momentum,
    ADAM_LR for Adam; Solved takes none (it gets the task's, which it ignores)."""
    if key == "adam":
        return ADAM_LR
    return task_lr if lr is None else lr


def racer_settings(session: Session) -> dict:
    """What every racer shares with `session`: task, data, hidden layers, seed, init, device."""
    return {"task": session.task.name, "data": session.data, "hidden": session.hidden,
            "seed": session.seed, "init": session.init, "device": session.device}


def make_racer(settings: dict, key: str, lr: float, weights: dict[str, torch.Tensor]) -> Session:
    """A plain Session with optimizer `key` at `lr`, started from `weights` at epoch 0 (the
    way a checkpoint is resumed: load the weights, then start the history there)."""
    racer = Session(optimizer=key, lr=lr, **settings)
    racer.start_from(weights)
    return racer


@dataclass
class Racer:
    """One lane: the session, and what the race has seen of it."""

    key: str
    session: Session
    epochs_to_target: int | None = None
    diverged: str | None = None
    steps: StepWatch = field(default_factory=StepWatch)


class Race:
    """Every available optimizer on `session`'s task and network, from its current weights.

    `lr` replaces the task's learning rate for SGD and momentum (see `race_lr`). Solved races
    only where the task's known answer fits the network (`check_available`); otherwise
    `omitted` says why in one line.
    """

    def __init__(self, session: Session, lr: float | None = None) -> None:
        self.task = session.task.name
        self.settings = racer_settings(session)
        # A copy, not the session's own tensors: the session trains on after the race.
        self.weights = {name: tensor.detach().clone() for name, tensor in session.model.state_dict().items()}
        self.lanes: list[tuple[str, float]] = []
        self.omitted: str | None = None
        for key in OPTIMIZERS:
            try:
                check_available(key, session.task, session.hidden)
            except SessionError as refusal:
                self.omitted = f"{refusal}, so it sits this race out"
                continue
            self.lanes.append((key, race_lr(key, session.task.default_lr, lr)))
        self._notes: list[str] = []
        self.reset()

    def reset(self) -> None:
        """Back to the start: every racer from the same weights again, fresh optimizers, epoch 0."""
        self.racers = [Racer(key, make_racer(self.settings, key, lr, self.weights)) for key, lr in self.lanes]
        for racer in self.racers:  # weights that start below the line got there at epoch 0
            if racer.session.loss < TARGET_LOSS:
                racer.epochs_to_target = 0
        self.epoch = 0
        self._notes = []

    def train(self, epochs: int = 1) -> None:
        """`epochs` epochs for every racer still in the race (one that diverged stays where its
        loss was last finite). Losses are read later, by `view`, one device read per racer."""
        live = [racer for racer in self.racers if racer.diverged is None]
        if not live:
            raise SessionError("every racer has diverged; R starts the race again")
        for racer in live:
            racer.steps.before(racer.session, epochs)
            racer.session.train(epochs)
        self.epoch += epochs

    def step(self, epochs: int = 1) -> RaceView:
        """Train `epochs` epochs, then read the board."""
        self.train(epochs)
        return self.view()

    def view(self, why: bool = False) -> RaceView:
        """The board now: each racer's losses read (and checked), the winner decided; with
        `why`, each racer's line on why it moves as it does (a backward pass each: asked for
        with the full frames alone)."""
        rows = [self._read(racer) for racer in self.racers]
        if why:
            rows = [replace(row, why=self._why(racer)) for row, racer in zip(rows, self.racers)]
        return RaceView(task=self.task, epoch=self.epoch, rows=with_winner(rows), omitted=self.omitted,
                        sizes=self.racers[0].session.sizes if self.racers else ())

    def notes(self) -> list[str]:
        """What happened since the last call (a racer crossed the line, or diverged), each once."""
        notes, self._notes = self._notes, []
        return notes

    def surface(self, choice: SurfaceChoice) -> SurfaceView:
        """Every racer's walk on one loss surface, from the same start (the surface view while
        racing). For a larger network the slice holds the other numbers where the race began:
        the one place the racers share."""
        sessions = [racer.session for racer in self.racers]
        first = sessions[0]
        pair = first.surface_pair(choice)
        paths = tuple(session.surface_path(pair, with_step=False) for session in sessions)
        answer = first.answer_at(pair)
        points = [point for path in paths for point in path.points]
        window = first.window_for(pair, points, [answer] if answer is not None else [])
        device = first.batch[0].device
        start = None if first.exact_surface else {name: t.to(device) for name, t in self.weights.items()}
        p1, p2 = grid_points(window)
        return SurfaceView(pair=pair, p1=tuple(p1), p2=tuple(p2), losses=first.surface_losses(pair, window, start),
                           exact=first.exact_surface, paths=tuple(thin_path(path, window) for path in paths), answer=answer, held_at="the race's start")

    @property
    def winner(self) -> str | None:
        """The winning optimizer's key, if anyone leads (see `race_view.winner_index`)."""
        row = self.view().winner
        return None if row is None else row.key

    @staticmethod
    def _why(racer: Racer) -> str:
        if racer.diverged is not None:
            return ""
        return why_line(racer.key, racer.session, racer.steps.moved(racer.session))

    def _read(self, racer: Racer) -> RaceRow:
        session = racer.session
        label = get_optimizer(racer.key).label
        if racer.diverged is None:
            unread, start = session.unread, session.history.count
            try:
                session.check()
            except Diverged as divergence:
                racer.diverged = str(divergence).split(":")[0]  # "loss became inf at epoch N"
                self._notes.append(f"{label} diverged: {racer.diverged}; the others race on")
            if racer.epochs_to_target is None and session.history.lowest < TARGET_LOSS:
                racer.epochs_to_target = _first_below(unread, start, session)
            if racer.epochs_to_target is not None and racer.epochs_to_target >= start:  # just now
                self._notes.append(f"{label} is below {TARGET_LOSS:g} after {racer.epochs_to_target} "
                                   f"epoch{'' if racer.epochs_to_target == 1 else 's'}")
        history = session.history
        return RaceRow(key=racer.key, label=label,
                       lr=None if get_optimizer(racer.key).needs_answer else session.lr,
                       epoch=session.epoch, loss=history.last, losses=finite_only(history.points()),
                       epochs_to_target=racer.epochs_to_target, diverged=racer.diverged)


def _first_below(unread: tuple, start: int, session: Session) -> int | None:
    """The first epoch whose loss is below TARGET_LOSS among those just read: `unread[i]` is the
    loss after `start + i` epochs, and the current loss follows them if it was read as well."""
    values = list(Session._values(list(unread)))  # floats, from the device in one read
    if session.history.count > start + len(values):
        values.append(session.history.last)
    for i, value in enumerate(values):
        if not math.isfinite(value):
            break
        if value < TARGET_LOSS:
            return start + i
    return None
