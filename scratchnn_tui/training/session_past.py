"""A session's past: step back to any earlier epoch exactly, type a number in, probe an input.

Training is deterministic, so the past need not be stored whole: keyframes (`timeline`) are
taken now and then, and the epochs between are trained again, bit for bit. An edit (a weight
typed in) or a change of set-up is a moment of its own, pinned with a keyframe, so `b` undoes
it like an epoch.

`SessionPast` is a part of `Session` (its base class), kept apart because it is one idea.
"""

from __future__ import annotations

import math

import torch
from torch.nn import functional as F

from .errors import SessionError
from .optimizers import get_optimizer
from .snapshot import number_name
from .timeline import KEYFRAME_EVERY, Keyframe
from .values import check_number


class SessionPast:
    """Step back, edits and the probe of a `Session` (see the module's docstring)."""

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

    def _replay(self, epochs: int) -> None:
        """Train again epochs trained before, taking a keyframe every KEYFRAME_EVERY moments on
        the way: the next `b` then finds one close by (`timeline`)."""
        while epochs > 0:
            chunk = min(epochs, KEYFRAME_EVERY - self._moment() % KEYFRAME_EVERY)
            self.train(chunk)
            epochs -= chunk
            if self._moment() % KEYFRAME_EVERY == 0:
                self._timeline.add(self._capture())

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
        self._path.drop_after(frame.moment)  # the replay below walks the rest again
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

    def set_number(self, neuron: int, index: int, value: str | float, layer: int = -1) -> str:
        """Type a weight (index < in_features) or a bias (index = in_features) of layer `layer`
        (−1: the output layer) in by hand. The outputs and the loss follow at once; the edit is a
        moment of its own, so `b` undoes it. A value whose loss is not finite is refused, the
        number kept."""
        count = len(self.model.layers)
        if not -count <= layer < count:
            raise SessionError(f"the network has no layer {layer + 1}: it has {count}")
        module = self.model.layers[layer]
        n_in, n_out = module.in_features, module.out_features
        if not (0 <= neuron < n_out and 0 <= index <= n_in):
            raise SessionError(f"the layer has no number at neuron {neuron + 1}, place {index + 1}")
        name = number_name(neuron, index, n_in)
        if count > 1:
            name += f" of layer {layer % count + 1}"
        number = check_number(value, name)
        self.check()
        param, at = (module.bias, (neuron,)) if index == n_in else (module.weight, (neuron, index))
        with torch.no_grad():
            old = param[at].item()
            param[at] = number
            loss = F.mse_loss(self.model(self._x), self._y).item()
            if not math.isfinite(loss):
                param[at] = old
                raise SessionError(f"{name} = {number:g} would make the loss {loss}; {name} stays {old:g}")
        self._history.revise_last(loss)
        self._edits += 1
        self._path.add(self.model, self._moment(), self.epoch)
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
