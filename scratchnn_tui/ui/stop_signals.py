"""SIGTERM, SIGINT and SIGHUP sent to the app: quit as `q` does, and never leave the terminal
broken.

The first such signal starts the app's own quit (the session is saved, Textual leaves the
alternate screen and restores the terminal's modes, and the line saying where the session went
is printed). A second one during that save leaves at once: the terminal is restored here, from
the modes it had before the app started, and the process exits with 128 + the signal's number.
The training process, finding its pipe closed, then saves the session itself as it ends.

Inside the app the keyboard is raw, so ctrl+c is a key, not a SIGINT: these come from outside
(`kill`, a service manager, a closed terminal).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import termios
import threading
import time
from collections.abc import Callable

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
STOP_WITHIN = 90.0
"""Seconds after the first signal by which the process has ended whatever happens: the quit's
save waits up to a minute for PyTorch to load, then up to ten seconds more."""
# What Textual's Linux driver writes when it leaves application mode, and the mouse and paste
# modes it turned on: keyboard protocol off, main screen, cursor shown, focus, mouse and
# bracketed paste reports off, line wrap on.
RESTORE = ("\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1004l\x1b[?1000l\x1b[?1003l\x1b[?1015l"
           "\x1b[?1006l\x1b[?2004l\x1b[?7h")


class StopSignals:
    """Routes the stop signals to `on_first(name)` once, and leaves at once on a second.

    Made before the app takes the terminal over, so the terminal's modes from before can be
    put back by hand if the app's own exit cannot be waited for.
    """

    def __init__(self, on_first: Callable[[str], None]) -> None:
        self._on_first = on_first
        self._first: str | None = None
        self._modes = _terminal_modes()

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        """Handle the stop signals on `loop` until it closes (which removes the handlers): a
        second signal during Textual's own shutdown still leaves with the terminal restored."""
        for number in STOP_SIGNALS:
            loop.add_signal_handler(number, self._received, number)

    def _received(self, number: int) -> None:
        name = signal.Signals(number).name
        if self._first is None:
            self._first = name
            # However the quit goes, the process ends: a terminal that hung up can leave
            # Textual's writer waiting on it forever, and the event loop behind it.
            threading.Thread(target=self._watchdog, args=(number,), name="scratchnn-stop",
                             daemon=True).start()
            self._on_first(name)
        else:
            self.leave_now(number)

    def _watchdog(self, number: int) -> None:
        time.sleep(STOP_WITHIN)
        self.leave_now(number, f"the quit after {signal.Signals(number).name} took over {STOP_WITHIN:g} s")

    def leave_if_hung_up(self, code: int) -> None:
        """After the save: exit at once with `code` if the terminal has gone (a hangup), since
        Textual's exit would wait forever to restore a terminal that is not there. Only where
        the app began on a terminal: a browser tab's app reads a pipe, which is no hangup."""
        if self._modes is None:
            return
        try:
            termios.tcgetattr(sys.__stdin__.fileno())
        except termios.error:
            os._exit(code)
        except (OSError, ValueError):
            pass

    def leave_now(self, number: int, why: str = "") -> None:
        """Restore the terminal, say why, and exit without waiting for anything."""
        if self._modes is not None:
            try:
                termios.tcsetattr(sys.__stdin__.fileno(), termios.TCSANOW, self._modes)
            except (termios.error, OSError, ValueError):
                pass
        why = why or f"a second {signal.Signals(number).name}"
        line = (f"scratchnn-tui: stopped at once ({why}), before the save was done; the training "
                f"process saves the session as it ends (scratchnn-tui --resume list)\n")
        try:
            os.write(sys.__stderr__.fileno(), (RESTORE + "\r" + line).encode())
        except (OSError, ValueError):
            pass
        os._exit(128 + number)


def _terminal_modes() -> list | None:
    """The terminal's modes now, if stdin is a terminal."""
    try:
        stdin = sys.__stdin__.fileno()
        return termios.tcgetattr(stdin) if os.isatty(stdin) else None
    except (termios.error, OSError, ValueError, AttributeError):
        return None
