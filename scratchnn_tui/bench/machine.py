"""What the benchmark says of the machine it ran on."""

from __future__ import annotations

import os


def cpu_count() -> int:
    """The cpus this process may run on (its affinity, where the system says), else all of them."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
