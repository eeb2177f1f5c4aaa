"""The real app, headless, driven by key events: key latency, run-mode rate, refreshes, memory.

The app's run mode and the bare loop take turns in short rounds, bare first and last, and each
app round gives one ratio: its rate over the geometric mean of the bare rounds on either side,
which cancels a steady drift of the machine's speed across the round. The median ratio is
reported, with the rounds' quartiles to show how much one round differs from the next. Taking turns matters on a shared machine, whose speed drifts by tens of percent
within seconds: two long phases would measure the drift.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from dataclasses import dataclass

from textual import events

from ..ui.app import ScratchApp
from ..ui.messages import FrameReady
from ..ui.scenes import settle
from ..ui.widgets.status_line import StatusLine
from .bare import BareLoop

LATENCY_PRESSES = 40


def rss_bytes(pid: int | None = None) -> int:
    """Resident memory of a process now (Linux /proc; elsewhere this process's peak)."""
    try:
        with open(f"/proc/{pid or 'self'}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class _TimedApp(ScratchApp):
    """The app as it is, noting when each frame was applied."""

    def __init__(self, **settings) -> None:
        super().__init__(**settings)
        self.frame_times: list[tuple[float, int]] = []  # (when published, epoch)
        self.paints = 0

    def _display(self, screen, renderable) -> None:  # Textual's one call per screen update
        self.paints += 1
        super()._display(screen, renderable)

    def on_frame_ready(self, message: FrameReady) -> None:
        # Textual then calls ScratchApp.on_frame_ready itself (handlers run up the class
        # hierarchy), so this only notes the arrival; calling super() would apply each frame twice.
        self.frame_times.append((message.frame.published_at, message.frame.snapshot.epoch))


@dataclass
class Figures:
    bare_steps_per_s: float
    app_steps_per_s: float
    ratio: float
    ratio_q1: float  # the rounds' ratios' quartiles: how far one round's ratio is from another's
    ratio_q3: float
    refresh_hz: float
    step_latency_ms_p95: float
    rss_growth_mb: float
    ui_cpu_percent: float  # the UI process's CPU time while running, per wall-clock second


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _press(app: ScratchApp, key: str, character: str | None) -> None:
    """A key event as the terminal driver delivers one (Pilot.press also waits for idleness)."""
    app.post_message(events.Key(key, character))


def _memory(app: ScratchApp) -> int:
    pid = getattr(app.worker, "pid", None)
    return rss_bytes() + (rss_bytes(pid) if pid else 0)


async def _wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not respond")
        await asyncio.sleep(0.0005)


ROUND_SECONDS = 0.25


async def measure(settings: dict, seconds: float) -> Figures:
    """`seconds` of run mode and as many of the bare loop, in alternating rounds of ~0.25 s."""
    rounds = max(3, round(seconds / ROUND_SECONDS))
    app = _TimedApp(**settings)
    bare = BareLoop(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        status = app.query_one(StatusLine)
        latencies = []
        for _ in range(LATENCY_PRESSES):
            target = f"Epoch {app.frame.snapshot.epoch + 1} "
            start = time.perf_counter()
            _press(app, "space", " ")
            await _wait_for(lambda: target in str(status.render()))
            latencies.append(time.perf_counter() - start)
        await settle(pilot)

        slice_s = seconds / rounds
        bare_rates, app_rates, refresh, ratios = [], [], [], []
        growth = 0
        ui_cpu = ui_wall = 0.0
        bare_rates.append(bare.measure(slice_s))
        for _ in range(rounds):
            memory_before = _memory(app)
            _press(app, "r", "r")
            await _wait_for(lambda: app.frame.running)
            first = len(app.frame_times) - 1
            cpu_before, wall_before, paints = time.process_time(), time.perf_counter(), app.paints
            await asyncio.sleep(slice_s)
            ui_cpu += time.process_time() - cpu_before
            ui_wall += time.perf_counter() - wall_before
            refresh.append((app.paints - paints) / (time.perf_counter() - wall_before))
            last = len(app.frame_times) - 1
            growth += _memory(app) - memory_before
            _press(app, "r", "r")
            await settle(pilot)
            bare_rates.append(bare.measure(slice_s))
            (t0, e0), (t1, e1) = app.frame_times[first], app.frame_times[last]
            app_rates.append((e1 - e0) / max(t1 - t0, 1e-9))
            ratios.append(app_rates[-1] / statistics.geometric_mean(bare_rates[-2:]))
    bare.close()
    quartiles = statistics.quantiles(ratios, n=4, method="inclusive")
    return Figures(
        bare_steps_per_s=statistics.median(bare_rates),
        app_steps_per_s=statistics.median(app_rates),
        ratio=statistics.median(ratios),
        ratio_q1=quartiles[0],
        ratio_q3=quartiles[2],
        refresh_hz=statistics.median(refresh),
        step_latency_ms_p95=_p95(latencies) * 1000,
        rss_growth_mb=growth / 2**20,
        ui_cpu_percent=100 * ui_cpu / max(ui_wall, 1e-9),
    )
