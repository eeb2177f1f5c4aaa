"""The engine: pure PyTorch, no UI. Usable from a notebook:

    >>> from scratchnn_tui.engine import Session
    >>> s = Session(task="triple", optimizer="solved"); s.step(); s.loss
    0.0

Names that need torch are loaded on first use (PEP 562), so `scratchnn_tui.engine.snapshot`
and `.values` can be imported by the UI without paying for `import torch`.
"""

from importlib import import_module

_LAZY = {
    "ScratchLinear": ".layers",
    "ScratchNet": ".model",
    "Solved": ".optim",
    "Session": ".session",
    "available_devices": ".devices",
}

__all__ = [*_LAZY, "SessionError", "Snapshot", "LayerView", "Frame", "OPTIMIZERS", "TASKS"]

from .errors import SessionError  # noqa: E402  (no torch)
from .optimizers import OPTIMIZERS  # noqa: E402  (no torch)
from .tasks import TASKS  # noqa: E402  (no torch)
from .snapshot import Frame, LayerView, Snapshot  # noqa: E402  (no torch)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
