"""What the device view shows: an epoch's cost on each device, as plain numbers.

Measured in the training process (`device_cost.measure_session`) and carried to the screen in
the `Snapshot`, so no torch here: the UI imports this module.
"""

from __future__ import annotations

from typing import NamedTuple


class DeviceSpeed(NamedTuple):
    """One device's figure: epochs (full-batch steps) a second, or why there is none."""

    device: str
    steps_per_s: float | None
    error: str | None = None


class DeviceSpeeds(NamedTuple):
    """One measurement of the session's network on every device.

    `token` is the request's own (`MeasureDevices`), so the screen that asked knows its answer
    has come; `sizes` and `batch` say which network was measured, `current` the device the
    session was on.
    """

    token: int
    sizes: tuple[int, ...]
    batch: int
    optimizer: str
    current: str
    speeds: tuple[DeviceSpeed, ...]
