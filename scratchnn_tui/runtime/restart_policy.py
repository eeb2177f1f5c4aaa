"""When a training process that died is started again, and on which device.

A process that dies now and then (a driver fault, the out-of-memory killer, a stray `kill`) is
restarted from the session's last copy; one that dies again and again would only keep the user
waiting for PyTorch to load, so after DEATH_LIMIT deaths within DEATH_WINDOW seconds it is left
dead and the app keeps what it knows (see `kept_state`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

DEATH_LIMIT = 3
DEATH_WINDOW = 60.0
# What a training process's last words say when a device, not the session, failed.
DEVICE_WORDS = ("cuda", "cudnn", "cublas", "nccl", "mps", "gpu", "device")


class RestartPolicy:
    """Counts deaths over the last DEATH_WINDOW seconds of `clock`."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._deaths: deque[float] = deque()

    def died(self) -> bool:
        """Note a death; True if the process should be started again."""
        now = self._clock()
        self._deaths.append(now)
        while self._deaths and self._deaths[0] <= now - DEATH_WINDOW:
            self._deaths.popleft()
        return len(self._deaths) < DEATH_LIMIT


def restart_device(device: str, last_words: str, died_starting: bool) -> str:
    """The device to start the new process on: the session's own, or the cpu if that device is
    what failed (its name or a device's in the last words, or a restart on it that died before
    it showed anything)."""
    if device == "cpu":
        return device
    words = last_words.lower()
    if died_starting or any(word in words for word in DEVICE_WORDS):
        return "cpu"
    return device
