"""`scratchnn-tui --web` started for a test: its own state and config folders, a free port, and
the page's first answer waited for."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """The server as a process of its own session (so a signal to it reaches it alone, as
    `kill -INT` would); `env` is what the test's own commands should run with."""

    def __init__(self, folder: Path, *flags: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.state = folder / "state"  # where the tabs' sessions are autosaved
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(folder / "config"),
                    "SCRATCHNN_TUI_STATE_DIR": str(self.state)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scratchnn_tui", "--web", "--port", str(self.port), *flags],
            cwd=folder, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)

    def page(self, timeout: float = 60.0) -> str:
        """The page, once the server answers."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    return response.read().decode("utf-8")
            except OSError:
                assert self.process.poll() is None, self.process.stdout.read()
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)

    def interrupt(self, within: float) -> tuple[float, str]:
        """SIGINT to the server, as ctrl+c at its terminal sends it: the seconds it took to end
        (AssertionError past `within`) and all it printed."""
        began = time.monotonic()
        os.kill(self.process.pid, signal.SIGINT)
        try:
            output, _ = self.process.communicate(timeout=within)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the server was still running {within:g} s after SIGINT") from None
        return time.monotonic() - began, output

    def resume_list(self) -> str:
        """What `scratchnn-tui --resume list` prints with the server's state folder."""
        return subprocess.run([sys.executable, "-m", "scratchnn_tui", "--resume", "list"], env=self.env,
                              capture_output=True, text=True, timeout=120).stdout

    def end(self) -> str:
        """SIGTERM to anything left of the server's session; what it printed."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            output, _ = self.process.communicate(timeout=30)
            return output
        return ""
