"""The race's speed: it trains one network per optimizer, so each gets a share of the machine.

The race is timed as the app's training process runs it (`Race`, in one thread, racer after
racer, a burst of epochs each), in this process: each racer's own steps a second (its epochs over
the time spent training it, a device read included, so a GPU's queue is drained inside its own
timing), and the race's epochs a second (what the status line shows while racing: every racer
takes one step per race epoch).
"""

from __future__ import annotations

import time

BURST = 256  # epochs a racer trains before the next one's turn, as run mode's largest burst
RACE_SECONDS = 5.0  # at most; the benchmark's --seconds when shorter


def race_rates(settings: dict, seconds: float) -> dict:
    """`race_epochs_per_s` and `race_steps_per_s` (optimizer key → steps a second) for a race
    on `settings`' task and device, from the seeded starting weights."""
    from ..training.race import Race
    from ..training.session import Session

    race = Race(Session(task=settings["task"], device=settings["device"]))
    spent = {racer.key: 0.0 for racer in race.racers}
    race.step(1)  # warm-up: first calls allocate
    epochs, budget = 0, min(seconds, RACE_SECONDS)
    start = time.perf_counter()
    while time.perf_counter() - start < budget:
        for racer in race.racers:
            began = time.perf_counter()
            racer.session.train(BURST)
            racer.session.check()  # one device read per racer and burst
            spent[racer.key] += time.perf_counter() - began
        epochs += BURST
    wall = time.perf_counter() - start
    return {"race_epochs_per_s": epochs / wall,
            "race_steps_per_s": {key: epochs / seconds_spent for key, seconds_spent in spent.items()}}


def race_lines(figures: dict, width: int) -> list[str]:
    """The report's rows for the race, in the report's layout (`width`: its label column)."""
    from ..training.optimizers import get_optimizer

    rates = figures.get("race_steps_per_s")
    if not rates:
        return []
    count = len(rates)
    lines = [f"  {f'race of {count} networks, epochs/s':<{width}}  {figures['race_epochs_per_s']:,.0f}"]
    for key, rate in rates.items():
        label = f"  race: {get_optimizer(key).label}, steps/s"
        lines.append(f"  {label:<{width}}  {rate:,.0f}")
    return lines
