"""A training session: model, optimizer, data, device, epoch and loss history in one place.

Every public method either does all it says or raises `SessionError` and changes nothing, so a
refused key press or flag leaves the session exactly as it was.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch.nn import functional as F

from .devices import move_training, next_device, resolve_device
from .errors import Diverged, SessionError
from .history import LossHistory
from .dead_output import DeadOutputWatch
from .fast_loop import train_epochs
from .last_update import UpdateRecorder, UpdateView
from ..core.init import initialise
from ..core.net import ScratchNet
from .optimizers import OPTIMIZERS, check_available, get_optimizer
from .snapshot import LayerView, ProbeView, Snapshot, number_name
from .tasks import TASKS, Task, get_task
from .run_speed import check_run_speed, next_speed, speed_sentence
from .timeline import KEYFRAME_EVERY, Keyframe, Timeline
from .values import check_hidden, check_init, check_lr, check_number, check_seed

# Seed 0 starts the `seed-2x2` layer with a dead neuron (z < 0 on both samples, so relu passes
# no gradient and SGD never moves it). Seed 8 starts every task with live neurons; other seeds
# are one flag or one dialog away, and the diagram says when a neuron is dead.
DEFAULT_SEED = 8


class Session:
    """Trains one `ScratchNet` on one task, an epoch (one full-batch update) at a time.

    `data`, a task made from the user's own data (`data_file.read_data`), joins the built-in
    tasks: it is the one trained unless `task` names another, and `t` cycles through it too.
    """

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
        self._mark()
        self.mark_saved()

    def mark_saved(self) -> None:
        """Storage calls this once the session is safely on disk."""
        self._saved = self._signature()

    def mark_unsaved(self) -> None:
        """A session rebuilt from a copy of progress that is on no disk (a training process
        restarted after a crash): a quit must still save it."""
        self._saved = None

    def _moment(self) -> int:
        """Epochs and edits since the set-up began: what `b` steps back through."""
        return self.epoch + self._edits

    def _capture(self, what: str = "") -> Keyframe:
        return Keyframe.capture(self._moment(), self.epoch, self.model, self.optimizer,
                                self._optimizer_key, self.lr, self._history, self._pending, what)

    def _mark(self, what: str = "start") -> None:
        """Take a keyframe of this moment that replay never crosses: at the start, after a
        change of set-up or an edit (`timeline`)."""
        self._timeline.add(self._capture(what))

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
                     self._pending.append, self._keep(), skip_first=self._known() > self.epoch)

    def _replay(self, epochs: int) -> None:
        """Train again epochs trained before, taking a keyframe every KEYFRAME_EVERY moments on
        the way: the next `b` then finds one close by (`timeline`)."""
        while epochs > 0:
            chunk = min(epochs, KEYFRAME_EVERY - self._moment() % KEYFRAME_EVERY)
            self.train(chunk)
            epochs -= chunk
            if self._moment() % KEYFRAME_EVERY == 0:
                self._timeline.add(self._capture())

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

    def progress(self) -> tuple[int, float]:
        """The epoch and the exact loss after it, for a frame between two snapshots: a read
        of the pending losses alone, checked as `check` does."""
        self.check()
        return self.epoch, self._history.last

    def _keep(self) -> Callable[[torch.Tensor], float | torch.Tensor]:
        """How a loss waits to be read. On the cpu, its value at once (`item` is a plain read
        there). Elsewhere, the tensor: `item` would wait for the device every epoch, where one
        read per frame waits once (docs/PERFORMANCE.md)."""
        return torch.Tensor.item if self.device == "cpu" else torch.Tensor.detach

    @staticmethod
    def _values(losses: list) -> list[float]:
        """Kept losses as floats: read from the device in one transfer if they are tensors."""
        return torch.stack(losses).tolist() if losses and isinstance(losses[0], torch.Tensor) else losses

    def check(self) -> None:
        """Read the pending losses (one device sync). If one is not finite, go back to the last
        epoch whose loss is (from the timeline's keyframes, as `b` does), keep those weights,
        and raise `Diverged` saying where and why."""
        self._accept(self._values(self._pending_with_current()))

    def _accept(self, values: list[float]) -> None:
        """Record the losses just read (the pending ones, then the current one), or roll back."""
        finite = math.isfinite(sum(values))  # no inf or NaN: one C loop, a scan only if not
        bad = None if finite else next((i for i, v in enumerate(values) if not math.isfinite(v)), None)
        if bad is None:
            first = self._history.count
            self._record(values)
            if self.epoch > 0:  # only once it has trained: a dead start is told after epoch 1
                note = self._watch.look(values, first, self.model, self._x, self.lr,
                                        get_optimizer(self._optimizer_key).label)
                if note is not None:
                    self._notes.append(note)
            # A keyframe at a read (one a frame while running, one a key press when stepping)
            # once the last is KEYFRAME_EVERY moments old: a few a second cost run mode nothing
            # measurable, where one every KEYFRAME_EVERY epochs cost it ~4 % (docs/PERFORMANCE.md).
            if self._moment() - self._timeline.latest >= KEYFRAME_EVERY:
                self._timeline.add(self._capture())
            return
        diverged_at = self._history.count + bad  # the epoch after which the loss is not finite
        value = values[bad]
        # Edits read every loss first, so none lies among these: the last finite epoch's moment
        # is that epoch plus the edits so far.
        self._go_to(diverged_at - 1 + self._edits, explain=False)
        raise Diverged(
            f"loss became {value} at epoch {diverged_at}: learning rate {self.lr:g} is too high "
            f"for this task; press - to lower it or R to reset", epoch=diverged_at)

    def _known(self) -> int:
        """How many losses (after 0, 1, … epochs) are recorded or pending."""
        return self._history.count + len(self._pending)

    def _pending_with_current(self, current: torch.Tensor | None = None) -> list:
        """The pending losses, plus the loss of the current weights if it is not known yet,
        all kept as `_keep` keeps them."""
        if self._known() > self.epoch:
            return self._pending
        if current is None:
            with torch.no_grad():
                current = F.mse_loss(self.model(self._x), self._y)
        return [*self._pending, self._keep()(current)]

    def _record(self, values: list[float]) -> None:
        """Move the losses just read from pending into the history."""
        self._history.extend(values)
        self._pending = []

    def _read_pending(self) -> None:
        self._record(self._values(self._pending_with_current()))

    @property
    def losses(self) -> list[float]:
        """Loss after k epochs, k = 0 … epoch, down-sampled once the run is long (LossHistory)."""
        self._read_pending()
        return list(self._history.points())

    @property
    def loss(self) -> float:
        """The loss after the latest epoch (exact, never down-sampled)."""
        self._read_pending()
        return self._history.last

    # -- the past: step back, and numbers typed in by hand -----------------------------------

    def _go_to(self, moment: int, explain: bool = True) -> None:
        """Be at `moment` exactly: restore the latest keyframe at or before it and replay the
        epochs after it. With `explain`, the moment's own epoch is replayed with its update
        recorded (`last_update`), unless an edit or a change made the moment."""
        timeline = self._timeline
        timeline.drop_after(moment)
        exact = timeline.at(moment)
        explain = explain and moment > timeline.oldest and not (exact is not None and exact.pinned)
        frame = timeline.at_or_before(moment - 1 if explain else moment)
        if frame.optimizer_key != self._optimizer_key:
            self._optimizer_key, self.lr = frame.optimizer_key, frame.lr
            self.optimizer = self._make_optimizer(frame.optimizer_key)
        frame.restore(self.model, self.optimizer)
        self.lr = frame.lr
        self.epoch, self._edits = frame.epoch, frame.moment - frame.epoch
        self._history = frame.history.copy()
        self._history.extend(self._values(frame.losses))
        self._pending = []
        self._last_update = None
        if explain:
            self._replay(moment - 1 - frame.moment)
            self._recorded_epoch()
        else:
            self._replay(moment - frame.moment)
        self._read_pending()

    def step_back(self, moments: int = 1) -> str:
        """Go back `moments` moments (an epoch each, or the weights before an edit) exactly:
        weights, optimizer state, learning rate, loss history, epoch. `step` then repeats what
        followed, bit for bit. As far back as the set-up's start (or a load) if asked further."""
        self.check()
        moment = self._moment()
        if moment <= self._timeline.oldest:
            where = "where this set-up began" if moment == 0 else "where this session was loaded"
            raise SessionError(f"nothing earlier to step back to: epoch {self.epoch} is {where}")
        undone = self._timeline.at(moment) if moments == 1 else None
        before = (self._optimizer_key, self.lr)
        self._go_to(max(moment - max(moments, 1), self._timeline.oldest))
        said = f"Back to epoch {self.epoch}, loss {self._history.last:.7g}"
        if undone is not None and undone.what.startswith("edit"):
            return f"Undid the {undone.what}: b" + said[1:]
        if (self._optimizer_key, self.lr) != before:
            said += f"; {get_optimizer(self._optimizer_key).label} at learning rate {self.lr:g} again"
        return said + "; space repeats the next epoch exactly"

    def timeline_moments(self) -> list[int]:
        """The moments kept whole (keyframes); those between them come back by replay."""
        return self._timeline.moments()

    def set_number(self, neuron: int, index: int, value: str | float) -> str:
        """Type a weight (index < in_features) or a bias (index = in_features) of the layer in
        by hand. The outputs and the loss follow at once; the edit is a moment of its own, so
        `b` undoes it. A value whose loss is not finite is refused, the number kept."""
        layer = self.model.layers[-1]
        n_in, n_out = layer.in_features, layer.out_features
        if not (0 <= neuron < n_out and 0 <= index <= n_in):
            raise SessionError(f"the layer has no number at neuron {neuron + 1}, place {index + 1}")
        name = number_name(neuron, index, n_in)
        number = check_number(value, name)
        self.check()
        param, at = (layer.bias, (neuron,)) if index == n_in else (layer.weight, (neuron, index))
        with torch.no_grad():
            old = param[at].item()
            param[at] = number
            loss = F.mse_loss(self.model(self._x), self._y).item()
            if not math.isfinite(loss):
                param[at] = old
                raise SessionError(f"{name} = {number:g} would make the loss {loss}; {name} stays {old:g}")
        self._history.revise_last(loss)
        self._edits += 1
        self._last_update = None
        self._mark(f"edit {name} ← {number:g}")
        return f"{name}: {old:.4g} → {number:g} by hand; loss now {loss:.7g} (b undoes it)"

    def set_probe(self, values: tuple | None) -> str:
        """Show the network's arithmetic for an input that is not in the batch (None: back to
        the batch's samples)."""
        if values is None or len(values) == 0:
            self._probe = None
            return "Probe cleared: the diagram shows the batch again"
        n_in = self._task.in_features
        if len(values) != n_in:
            raise SessionError(f"a probe needs {n_in} number{'s' if n_in > 1 else ''} (one per input), "
                               f"got {len(values)}")
        self._probe = tuple(check_number(v, f"input {i + 1}") for i, v in enumerate(values))
        shown = ", ".join(f"{v:g}" for v in self._probe)
        return f"Probe x = ({shown}): the diagram shows the network's answer for it; p then enter on nothing clears it"

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
        return f"Task: {task.name} (lr {self.lr:g}){note}"

    def next_task(self) -> str:
        names = list(self._tasks)
        return self.set_task(names[(names.index(self._task.name) + 1) % len(names)])

    def move_to(self, device: str) -> str:
        """Carry the model, the data and the optimizer's state to another device."""
        target = resolve_device(device)
        if target == self.device:
            return f"Already on {target}"
        self.check()
        (self._x, self._y), self.optimizer = move_training(
            self.model, self.optimizer, lambda: self._make_optimizer(self._optimizer_key),
            (self._x, self._y), self.device, target)
        self.device = target
        self._mark(f"move to {target}")
        return f"Device: {target}"

    def next_device(self) -> str:
        return self.move_to(next_device(self.device))

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
        layer = self.model.layers[0]  # the tasks' nets have one layer
        with torch.no_grad():
            (z, a), = self.model.parts(self._x)
            losses = self._pending_with_current(F.mse_loss(a, self._y))
            pieces = [layer.weight.flatten(), layer.bias, z.flatten(), a.flatten()]
            if self._probe is not None:
                (pz, pa), = self.model.parts(torch.tensor([self._probe], device=self.device))
                pieces += [pz.flatten(), pa.flatten()]
            tensors = bool(losses) and isinstance(losses[0], torch.Tensor)
            if tensors:  # in the same transfer as the layer
                pieces.append(torch.stack(losses))
            flat = torch.cat(pieces).tolist()
        view, rest = LayerView.unflatten(flat, self._task.inputs, self._task.targets)
        probe = None
        if self._probe is not None:
            n_out = view.out_features
            probe = ProbeView(self._probe, tuple(rest[:n_out]), tuple(rest[n_out:2 * n_out]))
            rest = rest[2 * n_out:]
        self._accept(rest if tensors else losses)
        history = self._history
        choice = get_optimizer(self._optimizer_key)
        return Snapshot(
            task=self._task.name, task_title=self._task.title,
            optimizer=choice.label, optimizer_key=choice.key,
            lr=self.lr, device=self.device, seed=self.seed, init=self.init, epoch=self.epoch,
            loss=history.last, losses=history.points(), loss_bucket=history.bucket,
            loss_first=history.first, loss_lowest=history.lowest,
            layer=view, update=self._last_update, probe=probe,
            solved_available=self.answer is not None, run_speed=self.run_speed,
            unsaved=self.unsaved,
        )
