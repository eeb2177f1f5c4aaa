"""The benchmark's race rows: each optimizer's steps a second inside a race (shape, not speed)."""

from __future__ import annotations

from scratchnn_tui.bench.race import race_lines, race_rates


def test_race_rates_has_every_racer_and_the_race_itself():
    figures = race_rates({"task": "triple", "device": "cpu"}, 0.2)
    assert list(figures["race_steps_per_s"]) == ["sgd", "momentum", "adam", "solved"]
    assert all(rate > 0 for rate in figures["race_steps_per_s"].values())
    assert figures["race_epochs_per_s"] > 0


def test_the_report_lists_the_race_after_the_existing_rows():
    figures = {"race_epochs_per_s": 500.0, "race_steps_per_s": {"sgd": 2000.0, "adam": 1500.0}}
    lines = race_lines(figures, 40)
    assert lines[0].split() == ["race", "of", "2", "networks,", "epochs/s", "500"]
    assert lines[1].split()[-3:] == ["SGD,", "steps/s", "2,000"] and "Adam" in lines[2]
    assert race_lines({}, 40) == []  # figures from before the race: nothing to add
