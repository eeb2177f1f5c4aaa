"""Run every measurement in one process, side by side, and report them as a table or JSON."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import tempfile
from dataclasses import asdict

from ..training.history import LossHistory
from .app_run import measure
from .function_cost import function_view_ms_p95
from .surface_cost import surface_view_ms_p95
from .machine import cpu_count
from .race import race_lines, race_rates
from .startup import first_frame_seconds, import_torch_seconds
from .step_back import old_step_back_ms
from .terminal_bytes import measure_terminal


def history_points_after(count: int) -> int:
    history = LossHistory()
    history.extend(1.0 / (1 + k) for k in range(count))
    return len(history)


def run(settings: dict, seconds: float) -> dict:
    import torch
    import textual

    figures: dict = {"device": settings["device"], "task": settings["task"],
                     "hidden": list(settings.get("hidden", ())),
                     "optimizer": settings["optimizer"], "seconds": seconds}
    # The benchmark quits a real app, which autosaves: not over the user's last session, and
    # into a folder that goes when the benchmark is done.
    with tempfile.TemporaryDirectory(prefix="scratchnn-tui-bench-") as state:
        os.environ["SCRATCHNN_TUI_STATE_DIR"] = state
        figures["import_torch_s"] = import_torch_seconds()
        figures["first_frame_s"] = first_frame_seconds()
        figures.update(asdict(asyncio.run(measure(settings, seconds))))
        terminal = measure_terminal(max(seconds, 1.0))  # the app in a pty of 100×30 (Linux)
        if terminal is not None:
            figures["terminal_bytes_per_s"] = terminal.bytes_per_s
            figures["terminal_bytes_per_s_30"] = terminal.bytes_per_s_30
            figures["terminal_bytes_per_s_10"] = terminal.bytes_per_s_10
            figures["terminal_bytes_per_s_paused"] = terminal.bytes_per_s_paused
            figures["ui_cpu_percent"] = terminal.ui_cpu_percent  # the real app's, not the headless one
    figures["history_points_after_1e6"] = history_points_after(1_000_000)
    figures["step_back_old_ms_max"] = old_step_back_ms(settings)
    figures["function_view_ms_p95"] = function_view_ms_p95(settings)
    figures["surface_view_ms_p95"] = surface_view_ms_p95(settings)
    figures.update(race_rates(settings, seconds))  # the race trains four networks: each one's rate
    figures["machine"] = (f"{platform.machine()}, {cpu_count()} cpus, {platform.system()}, Python "
                          f"{platform.python_version()}, torch {torch.__version__}, textual {textual.__version__}")
    return figures


ROWS = [
    ("bare_steps_per_s", "bare loop, steps/s", "{:,.0f}"),
    ("app_steps_per_s", "app in run mode, steps/s", "{:,.0f}"),
    ("ratio", "app / bare (median of seconds)", "{:.3f}"),
    ("ratio_q1", "  seconds' lower quartile", "{:.3f}"),
    ("ratio_q3", "  seconds' upper quartile", "{:.3f}"),
    ("refresh_hz", "screen refreshes/s while running", "{:.1f}"),
    ("ui_cpu_percent", "UI process CPU while running, %", "{:.1f}"),
    ("terminal_bytes_per_s", "bytes to a 100×30 terminal, running, B/s", "{:,.0f}"),
    ("terminal_bytes_per_s_30", "  running at 30 epochs/s, B/s", "{:,.0f}"),
    ("terminal_bytes_per_s_10", "  at 10 epochs/s (every epoch whole), B/s", "{:,.0f}"),
    ("terminal_bytes_per_s_paused", "  paused, B/s", "{:,.0f}"),
    ("step_latency_ms_p95", "space → screen, p95 ms", "{:.1f}"),
    ("step_back_ms_p95", "b → screen (last 1,000 epochs), p95 ms", "{:.1f}"),
    ("step_back_old_ms_max", "b to an epoch 2,000+ back, worst ms", "{:.0f}"),
    ("function_view_ms_p95", "function view's grid a frame, p95 ms", "{:.2f}"),
    ("surface_view_ms_p95", "surface view a frame (grid, path, step), p95 ms", "{:.2f}"),
    ("import_torch_s", "import torch, s", "{:.2f}"),
    ("first_frame_s", "first frame, s", "{:.2f}"),
    ("history_points_after_1e6", "history points after 1e6 losses", "{:,}"),
    ("rss_growth_mb", "memory growth in run mode, MB", "{:.2f}"),
]


def render(figures: dict, as_json: bool) -> str:
    if as_json:
        return json.dumps(figures)
    hidden = figures.get("hidden")
    task = f"{figures['task']} --hidden {','.join(map(str, hidden))}" if hidden else figures["task"]
    lines = [f"scratchnn-tui bench: {task}, {figures['optimizer']}, {figures['device']}, "
             f"{figures['seconds']:g} s of each", f"machine: {figures['machine']}"]
    width = max(len(label) for _, label, _ in ROWS)
    lines += [f"  {label:<{width}}  {fmt.format(figures[key])}" for key, label, fmt in ROWS if key in figures]
    lines += race_lines(figures, width)
    return "\n".join(lines)
