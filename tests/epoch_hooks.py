"""Breaking a session at a chosen epoch (weights to inf or NaN, a device error), through torch's
optimizer step hooks.

`Optimizer.step` runs every hook registered on the optimizer, so the faults arrive inside the
loop that production runs, bursts and all: no subclass of the session, no test-only path. The
session keeps its `epoch` current after every epoch, which is how a hook knows where it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

Hook = Callable[[Any, int], object]


def on_epochs(session: Any, before: Hook | None = None, after: Hook | None = None) -> Any:
    """Hook `session`'s optimizer: `before(session, done)` runs inside each epoch's
    `optimizer.step()` just before the update (`done`: epochs finished so far) and may raise, as
    a failing device would; `after(session, done)` runs just after it (`done` counts this epoch).

    The hooks belong to the optimizer: a new one (another optimizer, a device move) has none.
    Both run under `torch.no_grad()`, so they may change the weights in place. Returns
    `session`, so a factory can be `lambda: on_epochs(Session(), after=...)`.
    """
    if before is not None:
        session.optimizer.register_step_pre_hook(_quietly(lambda: before(session, session.epoch)))
    if after is not None:
        session.optimizer.register_step_post_hook(_quietly(lambda: after(session, session.epoch + 1)))
    return session


def _quietly(call: Callable[[], object]) -> Callable[..., None]:
    """A step hook (torch passes the optimizer, args and kwargs) that runs `call` without grad."""

    def hook(optimizer: Any, args: Any, kwargs: Any) -> None:
        with torch.no_grad():
            call()

    return hook
