"""A copy of a session's training state to go back to when a loss stops being finite.

Losses are read from the device in batches (once per frame), so a non-finite one is seen a few
epochs after the epoch that produced it. The session keeps a restore point from the last read;
on a non-finite loss it returns there and replays, epoch by epoch, up to the last finite one.
Training is deterministic, so the replay gives the same weights and losses as the first pass.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch

from .history import LossHistory


@dataclass
class RestorePoint:
    epoch: int
    parameters: list[torch.Tensor]
    optimizer_state: dict
    history: LossHistory

    @classmethod
    def capture(cls, model: torch.nn.Module, optimizer: torch.optim.Optimizer,
                epoch: int, history: LossHistory) -> "RestorePoint":
        with torch.no_grad():
            parameters = [p.detach().clone() for p in model.parameters()]
        return cls(epoch, parameters, copy.deepcopy(optimizer.state_dict()), history.copy())

    def restore(self, model: torch.nn.Module, optimizer: torch.optim.Optimizer) -> None:
        with torch.no_grad():
            for param, saved in zip(model.parameters(), self.parameters):
                param.copy_(saved)
        # load_state_dict may keep the given tensors: hand it a copy, keep ours pristine.
        optimizer.load_state_dict(copy.deepcopy(self.optimizer_state))
