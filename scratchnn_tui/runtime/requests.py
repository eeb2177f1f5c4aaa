"""What the UI may ask of the training worker: one small frozen dataclass per request.

A key press becomes one of these and is sent to a `Worker` (see `protocol`), which runs the
requests one at a time, in the order sent. They are plain data (no torch here, so the UI can
import them), and they cross the pipe to the child process as they are, pickled.

Three kinds: requests to the session (each answered by one of the Session's public methods),
requests about files (answered by `storage.session_io`), and requests to the run itself (the
worker's own state: whether it trains on by itself, and for how long).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

# -- to the session: each runs one public Session method ---------------------------------------


@dataclass(frozen=True)
class Step:
    """Train `epochs` epochs, one full-batch update each (space trains one)."""

    epochs: int = 1


@dataclass(frozen=True)
class Reset:
    """Re-draw the weights from the seed and go back to epoch 0 (R)."""


@dataclass(frozen=True)
class NextOptimizer:
    """Switch to the next optimizer that suits the task, skipping those that do not (o)."""


@dataclass(frozen=True)
class SetOptimizer:
    """Switch to the optimizer registered as `key` (sgd, momentum, adam, solved)."""

    key: str


@dataclass(frozen=True)
class NextDevice:
    """Move the model, the data and the optimizer's state to the next device (d)."""


@dataclass(frozen=True)
class NextTask:
    """Switch to the next task; the weights are re-drawn and the epoch goes back to 0 (t)."""


@dataclass(frozen=True)
class SetTask:
    """Switch to the task named `name`, as NextTask does."""

    name: str


@dataclass(frozen=True)
class ScaleLr:
    """Multiply the learning rate by `factor` (+ doubles it, - halves it)."""

    factor: float


@dataclass(frozen=True)
class SetLr:
    """Set the learning rate to `lr` (the settings dialog)."""

    lr: float


@dataclass(frozen=True)
class SetSeed:
    """Re-draw the weights from `seed` and go back to epoch 0 (the settings dialog)."""

    seed: int


@dataclass(frozen=True)
class SetInit:
    """Re-draw the weights as `init` says (uniform or zero) and go back to epoch 0 (settings)."""

    init: str


@dataclass(frozen=True)
class SetHidden:
    """Give the network the hidden layers `hidden` (widths from the inputs up, as `--hidden`
    takes them: "8", "4,3"; "" for none): new weights, epoch 0 (the settings dialog)."""

    hidden: str


@dataclass(frozen=True)
class ChangeRunSpeed:
    """Run mode one notch slower (step −1, `,`) or faster (+1, `.`): 1, 2, 5, 10, 30, 100
    epochs a second, or max."""

    step: int


@dataclass(frozen=True)
class StepBack:
    """Go back to the previous epoch or edit exactly, optimizer state and all (b)."""

    moments: int = 1


@dataclass(frozen=True)
class SetNumber:
    """Type in neuron `neuron`'s weight on input `index`, or its bias (index = the input
    count), of layer `layer` (−1: the output layer), as the user wrote it (enter)."""

    neuron: int
    index: int
    value: str
    layer: int = -1


@dataclass(frozen=True)
class SetProbe:
    """Show the network's arithmetic for `values`, an input not in the batch; empty: stop (p)."""

    values: tuple[str, ...]


@dataclass(frozen=True)
class ChooseFunction:
    """Show neuron `neuron` of layer `layer` (−1: the output layer) over the input plane, or
    the curve along input `along`, in the function view (the selection moved; says nothing)."""

    layer: int = -1
    neuron: int = 0
    along: int = 0


@dataclass(frozen=True)
class ChooseSurface:
    """Show the loss surface (v) through the selected number of layer `layer` (−1: the output
    layer), or stop computing it (`shown` False): see `training.surface_view.SurfaceChoice`."""

    shown: bool = False
    layer: int = -1
    neuron: int = 0
    index: int = 0


@dataclass(frozen=True)
class ChooseCode:
    """The code view (s) opened (`shown`) or closed: while open, frames bring nn.Linear's check
    of the layers' numbers (says nothing)."""

    shown: bool = False


@dataclass(frozen=True)
class MeasureDevices:
    """Time this network's epoch on every device, on a copy of the session (D); the figures
    come with the next frame, marked with `token` so the view that asked knows them."""

    token: int


# -- about files: each runs one function of storage.session_io ---------------------------------


@dataclass(frozen=True)
class Save:
    """Write the session to the checkpoint at `path` (w)."""

    path: str


@dataclass(frozen=True)
class Load:
    """Replace the session with the one saved at `path`, or the autosave if `path` is the word
    `last`, on the current session's device (L)."""

    path: str


@dataclass(frozen=True)
class ExportCsv:
    """Write the loss history to the CSV file at `path` (c)."""

    path: str


@dataclass(frozen=True)
class ExportFit:
    """Write the function view's numbers, the network's output over its grid, to the CSV file
    at `path` (F)."""

    path: str


@dataclass(frozen=True)
class ExportSurface:
    """Write the surface view's numbers to `path` as CSV: the grid and the path (V; --surface-csv)."""

    path: str


@dataclass(frozen=True)
class Autosave:
    """Save unsaved progress to the user's state folder, where `--resume last` finds it; says
    nothing if nothing is unsaved (sent on quitting)."""


# -- to the run: the worker's own state --------------------------------------------------------


@dataclass(frozen=True)
class ToggleRun:
    """Start training on by itself if paused, pause if running (r)."""


@dataclass(frozen=True)
class Pause:
    """Pause if running; unlike ToggleRun, safe to send without knowing whether it runs."""


@dataclass(frozen=True)
class SetRunLength:
    """How many epochs a run lasts before it pauses by itself; 0 runs until paused."""

    epochs: int


# -- the race: every optimizer from the session's weights (see runtime.race_run) -----------------


@dataclass(frozen=True)
class StartRace:
    """Race every optimizer from the session's current weights; the session waits (x, --race)."""


@dataclass(frozen=True)
class ToggleRace:
    """Start the race, or leave it for the session as it was (x)."""


@dataclass(frozen=True)
class StopRace:
    """Leave the race, if one is on, for the session as it was (escape)."""


# -- the lesson: a step's own session, the user's waiting under it (see runtime.lesson_run) ------


@dataclass(frozen=True)
class StartLesson:
    """Open the lesson at step `step` (from 1), or go to that step (a, pagedown, pageup)."""

    step: int = 1


@dataclass(frozen=True)
class LeaveLesson:
    """Leave the lesson: the user's session comes back as it was (escape)."""


SessionRequest = Union[Step, Reset, NextOptimizer, SetOptimizer, NextDevice, NextTask, SetTask,
                       ScaleLr, SetLr, SetSeed, SetInit, SetHidden, StepBack, SetNumber, SetProbe,
                       ChangeRunSpeed, MeasureDevices, ChooseFunction, ChooseSurface, ChooseCode]
FileRequest = Union[Save, Load, ExportCsv, ExportFit, ExportSurface, Autosave]
RunRequest = Union[ToggleRun, Pause, SetRunLength]
RaceRequest = Union[StartRace, ToggleRace, StopRace]
LessonRequest = Union[StartLesson, LeaveLesson]
Request = Union[SessionRequest, FileRequest, RunRequest, RaceRequest, LessonRequest]
"""Anything a worker's `send` takes."""


def name_of(request: object) -> str:
    """What a request is called in a message, in words: `NextOptimizer()` → "next optimizer"."""
    words = re.findall(r"[A-Z][a-z]*|[a-z]+|\d+", type(request).__name__)
    return " ".join(words).lower() or type(request).__name__


# -- the end of the stream ---------------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    """Not a request the UI sends (it calls `Worker.stop`): the last thing a worker's queue, or
    the pipe to the child, carries. With `autosave`, unsaved progress is saved first."""

    autosave: bool = False
