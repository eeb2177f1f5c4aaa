"""The optimizers the app cycles through, by key. Importing this costs no `import torch`:
each entry builds its optimizer (and imports torch) only when called, so the command line can
check a name before PyTorch loads."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import SessionError


@dataclass(frozen=True)
class OptimizerChoice:
    """One entry of the registry: how to build it, and what the screen calls it."""

    key: str
    label: str
    blurb: str
    build: Callable[[Iterable[tuple[str, Any]], float, Mapping | None], Any]
    needs_answer: bool = False


def _sgd(params, lr, answer, momentum=0.0):
    from ..core.optim import SGD

    return SGD(params, lr=lr, momentum=momentum)


def _adam(params, lr, answer):
    from ..core.optim import Adam

    return Adam(params, lr=lr)


def _solved(params, lr, answer):
    from ..core.optim import Solved

    if answer is None:  # the session checks first; this is the last line of defence
        raise SessionError("Solved needs a task with a known answer")
    return Solved(params, answer)


OPTIMIZERS: dict[str, OptimizerChoice] = {
    choice.key: choice
    for choice in (
        OptimizerChoice("sgd", "SGD", "w ← w − lr·∇w",
                        _sgd),
        OptimizerChoice("momentum", "SGD+momentum", "SGD with momentum 0.9: a velocity per weight",
                        lambda params, lr, answer: _sgd(params, lr, answer, momentum=0.9)),
        OptimizerChoice("adam", "Adam", "per-weight step sizes from running gradient moments",
                        _adam),
        OptimizerChoice("solved", "Solved", "the fake optimizer: jumps to the known answer",
                        _solved, needs_answer=True),
    )
}


def get_optimizer(key: str) -> OptimizerChoice:
    try:
        return OPTIMIZERS[key]
    except KeyError:
        raise SessionError(f"unknown optimizer {key!r}; choose one of: {', '.join(OPTIMIZERS)}") from None


def check_available(key: str, task: Any, hidden: tuple[int, ...] = ()) -> OptimizerChoice:
    """The optimizer `key`, if it can train `task` with `hidden` layers (Solved needs a known
    answer for that network's shape: the tasks know one for a single layer at most)."""
    choice = get_optimizer(key)
    if choice.needs_answer:
        if task.answer is None:
            raise SessionError(f"Solved is unavailable: task {task.name} has no known answer")
        if hidden:
            raise SessionError(f"Solved is unavailable with hidden layers: task {task.name}'s known "
                               f"answer is for its one-layer network, not "
                               f"{'→'.join(map(str, (task.in_features, *hidden, task.out_features)))}")
    return choice
