"""The steps/s on the status line: epochs trained per second of wall time, paced sleep included."""

from __future__ import annotations

from scratchnn_tui.runtime.rate_meter import RateMeter


def paced_run(speed: float, seconds: float, train_time: float = 0.002):
    """The samples a paced run publishes on a fake clock: (epoch, now, until) for the run's
    start and then for each epoch, trained at once when due and then slept after."""
    yield 0, 0.0, None  # the frame that shows the run started
    due, epoch = 0.0, 0
    while due < seconds:
        epoch += 1
        now = due + train_time
        due += 1 / speed
        yield epoch, now, due


def test_at_one_epoch_a_second_the_rate_reads_about_one_from_the_first_frame():
    meter = RateMeter()
    rates = [meter.update(*sample) for sample in paced_run(1, 3)]
    assert rates[0] is None  # nothing trained yet
    assert all(0.5 <= rate <= 2 for rate in rates[1:]), rates


def test_at_ten_a_second_it_reads_ten():
    meter = RateMeter()
    rates = [meter.update(*sample) for sample in paced_run(10, 3)][1:]
    assert all(9 <= rate <= 11 for rate in rates), rates


def test_at_full_speed_it_is_the_epochs_over_the_last_second():
    meter = RateMeter()
    for frame in range(100):  # 22 frames a second, 100 epochs each: 2,200 epochs a second
        rate = meter.update(frame * 100, frame / 22)
    assert abs(rate - 2200) < 1


def test_a_frame_that_trains_nothing_new_keeps_the_rate():
    meter = RateMeter()
    meter.update(0, 0.0)
    assert meter.update(1, 0.002, until=1.0) == 1.0
    assert meter.update(1, 0.5) == 1.0  # a key answered while the run waits for its next epoch


def test_going_back_a_reset_starts_a_new_count_and_clear_forgets_the_run():
    meter = RateMeter()
    meter.update(0, 0.0)
    meter.update(50, 1.0)
    assert meter.update(0, 1.1) is None
    meter.clear()
    assert meter.update(60, 2.0) is None
