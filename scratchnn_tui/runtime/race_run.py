"""The race in the training process: it stands in for the session while it is on.

`x` sends `ToggleRace`: the worker's session is then a `RaceRun`, which answers what the worker
asks of a session (train, snapshot, progress, check, notes, run_speed) for the whole race, so run
mode, its frame cadence and its light frames work on the race as they do on one session. The
session itself waits, untouched; leaving the race hands it back as it was.

No torch is imported here until a race starts: the UI process imports this module (through
`dispatch`) but never calls it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, get_args

from ..training.errors import SessionError
from ..training.function_view import FunctionChoice
from ..training.race_view import TARGET_LOSS
from ..training.run_speed import next_speed, speed_sentence
from ..training.snapshot import Snapshot
from ..training.surface_view import SurfaceChoice
from .requests import Autosave, ChangeRunSpeed, ChooseCode, ChooseFunction, ChooseSurface, ExportSurface, RaceRequest, Reset, StartRace, Step, StopRace, ToggleRace, name_of


class RaceRun:
    """A race from `session`'s weights, shaped like a session for the worker.

    The frames show the session's last snapshot with the race's board (`Snapshot.race`), the
    race's epoch and the board's lowest loss; the session's own panels wait behind the board.
    """

    def __init__(self, session: Any) -> None:
        from ..training.race import Race

        self.session = session
        self._base: Snapshot = session.snapshot()
        self.race = Race(session)
        self._alarms: list[str] = []
        self.run_speed = session.run_speed  # run mode paced as the session's was; , and . change it

    # -- what the worker asks of a session ------------------------------------------------------

    def train(self, epochs: int = 1) -> None:
        self.race.train(epochs)

    def snapshot(self) -> Snapshot:
        view = self.race.view(why=True)
        choice = self.session.surface_choice  # the waiting session's: the screen's choice
        return replace(self._base, epoch=view.epoch, loss=view.best_loss, race=view,
                       run_speed=self.run_speed, unsaved=self.session.unsaved, update=None,
                       surface=self.race.surface(choice) if choice.shown else None)

    def progress(self) -> tuple[int, float]:
        view = self.race.view()
        return view.epoch, view.best_loss

    def check(self) -> None:
        self.race.view()

    def notes(self) -> list[str]:
        """What the worker shows as alarms after a frame: a racer that diverged. Who crossed
        the line in run mode the board shows; after a key press `step` says it."""
        alarms, self._alarms = self._alarms, []
        return alarms + [note for note in self.race.notes() if " diverged: " in note]

    @property
    def unsaved(self) -> bool:
        return self.session.unsaved

    # -- keys while racing ----------------------------------------------------------------------

    def step(self, epochs: int) -> str | None:
        self.race.train(epochs)
        self.race.view()  # reads the losses: who crossed the line, who diverged
        notes = self.race.notes()
        self._alarms = [note for note in notes if " diverged: " in note]
        return " ".join(note for note in notes if note not in self._alarms) or None

    def reset(self) -> str:
        self.race.reset()
        return "Race reset: every optimizer back to the same starting weights, epoch 0"

    def change_run_speed(self, step: int) -> str:
        self.run_speed = next_speed(self.run_speed, step)
        return speed_sentence(self.run_speed)


def is_race(request: object) -> bool:
    """Whether `request` is about the race itself (start, toggle, stop)."""
    return isinstance(request, get_args(RaceRequest))


def carry_out_racing(session: Any, request: object) -> tuple[Any, str | None]:
    """A race request, or any request while racing: what `dispatch.carry_out` does then.

    While racing, space, R, run speed and the autosave on quitting are answered; anything else
    would change a session that is waiting, and is refused in one line.
    """
    racing = isinstance(session, RaceRun)
    match request:
        case StartRace() | ToggleRace() if not racing:
            run = RaceRun(session)
            return run, _started(run)
        case ToggleRace() | StopRace() if racing:
            back = session.session
            return back, (f"Left the race: back to the session at epoch {back.epoch}, "
                          f"loss {back.loss:.7g}, as it was")
        case StartRace() | StopRace():
            return session, None  # already so
        case Step(epochs):
            return session, session.step(epochs)
        case Reset():
            return session, session.reset()
        case ChangeRunSpeed(step):
            return session, session.change_run_speed(step)
        case ChooseFunction(layer, neuron, along):  # the waiting session's picture, for later
            return session, session.session.choose_function(FunctionChoice(layer, neuron, along))
        case ChooseSurface(shown, layer, neuron, index):  # the race's surface, and the session's after
            return session, session.session.choose_surface(SurfaceChoice(shown, layer, neuron, index))
        case ChooseCode(shown):  # the waiting session's code view, for after the race
            return session, session.session.show_code(shown)
        case ExportSurface(path):
            from ..storage.surface_csv import write_surface_csv

            return session, write_surface_csv(session.race, path, session.session.surface_choice)
        case Autosave():  # quitting mid-race: the waiting session is what there is to keep
            from .dispatch import carry_out

            return session, carry_out(session.session, request)[1]
    raise SessionError(f"{name_of(request)} waits while the optimizers race: x or escape leaves the race")


def _started(run: RaceRun) -> str:
    race = run.race
    names = [label for label in (row.label for row in race.view().rows)]
    said = (f"The race: {', '.join(names[:-1])} and {names[-1]} from the same weights on "
            f"{race.task}, first below {TARGET_LOSS:g} wins; space steps all, r runs, R restarts, "
            f"x leaves")
    return said if race.omitted is None else f"{said}. {race.omitted}"
