"""Taking turns: the app's rate while it runs, against the bare loop's, second by second."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from scratchnn_tui.bench.turns import WINDOW_SECONDS, Turns, second_by_second, take_turns


def synthetic(app_rate: float, bare_rate: float, speeds: list[float]) -> tuple[list, Turns]:
    """Turns of a machine whose speed is speeds[i] in cycle i, and the app's frames (three in
    each of its turns) at `app_rate` epochs a second of its own running time."""
    turns, frames, epoch, now = Turns(), [], 0, 100.0
    for speed in speeds:
        stopped = now
        turns.bare.append((stopped, round(bare_rate * speed * WINDOW_SECONDS), WINDOW_SECONDS))
        now += WINDOW_SECONDS + 0.003  # the bare loop's turn, and the signals
        turns.stops.append((stopped, now))
        for _ in range(3):
            now += WINDOW_SECONDS / 3
            epoch += app_rate * speed * WINDOW_SECONDS / 3
            frames.append((now, epoch))
    return frames, turns


def test_each_second_gives_the_ratio_of_the_two_rates_whatever_the_machine_speed():
    speeds = [1.0, 1.0, 0.5, 0.5, 2.0, 2.0, 1.3, 1.3, 0.7, 0.7] * 2  # steady within a second
    frames, turns = synthetic(app_rate=3000, bare_rate=4000, speeds=speeds)
    rates = second_by_second(frames, turns, per_chunk=2)
    assert len(rates) == 10
    for app, bare in rates:
        assert app / bare == pytest.approx(0.75, rel=1e-6)
    assert {round(bare) for _, bare in rates} == {4000, 2000, 8000, 5200, 2800}


def test_a_stop_in_the_middle_is_not_counted_as_the_apps_time():
    frames, turns = synthetic(app_rate=1000, bare_rate=1000, speeds=[1.0] * 4)
    (app, _), = second_by_second(frames, turns, per_chunk=4)
    assert app == pytest.approx(1000, rel=1e-6)  # counting the stops would give less than half


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads process states from /proc")
def test_take_turns_stops_and_continues_the_process_and_leaves_it_running_after_a_failure():
    child = subprocess.Popen([sys.executable, "-c", "import time\nwhile True: time.sleep(0.01)"])
    try:
        states = []

        def bare_run(seconds):
            time.sleep(0.02)
            with open(f"/proc/{child.pid}/stat") as stat:
                states.append(stat.read().split(") ")[1][0])  # T: stopped
            return 100, seconds

        turns = take_turns(child.pid, bare_run, cycles=3, window=0.01)
        assert states == ["T", "T", "T"] and len(turns.stops) == len(turns.bare) == 3

        def failing(seconds):
            raise RuntimeError("the bare loop died")

        with pytest.raises(RuntimeError):
            take_turns(child.pid, failing, cycles=1, window=0.01)
        time.sleep(0.05)
        with open(f"/proc/{child.pid}/stat") as stat:
            assert stat.read().split(") ")[1][0] != "T"
    finally:
        child.kill()
        child.wait()
