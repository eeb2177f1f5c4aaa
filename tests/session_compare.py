"""Comparing two sessions completely: losses, what the screen shows, optimizer state and settings.
Shared by the checkpoint tests."""

from __future__ import annotations

import dataclasses
import json

import torch

from scratchnn_tui.training.session import Session


def trained(epochs: int, task: str = "triple", optimizer: str = "momentum", **settings) -> Session:
    session = Session(task=task, optimizer=optimizer, **settings)
    session.step(epochs)
    return session


def optimizer_state(session: Session) -> list[dict]:
    """The optimizer's per-parameter state, in parameter order (tensors and scalars)."""
    return [session.optimizer.state.get(p, {}) for p in session.model.parameters()]


def shown(session: Session) -> dict:
    """The snapshot, less whether it is saved (a resumed session is, the one it came from not),
    the last stepped update (an explanation of a key press, not kept in checkpoints) and the
    GPU's allocated memory (the process's, which every session on that GPU adds to)."""
    return {k: v for k, v in dataclasses.asdict(session.snapshot()).items()
            if k not in ("unsaved", "update", "gpu")}


def groups(session: Session) -> list[dict]:
    """The optimizer's settings as saved: JSON turns Adam's betas tuple into a list."""
    return json.loads(json.dumps(session.optimizer.state_dict()["param_groups"]))


def assert_same(a: Session, b: Session) -> None:
    assert a.losses == b.losses
    assert shown(a) == shown(b)
    state_a, state_b = optimizer_state(a), optimizer_state(b)
    assert [sorted(s) for s in state_a] == [sorted(s) for s in state_b]
    for values_a, values_b in zip(state_a, state_b):
        for key, value in values_a.items():
            other = values_b[key]
            assert torch.equal(value, other) if torch.is_tensor(value) else value == other, key
    assert groups(a) == groups(b)
