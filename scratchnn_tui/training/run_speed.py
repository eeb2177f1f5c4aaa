"""How fast run mode trains: a few epochs a second to watch each update happen, or as fast as the
machine goes (the default). No torch here: the UI and the command line read these too."""

from __future__ import annotations

from .errors import SessionError

RUN_SPEEDS: tuple[int | None, ...] = (1, 2, 5, 10, 30, 100, None)
"""Epochs a second, slowest first; None is as fast as the machine goes."""

DRAW_EVERY_EPOCH = 10
"""Up to this many epochs a second, every epoch is drawn whole (diagram, matrices, chart)."""


def check_run_speed(value: int | None) -> int | None:
    if value not in RUN_SPEEDS:
        shown = ", ".join("max" if s is None else str(s) for s in RUN_SPEEDS)
        raise SessionError(f"the run speed must be one of {shown} epochs a second, got {value!r}")
    return value


def next_speed(speed: int | None, step: int) -> int | None:
    """One notch slower (step −1) or faster (+1), stopping at the ends."""
    index = RUN_SPEEDS.index(check_run_speed(speed)) + step
    return RUN_SPEEDS[max(0, min(len(RUN_SPEEDS) - 1, index))]


def speed_label(speed: int | None) -> str:
    """`5/s`, or `max`: as the status line writes it."""
    return "max" if speed is None else f"{speed}/s"


def speed_sentence(speed: int | None) -> str:
    if speed is None:
        return "Run speed: max, as fast as this machine trains (, slows it down)"
    drawn = "; every epoch is drawn" if speed <= DRAW_EVERY_EPOCH else ""
    return f"Run speed: {speed} epoch{'s' if speed > 1 else ''} a second{drawn} (. speeds up, , slows down)"
