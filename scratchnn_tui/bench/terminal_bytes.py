"""What the screen costs to send: the real app in a pseudo-terminal, its bytes and its CPU.

Over SSH every byte the app writes to its terminal crosses the link, and the UI process's CPU
comes out of the training's neighbour core. This runs `python -m scratchnn_tui` in a pty of
100×30 (Python's `pty`), as a terminal would, and counts what it writes: running at max speed,
running at 30 epochs a second (`,` twice), at 10 (`,` once more: every epoch drawn whole), and
paused. The UI process's CPU is read from
/proc (its user + system time over the same seconds; the training process is its child and is
not counted).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time
from dataclasses import dataclass

PTY_SIZE = (100, 30)  # columns, rows


@dataclass
class TerminalFigures:
    bytes_per_s: float  # running at max speed
    bytes_per_s_30: float  # running at 30 epochs a second
    bytes_per_s_10: float  # a watched run, 10 epochs a second: every epoch drawn whole
    bytes_per_s_paused: float
    ui_cpu_percent: float  # the UI process while running at max speed, % of one core


class AppTerminal:
    """The app on the far side of a pty: keys in, bytes out (counted, and handed to `on_bytes`
    where given: a terminal emulator, in the tests)."""

    def __init__(self, size: tuple[int, int] = PTY_SIZE, on_bytes=None, args: tuple[str, ...] = ()) -> None:
        # The app as a user's terminal starts it; its autosave on quitting goes to the state
        # folder the benchmark set (bench.report: a throwaway one), never over the user's.
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
        env["TERM"] = "xterm-256color"
        columns, rows = size
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the app, as a user starts it, in a terminal of that size
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.execvpe(sys.executable, [sys.executable, "-m", "scratchnn_tui", *args], env)
        self.seen = b""
        self.on_bytes = on_bytes

    def resize(self, size: tuple[int, int]) -> None:
        """The terminal's window takes a new size (the kernel tells the app, as a window would)."""
        columns, rows = size
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

    def read_for(self, seconds: float) -> int:
        """Read everything the app writes for `seconds`; how many bytes it was."""
        count, end = 0, time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                count += len(chunk)
                if self.on_bytes is not None:
                    self.on_bytes(chunk)
                self.seen = (self.seen + chunk)[-(1 << 20):]
        return count

    def wait_for(self, text: bytes, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        while text not in self.seen:
            if time.monotonic() > end:
                raise TimeoutError(f"the app did not show {text!r}")
            self.read_for(0.1)

    def press(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def cpu_seconds(self) -> float:
        """The UI process's user + system time so far."""
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.press("q")
        self.read_for(3.0)
        try:
            os.kill(self.pid, 15)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def measure_terminal(seconds: float = 4.0) -> TerminalFigures | None:
    """The app's bytes a second to its terminal and the UI's CPU; None where there is no pty
    or no /proc (not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    terminal = AppTerminal()
    try:
        terminal.wait_for(b"paused")  # the first frame of a loaded session
        terminal.read_for(1.0)
        terminal.press("r")  # run at max speed
        terminal.read_for(1.0)  # the first second draws the panels anew: not the steady state
        cpu = terminal.cpu_seconds()
        fast = terminal.read_for(seconds)
        cpu_percent = 100 * (terminal.cpu_seconds() - cpu) / seconds
        terminal.press(",,")  # 100, then 30 epochs a second
        terminal.read_for(1.0)
        paced = terminal.read_for(seconds)
        terminal.press(",")  # 10 epochs a second: every epoch drawn whole
        terminal.read_for(1.0)
        watched = terminal.read_for(seconds)
        terminal.press("r")  # pause
        terminal.read_for(1.0)
        paused = terminal.read_for(seconds)
    finally:
        terminal.close()
    return TerminalFigures(fast / seconds, paced / seconds, watched / seconds, paused / seconds, cpu_percent)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory(prefix="scratchnn-tui-bench-") as state:
        os.environ["SCRATCHNN_TUI_STATE_DIR"] = state
        print(measure_terminal())
