"""Checks for the numbers a user may type, shared by the command line, the session and the app.

Each returns the clean value or raises `SessionError` with a one-line reason. No torch here, so
the command line can refuse a bad value before paying for `import torch`.
"""

from __future__ import annotations

import math

from .errors import SessionError

LR_MIN = 1e-8
LR_MAX = 1e6
SEED_MAX = 2**63 - 1
EPOCHS_MAX = 10**9


def _number(text: str | float, what: str) -> float:
    if isinstance(text, (int, float)):
        return float(text)
    try:
        return float(text)
    except (TypeError, ValueError):
        raise SessionError(f"{what} must be a number, got {text!r}") from None


NUMBER_MAX = 1e30  # a weight, bias or probe input typed in: beyond this a float32 loss overflows


def check_number(value: str | float, what: str) -> float:
    """A weight, a bias or an input typed in by hand: a finite number of sensible size."""
    number = _number(value.strip() if isinstance(value, str) else value, what)
    if not math.isfinite(number):
        raise SessionError(f"{what} must be a finite number, got {number}")
    if abs(number) > NUMBER_MAX:
        raise SessionError(f"{what} must lie between {-NUMBER_MAX:g} and {NUMBER_MAX:g}, got {number:g}")
    return number


def check_lr(value: str | float) -> float:
    lr = _number(value, "the learning rate")
    if not math.isfinite(lr):
        raise SessionError(f"the learning rate must be finite, got {lr}")
    if lr <= 0:
        raise SessionError(f"the learning rate must be positive, got {lr:g}")
    if not LR_MIN <= lr <= LR_MAX:
        raise SessionError(f"the learning rate must lie between {LR_MIN:g} and {LR_MAX:g}, got {lr:g}")
    return lr


def _integer(value: str | int, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise SessionError(f"{what} must be a whole number, got {value!r}")
    try:
        number = int(value)
    except ValueError:
        raise SessionError(f"{what} must be a whole number, got {value!r}") from None
    if not low <= number <= high:
        raise SessionError(f"{what} must lie between {low} and {high}, got {number}")
    return number


def check_seed(value: str | int) -> int:
    return _integer(value, "the seed", 0, SEED_MAX)


def check_epochs(value: str | int) -> int:
    return _integer(value, "the number of epochs", 0, EPOCHS_MAX)


# The initialisations `core.init` offers (the same names: a test checks), here without torch.
INITS = ("uniform", "zero")


def check_init(value: str) -> str:
    """How the weights start: `uniform` (nn.Linear's draw) or `zero` (the article's shortcut)."""
    text = str(value).strip().lower()
    if text not in INITS:
        raise SessionError(f"unknown initialisation {value!r}; choose one of: {', '.join(INITS)}")
    return text


def check_targets(value: str | int) -> int:
    """How many of a data file's last columns are targets (`--targets`)."""
    return _integer(value, "the number of target columns", 1, 15)


# Hidden layers (`--hidden N[,M…]`): enough to show depth, few enough to draw.
HIDDEN_UNITS_MAX = 64
HIDDEN_LAYERS_MAX = 4


def check_hidden(value: str | tuple | list | None) -> tuple[int, ...]:
    """The hidden layers' widths, from the inputs up: `"8"` or `"4,3"` (a flag or a dialog) or a
    sequence; `"none"` (or an empty field, or None) means no hidden layer, the article's one layer."""
    if value is None:
        return ()
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("", "none"):
            return ()
        parts = [part.strip() for part in text.split(",")]
    else:
        parts = list(value)
    if len(parts) > HIDDEN_LAYERS_MAX:
        raise SessionError(f"at most {HIDDEN_LAYERS_MAX} hidden layers, got {len(parts)}")
    return tuple(_integer(part, "a hidden layer's width", 1, HIDDEN_UNITS_MAX) for part in parts)
