"""The device view (D): what an epoch of this network costs on each device, and why.

Users toggle cpu and GPU (`d`), and on this app's tiny layers the GPU is the slower one. The
view asks the training process to time the session's own network on every device (a
`MeasureDevices` request, answered on a copy of the session, which stays as it was) and shows
the figures that come back in the frames, with one line on why.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ...runtime.requests import MeasureDevices, Request
from ...training.device_speeds import DeviceSpeeds
from ...training.snapshot import Frame

WHY = ("Why: a tiny layer's epoch is a few dozen small operations, each paying a fixed fee for "
       "a kernel launch and a synchronisation, and a GPU's fee is the larger; a big layer's "
       "epoch is arithmetic, where a GPU's many cores win. `scratchnn-tui bench --sweep` shows "
       "from which width. On an H200 box: a 2→2 layer 7,190 steps/s on the cpu, 2,231 on cuda; "
       "a 4096-wide one (batch 4096) 4 and 170.")
HINT = "m measures again · escape closes"

_tokens = itertools.count(1)  # one per request, so the view knows its own answer


def device_table(speeds: DeviceSpeeds | None, measuring: bool) -> str:
    """The view's text: the network measured, a row a device, and whether it is measuring."""
    lines = []
    if measuring:
        lines.append("Measuring an epoch on each device (a copy of the session; training waits)…")
    if speeds is None:
        return "\n".join(lines or ["Nothing measured yet."])
    network = " → ".join(str(size) for size in speeds.sizes)
    lines.append(f"{'Last measured' if measuring else 'Measured'}: {network}, batch {speeds.batch}, "
                 f"{speeds.optimizer}, on a copy (the session is untouched)")
    lines.append("")
    lines.append(f"  {'device':<10}{'steps/s':>10}")
    for speed in speeds.speeds:
        figure = f"{speed.steps_per_s:>10,.0f}" if speed.steps_per_s is not None else f"{'–':>10}"
        note = "  ← training here" if speed.device == speeds.current else ""
        if speed.error:
            note += f"  ✗ {speed.error}"
        lines.append(f"  {speed.device:<10}{figure}{note}")
    if len(speeds.speeds) == 1:
        lines.append("  (no GPU here: PyTorch sees only the cpu)")
    return "\n".join(lines)


class DeviceScreen(ModalScreen[None]):
    """Asks for a measurement when opened (and on `m`); escape, D or q closes it.

    Args:
        send: how a request reaches the training process (the app's `worker.send`).
    """

    BINDINGS = [
        Binding("escape,D,q", "close", "Close"),
        Binding("m", "measure", "Measure again"),
    ]

    DEFAULT_CSS = """
    DeviceScreen { align: center middle; }
    DeviceScreen > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    DeviceScreen #device-why, DeviceScreen #device-hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, send: Callable[[Request], None]) -> None:
        super().__init__()
        self._send = send
        self._token = 0  # the measurement asked for last
        self._speeds: DeviceSpeeds | None = None
        self._shown: tuple | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Devices: what an epoch costs"
            yield Static("", id="device-table", markup=False)
            yield Static(WHY, id="device-why", markup=False)
            yield Static(HINT, id="device-hint", markup=False)

    def on_mount(self) -> None:
        self.action_measure()
        self.watch(self.app, "frame", self._take, init=True)

    @property
    def measuring(self) -> bool:
        """Whether the answer to the last request has not come yet."""
        return self._speeds is None or self._speeds.token != self._token

    def action_measure(self) -> None:
        self._token = next(_tokens)
        self._send(MeasureDevices(self._token))
        self._show()

    def _take(self, frame: Frame | None) -> None:
        """Each frame may bring the figures (the session's last measurement)."""
        if frame is not None and frame.snapshot.device_speeds is not None:
            self._speeds = frame.snapshot.device_speeds
        self._show()

    def _show(self) -> None:
        shown = (self._speeds, self.measuring)
        if shown != self._shown:  # frames come ~22 a second while running: repaint on change
            self._shown = shown
            self.query_one("#device-table", Static).update(device_table(*shown))

    def action_close(self) -> None:
        self.dismiss(None)
