"""Start-up costs, each measured in a fresh interpreter: `import torch`, and the app's first frame."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time

FIRST_FRAME_MARKERS = (b"Loading PyTorch", b"Epoch ")


def import_torch_seconds() -> float:
    code = "import time; t = time.perf_counter(); import torch; print(time.perf_counter() - t)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def first_frame_seconds(size: tuple[int, int] = (100, 30), timeout: float = 60.0) -> float:
    """Seconds from starting `python -m scratchnn_tui` in a terminal to its first frame's text.

    The app runs on a pseudo-terminal of `size`; the first frame is the first output that holds
    the status line ("Loading PyTorch…", or "Epoch " if torch was already there).
    """
    master, slave = os.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
    env.pop("NO_COLOR", None)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "scratchnn_tui"], stdin=slave, stdout=slave,
                             stderr=slave, env=env, start_new_session=True, close_fds=True)
    os.close(slave)
    seen = b""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
                if any(marker in seen for marker in FIRST_FRAME_MARKERS):
                    return time.perf_counter() - start
            if child.poll() is not None:
                break
        raise RuntimeError(f"no first frame within {timeout:g} s (exit code {child.poll()})")
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        os.close(master)
