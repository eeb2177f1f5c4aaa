"""A training session: model, optimizer, data, device, epoch and loss history in one place.

Every public method either does all it says or raises `SessionError` and changes nothing, so a
refused key press or flag leaves the session exactly as it was. This file holds the session's
set-up and training; its loss reads live in `session_losses.py`, its past (step back, numbers
typed in, the probe) in `session_past.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
from torch.nn import functional as F

from .devices import describe_device, move_training, next_device, resolve_device
from .errors import SessionError
from .history import LossHistory
from .dead_output import DeadOutputWatch
from .fast_loop import train_epochs
from .last_update import UpdateRecorder, UpdateView
from .linear_check import linear_checks
from ..core.init import initialise
from ..core.net import ScratchNet
from .optimizers import OPTIMIZERS, check_available, get_optimizer
from .snapshot import LayerView, ProbeView, Snapshot
from .tasks import TASKS, Task, get_task
from .remedies import IN_APP, Remedies
from .run_speed import check_run_speed, next_speed, speed_sentence
from .session_losses import SessionLosses
from .session_past import SessionPast
from .session_function import SessionFunction
from .session_surface import SessionSurface
from .timeline import Timeline
from .values import check_hidden, check_init, check_lr, check_seed

# Seed 0 starts the `seed-2x2` layer with a dead neuron (z < 0 on both samples, so relu passes
# no gradient and SGD never moves it). Seed 8 starts every task with live neurons; other seeds
# are one flag or one dialog away, and the diagram says when a neuron is dead.
DEFAULT_SEED = 8


class Session(SessionLosses, SessionPast, SessionFunction, SessionSurface):
    """Trains one `ScratchNet` on one task, an epoch (one full-batch update) at a time.

    `data`, a task made from the user's own data (`data_file.read_data`), joins the built-in
    tasks: it is the one trained unless `task` names another, and `t` cycles through it too.
    """

    remedies: Remedies = IN_APP  # how its explanations say to do better; headless sets HEADLESS

    def __init__(self, task: str | None = None, optimizer: str = "sgd", lr: float | None = None,
                 seed: int = DEFAULT_SEED, device: str = "cpu", data: Task | None = None,
                 init: str = "uniform", run_speed: int | None = None,
                 hidden: tuple[int, ...] | str = ()) -> None:
        self.data = data
        self._tasks: dict[str, Task] = {**TASKS, **({data.name: data} if data else {})}
        if task is None:
            task = data.name if data else "triple"
        self._task: Task = get_task(task, self._tasks)
        self.hidden = check_hidden(hidden)  # the hidden layers' widths; () is the article's one layer
        self._optimizer_key = check_available(optimizer, self._task, self.hidden).key
        self.lr = check_lr(self._task.default_lr if lr is None else lr)
        self.seed = check_seed(seed)
        self.init = check_init(init)
        self.run_speed = check_run_speed(run_speed)  # epochs a second in run mode; None: max
        self.device = resolve_device(device)
        self._probe: tuple[float, ...] | None = None
        self.device_speeds = None  # the device view's last measurement (`measure_devices`)
        self.code_shown = False  # whether the code view is open: snapshots then check nn.Linear
        self._build()

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        """(Re)create weights from the seed, data on the device, a fresh optimizer, epoch 0."""
        # The seed alone decides the weights, on every device and whatever ran before: draw
        # them on the cpu under a private RNG state, then move them.
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.seed)
            model = ScratchNet(self.sizes)
            if self.init != "uniform":  # the net is drawn uniform already (nn.Linear's way)
                initialise(model, self.init)
        self.model = model.to(self.device)
        self._x = torch.tensor(self._task.inputs, device=self.device)
        self._y = torch.tensor(self._task.targets, device=self.device)
        self.optimizer = self._make_optimizer(self._optimizer_key)
        self._watch = DeadOutputWatch(self.model, self._x, self._y)
        self._last_update: UpdateView | None = None
        self._notes: list[str] = []
        self.epoch = 0
        self._edits = 0  # numbers typed in by hand since the set-up began: moments, not epochs
        self._timeline = Timeline()
        self._history = LossHistory()
        self._start_path()  # the weights' path begins here (the surface view draws it)
        # Losses not yet in the history, kept as `_keep` keeps them: _pending[i] is the loss
        # after (history.count + i) epochs. On a GPU, reading them all costs one device sync.
        self._pending: list = []
        self._read_pending()
        self._mark()
        self._saved = self._signature()  # a fresh session holds nothing to lose

    @property
    def sizes(self) -> tuple[int, ...]:
        """The network's widths, inputs first: `[in, hidden…, out]` (`ScratchNet`)."""
        return (self._task.in_features, *self.hidden, self._task.out_features)

    @property
    def answer(self) -> dict | None:
        """What `Solved` jumps to: the task's known answer, if it is for this network's shape."""
        return None if self.hidden else self._task.answer

    def _signature(self) -> tuple:
        """What a user has done to this session, for telling whether it is saved."""
        return (self._task.name, self._optimizer_key, self.lr, self.seed, self.init, self.epoch,
                self._edits, self.run_speed, self.hidden)

    @property
    def unsaved(self) -> bool:
        """Whether a quit would lose something: the session changed since it was built, loaded
        or last saved."""
        return self._signature() != self._saved

    def resume_at(self, epoch: int, history: LossHistory) -> None:
        """Continue a saved run: the weights and the optimizer's state are loaded already, and
        `history` is the run's losses up to `epoch`. Nothing is unsaved after this."""
        self.epoch, self._history, self._pending = epoch, history, []
        self._edits, self._timeline = 0, Timeline()  # the past before the save is not kept
        self._start_path()
        self._mark()
        self.mark_saved()

    def start_from(self, weights: Mapping[str, Any]) -> None:
        """Start at epoch 0 from `weights` (every parameter's name → its values, a tensor or
        nested numbers) instead of the seed's draw, the way a checkpoint is resumed: load the
        weights, then start the history there."""
        current = self.model.state_dict()
        self.model.load_state_dict({name: torch.as_tensor(value, dtype=current[name].dtype)
                                    for name, value in weights.items()})
        self.resume_at(0, LossHistory())
        self.loss  # the starting loss, read now, as a fresh session reads its own

    def mark_saved(self) -> None:
        """Storage calls this once the session is safely on disk."""
        self._saved = self._signature()

    def mark_unsaved(self) -> None:
        """A session rebuilt from a copy of progress that is on no disk (a training process
        restarted after a crash): a quit must still save it."""
        self._saved = None

    def _make_optimizer(self, key: str) -> torch.optim.Optimizer:
        return get_optimizer(key).build(self.model.named_parameters(), self.lr, self.answer)

    # -- training -------------------------------------------------------------------------

    def train(self, epochs: int = 1) -> None:
        """`epochs` full-batch updates (`fast_loop.train_epochs`); `epoch` counts each one.

        An epoch's loss is that of the weights *before* its update, the loss after the previous
        epoch: recording it is free, where measuring the post-update loss would cost a second
        forward pass. The latest epoch's is measured only when read (`loss`, `snapshot`, …).
        Losses wait for that read as `_keep` keeps them, so a GPU syncs once per read.
        """
        train_epochs(self, self.model, self.optimizer, self._x, self._y, epochs,
                     self._pending.append, self._keep(), skip_first=self._known() > self.epoch,
                     trace=self._path.tracer(self.model, self._edits))

    def step(self, epochs: int = 1) -> str | None:
        """Train `epochs` epochs, or up to the last one whose loss is finite (then `Diverged`);
        what there is to say about it (see `notes`), if anything. The last epoch's update is
        recorded, number by number, for the screen to explain (`last_update`)."""
        if epochs < 1:
            return None
        self.train(epochs - 1)
        self._recorded_epoch()
        return " ".join(self.notes()) or None

    def _recorded_epoch(self) -> None:
        """One epoch, its update recorded number by number (`last_update`)."""
        self._last_update = None
        recorder = UpdateRecorder()
        recorder.before(self.model, self.optimizer, self._x, self._y)
        self.train(1)
        self.check()  # may roll back (Diverged): then there is no update to explain
        self._last_update = recorder.after(self.model, self.optimizer, self.epoch - 1, self._optimizer_key,
                                           get_optimizer(self._optimizer_key).label)

    @property
    def last_update(self) -> UpdateView | None:
        """The last update `step` made (None after a change that makes it stale: a reset, a new
        task, a load)."""
        return self._last_update

    def notes(self) -> list[str]:
        """What the session noticed while reading losses (the output layer died, and why),
        each said once; taking them empties the list."""
        notes, self._notes = self._notes, []
        return notes

    # -- changing the set-up --------------------------------------------------------------

    def reset(self) -> str:
        self._build()
        return f"Reset: weights re-drawn from seed {self.seed}, epoch 0"

    def set_optimizer(self, key: str) -> str:
        choice = check_available(key, self._task, self.hidden)
        self.check()  # the new optimizer starts from here: read what the old one trained
        self.optimizer = self._make_optimizer(choice.key)
        self._optimizer_key = choice.key
        self._mark(f"change to {choice.label}")
        return f"Optimizer: {choice.label} ({choice.blurb})"

    def next_optimizer(self) -> str:
        keys = list(OPTIMIZERS)
        start = keys.index(self._optimizer_key)
        skipped = []
        for offset in range(1, len(keys) + 1):
            key = keys[(start + offset) % len(keys)]
            try:
                message = self.set_optimizer(key)
            except SessionError as refusal:
                skipped.append(str(refusal))
                continue
            return message + (f"; {skipped[0]}, skipped" if skipped else "")
        raise SessionError("no optimizer is available")  # unreachable: sgd always is

    def set_lr(self, lr: float) -> str:
        lr = check_lr(lr)
        self.check()
        for group in self.optimizer.param_groups:
            if "lr" in group:  # Solved has no learning rate: it does not take steps
                group["lr"] = lr
        self.lr = lr
        self._mark(f"change of learning rate to {lr:g}")
        return f"Learning rate: {lr:g}"

    def change_run_speed(self, step: int) -> str:
        """One notch slower (−1) or faster (+1) through 1, 2, 5, 10, 30, 100 epochs a second
        and max; the training process paces run mode by it."""
        self.run_speed = next_speed(self.run_speed, step)
        return speed_sentence(self.run_speed)

    def scale_lr(self, factor: float) -> str:
        return self.set_lr(self.lr * factor)

    def set_init(self, init: str) -> str:
        """Start again from weights initialised as `init` says (`uniform` or `zero`)."""
        self.init = check_init(init)
        self._build()
        return f"Init: {self.init}; weights re-drawn, epoch 0"

    def set_hidden(self, hidden: str | tuple[int, ...]) -> str:
        """Give the network other hidden layers (`check_hidden`): new weights, from the seed."""
        hidden = check_hidden(hidden)
        if get_optimizer(self._optimizer_key).needs_answer:
            check_available(self._optimizer_key, self._task, hidden)
        self.hidden = hidden
        self._build()
        shape = "→".join(map(str, self.sizes))
        return f"Network {shape}: weights re-drawn from seed {self.seed}, epoch 0"

    def set_seed(self, seed: int) -> str:
        self.seed = check_seed(seed)
        return self.reset()

    def set_task(self, name: str) -> str:
        task = get_task(name, self._tasks)
        note = ""
        key = self._optimizer_key
        if get_optimizer(key).needs_answer and (task.answer is None or self.hidden):
            note = "; no known answer here, so SGD instead of Solved"
            key = "sgd"
        self._task, self._optimizer_key, self.lr = task, key, task.default_lr
        if self._probe is not None and len(self._probe) != task.in_features:
            self._probe = None  # it was an input of another shape
        self._build()
        about = f": {task.about}" if task.about else ""
        return f"Task: {task.name} (lr {self.lr:g}){note}{about}"

    def next_task(self) -> str:
        names = list(self._tasks)
        return self.set_task(names[(names.index(self._task.name) + 1) % len(names)])

    def move_to(self, device: str) -> str:
        """Carry the model, the data and the optimizer's state to another device."""
        target = resolve_device(device)
        if target == self.device:
            return f"Already on {target}"
        self.check()
        self._path.read()  # its points wait on the old device
        (self._x, self._y), self.optimizer = move_training(
            self.model, self.optimizer, lambda: self._make_optimizer(self._optimizer_key),
            (self._x, self._y), self.device, target)
        self.device = target
        self._mark(f"move to {target}")
        return f"Device: {target}"

    def next_device(self) -> str:
        return self.move_to(next_device(self.device))

    def measure_devices(self, token: int) -> None:
        """Time this network's epoch on every device, each on a copy (`device_cost`): nothing
        of the session changes but `device_speeds`, which the next snapshot carries."""
        from .device_cost import measure_session

        self.device_speeds = measure_session(self, token)

    # -- what the UI sees -----------------------------------------------------------------

    @property
    def task(self) -> Task:
        return self._task

    @property
    def batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The inputs X and targets Y, on the session's device."""
        return self._x, self._y

    @property
    def unread(self) -> tuple:
        """The losses trained but not read yet, as they wait (see `_keep`): floats on the cpu,
        tensors on other devices."""
        return tuple(self._pending)

    @property
    def history(self) -> LossHistory:
        """The losses read so far (see `losses` for the current ones); not to be changed."""
        return self._history

    @property
    def optimizer_key(self) -> str:
        return self._optimizer_key

    def snapshot(self) -> Snapshot:
        """Everything the screen shows, read back from the device in one transfer.

        The losses read with it are checked as `check` does: on a non-finite one the session
        rolls back and this raises `Diverged`; a second snapshot then shows the finite state.
        """
        layers = self.model.layers
        with torch.no_grad():
            parts = self.model.parts(self._x)
            losses = self._pending_with_current(F.mse_loss(parts[-1][1], self._y))
            pieces = [t.flatten() for layer, (z, a) in zip(layers, parts) for t in (layer.weight, layer.bias, z, a)]
            if self._probe is not None:
                pieces += [t.flatten() for z, a in self.model.parts(torch.tensor([self._probe], device=self.device))
                           for t in (z, a)]
            grid = self.function_grid()
            pieces += grid.pieces(self.model)  # the function view's picture, in the same read
            pieces += self._path.pending()  # the weights' path since the last read
            tensors = bool(losses) and isinstance(losses[0], torch.Tensor)
            if tensors:  # in the same transfer as the layers
                pieces.append(torch.stack(losses))
            flat = torch.cat(pieces).tolist()
        views, inputs = [], self._task.inputs
        for k, layer in enumerate(layers):
            output = k == len(layers) - 1
            view, flat = LayerView.unflatten(flat, inputs, self._task.targets if output else None,
                                             layer.out_features, self.model.relu_after[k], k)
            views.append(view)
            inputs = view.outputs  # the next layer reads this one's A
        probes, probe_in = [], self._probe
        if self._probe is not None:
            for layer in layers:
                n_out = layer.out_features
                probes.append(ProbeView(probe_in, tuple(flat[:n_out]), tuple(flat[n_out:2 * n_out])))
                probe_in, flat = probes[-1].outputs, flat[2 * n_out:]
        function, rest = grid.view(flat, views)
        rest = self._path.accept(rest)
        self._accept(rest if tensors else losses)
        history = self._history
        choice = get_optimizer(self._optimizer_key)
        return Snapshot(
            task=self._task.name, task_title=self._task.title,
            optimizer=choice.label, optimizer_key=choice.key,
            lr=self.lr, device=self.device, seed=self.seed, init=self.init, epoch=self.epoch,
            loss=history.last, losses=history.points(), loss_bucket=history.bucket,
            loss_first=history.first, loss_lowest=history.lowest,
            layer=views[-1], hidden_layers=tuple(views[:-1]), update=self._last_update,
            probe=probes[-1] if probes else None, hidden_probes=tuple(probes[:-1]),
            solved_available=self.answer is not None, run_speed=self.run_speed,
            unsaved=self.unsaved, device_speeds=self.device_speeds, gpu=describe_device(self.device),
            function=function,
            surface=self.surface_view() if self.surface_choice.shown else None,
            linear_checks=linear_checks(self.model, self._x) if self.code_shown else (),
        )

    def show_code(self, shown: bool) -> None:
        """The code view opened or closed: while it is open each snapshot brings what
        `nn.Linear` computes from the layers' numbers (`linear_check`). Says nothing."""
        self.code_shown = shown
