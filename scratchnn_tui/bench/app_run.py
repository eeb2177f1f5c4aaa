"""The real app, headless, pressing its own keys: step latency, run-mode rate, refresh rate, memory."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass

from ..ui.app import ScratchApp
from ..ui.messages import FrameReady
from ..ui.scenes import settle
from ..ui.widgets.status_line import StatusLine

LATENCY_PRESSES = 40


def rss_bytes() -> int:
    """Resident memory of this process now (Linux /proc; elsewhere the peak, from getrusage)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class _TimedApp(ScratchApp):
    """The app as it is, noting when each frame was applied."""

    def __init__(self, **settings) -> None:
        super().__init__(**settings)
        self.frame_times: list[tuple[float, int]] = []  # (when applied, epoch)

    async def on_frame_ready(self, message: FrameReady) -> None:
        await super().on_frame_ready(message)
        self.frame_times.append((time.perf_counter(), message.frame.snapshot.epoch))


@dataclass
class AppFigures:
    app_steps_per_s: float
    refresh_hz: float
    step_latency_ms_p95: float
    rss_growth_mb: float


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def measure_app(settings: dict, seconds: float) -> AppFigures:
    app = _TimedApp(**settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        status = app.query_one(StatusLine)
        latencies = []
        for _ in range(LATENCY_PRESSES):
            target = f"Epoch {app.frame.snapshot.epoch + 1} "
            start = time.perf_counter()
            await pilot.press("space")
            while target not in str(status.render()):
                await asyncio.sleep(0.0005)
            latencies.append(time.perf_counter() - start)
        await settle(pilot)

        rss_before = rss_bytes()
        await pilot.press("r")
        while not (app.frame and app.frame.running):
            await asyncio.sleep(0.001)
        first = len(app.frame_times) - 1
        await asyncio.sleep(seconds)
        last = len(app.frame_times) - 1
        rss_after = rss_bytes()
        await pilot.press("r")
        await settle(pilot)

    (t0, e0), (t1, e1) = app.frame_times[first], app.frame_times[last]
    elapsed = max(t1 - t0, 1e-9)
    return AppFigures(
        app_steps_per_s=(e1 - e0) / elapsed,
        refresh_hz=(last - first) / elapsed,
        step_latency_ms_p95=_p95(latencies) * 1000,
        rss_growth_mb=(rss_after - rss_before) / 2**20,
    )
