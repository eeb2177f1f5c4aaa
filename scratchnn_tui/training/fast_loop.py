"""The session's training loop: `core.epoch.train_epoch`, many times over, in one loop of local
names. It does exactly what the textbook epoch does, in the same order (a test checks the
weights and losses bit for bit); why each choice here is faster is in docs/PERFORMANCE.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from torch import Tensor, nn
from torch.nn import functional as F
from torch.optim import Optimizer


def train_epochs(counter: Any, model: nn.Module, optimizer: Optimizer, x: Tensor, y: Tensor,
                 epochs: int, record: Callable[[Any], None], keep: Callable[[Tensor], Any],
                 skip_first: bool, trace: Callable[[int], None] | None = None) -> None:
    """Train `epochs` epochs; after each, `counter.epoch` goes up by one.

    Each epoch's loss is measured before its update, on the forward pass the update needs
    anyway: it is the loss after the epoch before. `record(keep(loss))` passes it on, except the
    first one when `skip_first` (a read already measured it). `trace(epoch)`, if given, is told
    each epoch's end, the weights updated (the path the surface view draws). A fault mid-epoch (a device error)
    leaves `counter.epoch` at the epochs finished.
    """
    mse = F.mse_loss
    epoch = counter.epoch
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = mse(model(x), y)
        loss.backward()
        optimizer.step()
        if skip_first:
            skip_first = False
        else:
            record(keep(loss))
        epoch += 1
        counter.epoch = epoch
        if trace is not None:
            trace(epoch)
