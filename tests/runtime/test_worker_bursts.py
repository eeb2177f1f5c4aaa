"""How many epochs the run loop trains between looks at the clock and the request queue."""

from scratchnn_tui.runtime.worker import BURST_SECONDS, MAX_BURST, next_burst


def test_bursts_grow_for_quick_epochs_and_shrink_for_slow_ones():
    assert next_burst(1, BURST_SECONDS / 10) == 2
    assert next_burst(MAX_BURST, BURST_SECONDS / 10) == MAX_BURST
    assert next_burst(64, BURST_SECONDS * 3) == 32
    assert next_burst(1, 1.0) == 1
    assert next_burst(8, BURST_SECONDS) == 8
