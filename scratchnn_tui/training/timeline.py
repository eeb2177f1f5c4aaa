"""The session's past, for stepping back (`b`): a few full copies, and replay between them.

Training is deterministic: from the same weights, optimizer state and data an epoch gives the
same numbers, bit for bit. So the past needs no copy of every epoch. A `Keyframe` (a full copy of
the training state) is taken at a read of the losses once the last is KEYFRAME_EVERY moments old
(a key press apart when stepping, a frame apart while running), and the epochs after it are
trained again when a moment between two keyframes is asked for; that replay takes a keyframe
every KEYFRAME_EVERY moments on its way, so the next step back finds one close by.

A *moment* is an epoch or an edit (a number typed in by hand). Every edit and every change of
set-up (learning rate, optimizer, device) takes a keyframe of its own, so between two keyframes
there are only epochs, trained with one set of settings: replaying them from the first gives
exactly what was there.

Which keyframes are kept: all of those from the last RECENT moments, and of the older ones one
every OLD_EVERY moments or more and those of edits and changes (older moments then take a
replay of up to about OLD_EVERY epochs, well under a second). At most MAX_KEYFRAMES are kept:
past that, the oldest go. The same keyframes serve the rollback after a loss that is not finite
(`Session.check`). docs/PERFORMANCE.md has the figures behind these numbers.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch

from .history import LossHistory

KEYFRAME_EVERY = 16
RECENT = 1024
OLD_EVERY = 1024
MAX_KEYFRAMES = 512


def copy_state(saved: dict) -> dict:
    """An optimizer's state dict with its tensors cloned: ten times cheaper than `deepcopy`
    for Adam, and as independent (the groups' plain values are deep-copied)."""
    return {"state": {key: {name: value.clone() if isinstance(value, torch.Tensor) else value
                            for name, value in state.items()}
                      for key, state in saved["state"].items()},
            "param_groups": copy.deepcopy(saved["param_groups"])}


@dataclass
class Keyframe:
    """Everything needed to be back at one moment exactly.

    `losses` are the losses trained but not read yet when it was taken (floats, or tensors on a
    device); `what` names the edit or change that took it ("" for a periodic one).
    """

    moment: int
    epoch: int
    parameters: list[torch.Tensor]
    optimizer_key: str
    optimizer_state: dict
    lr: float
    history: LossHistory
    losses: list
    what: str = ""

    @property
    def pinned(self) -> bool:
        """An edit's or a change's keyframe: replay cannot cross it, so it is never thinned."""
        return bool(self.what)

    @classmethod
    def capture(cls, moment: int, epoch: int, model: torch.nn.Module, optimizer: torch.optim.Optimizer,
                optimizer_key: str, lr: float, history: LossHistory, losses: list,
                what: str = "") -> "Keyframe":
        with torch.no_grad():
            parameters = [p.detach().clone() for p in model.parameters()]
        return cls(moment, epoch, parameters, optimizer_key, copy_state(optimizer.state_dict()), lr,
                   history.copy(), list(losses), what)

    def restore(self, model: torch.nn.Module, optimizer: torch.optim.Optimizer) -> None:
        """Put the weights and the optimizer's state back (`optimizer` must be of the kind that
        was captured; it may live on another device now: `copy_` and `load_state_dict` move
        the numbers to the parameters' device)."""
        with torch.no_grad():
            for param, saved in zip(model.parameters(), self.parameters):
                param.copy_(saved)
        # load_state_dict may keep the given tensors: hand it copies, keep ours pristine.
        optimizer.load_state_dict(copy_state(self.optimizer_state))


class Timeline:
    """The kept keyframes, oldest first."""

    def __init__(self) -> None:
        self._frames: list[Keyframe] = []
        self._thinned = 0  # frames before this index are already thinned

    def add(self, frame: Keyframe) -> None:
        """Keep `frame`; one of the same moment or later (a future stepped back from) goes."""
        frames = self._frames
        while frames and frames[-1].moment >= frame.moment:
            frames.pop()
        self._thinned = min(self._thinned, len(frames))
        frames.append(frame)
        self._thin(frame.moment - RECENT)

    def _thin(self, cutoff: int) -> None:
        """Past `cutoff`, keep the first keyframe, the pinned ones, and one whenever OLD_EVERY
        moments have passed since the last one kept."""
        frames, i = self._frames, self._thinned
        while i < len(frames) - 1 and frames[i].moment < cutoff:
            if i == 0 or frames[i].pinned or frames[i].moment - frames[i - 1].moment >= OLD_EVERY:
                i += 1
            else:
                del frames[i]
        self._thinned = i
        if len(frames) > MAX_KEYFRAMES:
            drop = len(frames) - MAX_KEYFRAMES
            del frames[:drop]
            self._thinned = max(0, self._thinned - drop)

    def at_or_before(self, moment: int) -> Keyframe | None:
        """The latest keyframe at `moment` or before it (None if all are later)."""
        for frame in reversed(self._frames):
            if frame.moment <= moment:
                return frame
        return None

    def at(self, moment: int) -> Keyframe | None:
        frame = self.at_or_before(moment)
        return frame if frame is not None and frame.moment == moment else None

    def drop_after(self, moment: int) -> None:
        """Forget keyframes later than `moment` (the session went back there)."""
        frames = self._frames
        while frames and frames[-1].moment > moment:
            frames.pop()
        self._thinned = min(self._thinned, len(frames))

    @property
    def latest(self) -> int:
        """The latest moment kept whole."""
        return self._frames[-1].moment if self._frames else 0

    @property
    def oldest(self) -> int:
        """The earliest moment that can be gone back to."""
        return self._frames[0].moment if self._frames else 0

    def moments(self) -> list[int]:
        return [frame.moment for frame in self._frames]
