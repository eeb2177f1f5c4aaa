"""The real app, headless, driven by key events: key latency, run-mode rate, refreshes, memory.

The app's run-mode rate is set against the bare loop's second by second while the two take
turns on the machine (see `turns`); the median of those ratios is reported, with their
quartiles to show how much one second differs from the next on a shared machine.
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
from .turns import TURNS_PER_SECOND, WINDOW_SECONDS, second_by_second, take_turns

LATENCY_PRESSES = 40
BACK_PRESSES = 100  # b after the run: a few keyframes' worth of replays, from far and near
APP_SIZE = (120, 40)  # columns, rows: as a user at a roomy terminal sees it, a picture and all


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
    ratio_q1: float  # the quartiles of the second-by-second ratios: how far one is from another
    ratio_q3: float
    refresh_hz: float
    step_latency_ms_p95: float
    step_back_ms_p95: float  # b → the screen shows the epoch before, within the last 1,000
    rss_growth_mb: float
    ui_cpu_percent: float  # the UI process's CPU time while running, per wall-clock second


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _press(app: ScratchApp, key: str, character: str | None) -> None:
    """A key event as the terminal driver delivers one (Pilot.press also waits for idleness)."""
    app.post_message(events.Key(key, character))


def _memory(app: ScratchApp) -> int:
    pid = app.worker.pid  # None when the session runs in this process
    return rss_bytes() + (rss_bytes(pid) if pid else 0)


async def _wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not respond")
        await asyncio.sleep(0.0005)


RUN_SECONDS = 5.0  # of plain run mode, as a user sees it: refresh rate and the UI's CPU


def _quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q3


async def measure(settings: dict, seconds: float) -> Figures:
    """Key latency; run mode as a user sees it (refresh rate, the UI's CPU); then, still
    running, `seconds` of the app's training and as many of the bare loop, taking turns
    (see `turns`); memory growth over the whole run."""
    app = _TimedApp(**settings)
    bare = BareLoop(settings)
    # 120×40, the surface view on (v): its picture's cost (made in the training process, drawn
    # in this one) counts in every figure below, as the function view's, computed with every
    # full frame whether shown or not, does.
    async with app.run_test(size=APP_SIZE) as pilot:
        await settle(pilot)
        _press(app, "v", "v")
        await _wait_for(lambda: app.frame.snapshot.surface is not None)
        status = app.query_one(StatusLine)
        latencies = []
        for _ in range(LATENCY_PRESSES):
            target = f"Epoch {app.frame.snapshot.epoch + 1} "
            start = time.perf_counter()
            _press(app, "space", " ")
            await _wait_for(lambda: target in str(status.render()))
            latencies.append(time.perf_counter() - start)
        await settle(pilot)

        memory_before = _memory(app)
        _press(app, "r", "r")
        await _wait_for(lambda: app.frame.running)
        cpu_before, wall_before, paints = time.process_time(), time.perf_counter(), app.paints
        await asyncio.sleep(min(RUN_SECONDS, seconds))
        wall = time.perf_counter() - wall_before
        ui_cpu = (time.process_time() - cpu_before) / wall
        refresh = (app.paints - paints) / wall

        cycles = max(2 * TURNS_PER_SECOND, round(seconds / WINDOW_SECONDS))
        first = len(app.frame_times)
        turns = await asyncio.to_thread(take_turns, app.worker.pid, bare.run, cycles)
        frames = app.frame_times[first:]
        growth = _memory(app) - memory_before
        _press(app, "r", "r")
        await settle(pilot)
        backs = []
        for _ in range(min(BACK_PRESSES, app.frame.snapshot.epoch)):
            target = f"Epoch {app.frame.snapshot.epoch - 1} "
            start = time.perf_counter()
            _press(app, "b", "b")
            await _wait_for(lambda: target in str(status.render()))
            backs.append(time.perf_counter() - start)
    bare.close()
    # Second by second; over the whole stretch if the app sent too few frames for that.
    rates = second_by_second(frames, turns) or second_by_second(frames, turns, len(turns.stops))
    if not rates:
        raise RuntimeError("the app sent too few frames while taking turns to time its training")
    ratios = [app_rate / bare_rate for app_rate, bare_rate in rates]
    q1, q3 = _quartiles(ratios)
    return Figures(
        bare_steps_per_s=statistics.median(bare_rate for _, bare_rate in rates),
        app_steps_per_s=statistics.median(app_rate for app_rate, _ in rates),
        ratio=statistics.median(ratios),
        ratio_q1=q1,
        ratio_q3=q3,
        refresh_hz=refresh,
        step_latency_ms_p95=_p95(latencies) * 1000,
        step_back_ms_p95=_p95(backs) * 1000,
        rss_growth_mb=growth / 2**20,
        ui_cpu_percent=100 * ui_cpu,
    )
