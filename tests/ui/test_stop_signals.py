"""SIGTERM, SIGINT and SIGHUP sent to the real app in a pseudo-terminal: it saves as a quit does,
leaves the alternate screen, says where the session went and exits 0; a second signal during
the save leaves at once, the terminal restored all the same."""

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

import pyte
import pytest

from scratchnn_tui.storage.checkpoint import checkpoint_settings

ENTER, LEAVE = b"\x1b[?1049h", b"\x1b[?1049l"


class Terminal:
    """`python -m scratchnn_tui` on a pseudo-terminal, and everything it wrote."""

    def __init__(self, state_dir, size=(100, 30)) -> None:
        self.master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "SCRATCHNN_TUI_STATE_DIR": str(state_dir)}
        self.app = subprocess.Popen([sys.executable, "-m", "scratchnn_tui"], stdin=slave, stdout=slave,
                                    stderr=slave, env=env, start_new_session=True, close_fds=True)
        os.close(slave)
        self.seen = b""
        # The screen as a terminal shows it: the app sends the cells that changed, so a number
        # that moved (Epoch 2 → 3) is a digit in the bytes, not the words around it.
        self.screen = pyte.Screen(columns, rows)
        self._stream = pyte.ByteStream(self.screen)

    def shows(self, text: str) -> bool:
        return any(text in line for line in self.screen.display)

    def _keep(self, chunk: bytes) -> None:
        self.seen += chunk
        self._stream.feed(chunk)

    def read_until(self, condition, timeout: float = 90.0) -> None:
        """Read what the app writes until `condition(seen)`, or until it has exited."""
        deadline = time.monotonic() + timeout
        while not condition(self.seen):
            assert time.monotonic() < deadline, self.seen[-2000:]
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    self._keep(os.read(self.master, 65536))
                except OSError:  # the app, and everything holding the terminal, has gone
                    return

    def exit_code(self, timeout: float = 60.0) -> int:
        """Wait for the app to exit, keeping what it wrote up to then."""
        self.read_until(lambda seen: self.app.poll() is not None, timeout)
        self._drain()
        return self.app.wait(timeout)

    def _drain(self) -> None:
        while select.select([self.master], [], [], 0.2)[0]:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self._keep(chunk)

    def close(self) -> None:
        if self.app.poll() is None:
            os.killpg(self.app.pid, signal.SIGKILL)
            self.app.wait()
        os.close(self.master)

    def left_the_alternate_screen(self) -> bool:
        return self.seen.rfind(LEAVE) > self.seen.rfind(ENTER) >= 0


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_saves_restores_the_terminal_and_resume_continues(tmp_path, stop):
    terminal = Terminal(tmp_path)
    try:
        terminal.read_until(lambda seen: b"Epoch 0" in seen)  # PyTorch has loaded
        for _ in range(3):
            os.write(terminal.master, b" ")
        terminal.read_until(lambda seen: terminal.shows("Epoch 3"))
        terminal.app.send_signal(stop)
        assert terminal.exit_code() == 0
    finally:
        terminal.close()
    assert terminal.left_the_alternate_screen()
    assert terminal.seen.rfind(b"\x1b[?25h") > terminal.seen.rfind(ENTER)  # the cursor is back
    saved = tmp_path / "last.safetensors"
    assert f"Session saved to {saved}".encode() in terminal.seen.replace(b"\r\n", b"")
    assert checkpoint_settings(saved)["epoch"] == 3
    env = {**os.environ, "SCRATCHNN_TUI_STATE_DIR": str(tmp_path)}
    resumed = subprocess.run([sys.executable, "-m", "scratchnn_tui", "--resume", "last", "--headless",
                              "--epochs", "1"], capture_output=True, text=True, env=env, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.startswith("Epoch 3 - loss: ")


def test_a_second_signal_during_the_save_leaves_at_once_with_the_terminal_restored(tmp_path):
    terminal = Terminal(tmp_path)
    try:
        terminal.read_until(lambda seen: b"Loading PyTorch" in seen)  # the first frame, no session yet
        terminal.app.send_signal(signal.SIGINT)  # the save waits for PyTorch to load (seconds)...
        terminal.read_until(lambda seen: b"Saving before quitting" in seen)
        started = time.monotonic()
        terminal.app.send_signal(signal.SIGTERM)  # ...and a second signal does not wait
        assert terminal.exit_code() == 128 + signal.SIGTERM
        assert time.monotonic() - started < 5
    finally:
        terminal.close()
    assert terminal.left_the_alternate_screen()
    assert terminal.seen.rfind(b"\x1b[?25h") > terminal.seen.rfind(ENTER)
    assert b"stopped at once (a second SIGTERM)" in terminal.seen
