"""The loss history: the whole run in a bounded number of points, spikes kept.

A run of a million epochs must not hold a million floats, yet its chart should still show the
whole run, not only its tail. So each point is the worst loss of a bucket of consecutive epochs;
when the points reach `capacity`, neighbours merge pairwise and buckets double. A spike survives
every merge (max keeps it), and so does a NaN (it is worse than any number). The first, last and
lowest losses are kept exactly beside the points.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable

DEFAULT_CAPACITY = 2048


def _worst(a: float, b: float) -> float:
    if math.isnan(a) or math.isnan(b):
        return math.nan
    return a if a >= b else b


def _worst_of(values: list[float]) -> float:
    return math.nan if any(map(math.isnan, values)) else max(values)


class LossHistory:
    """Loss after k epochs, k = 0, 1, 2, …, down-sampled to at most `capacity` points."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 2 or capacity % 2:
            raise ValueError("capacity must be an even number of at least 2")
        self.capacity = capacity
        self.bucket = 1      # epochs per point (a power of two)
        self.count = 0       # losses seen
        self._points: list[float] = []
        self._fill = 0       # losses in the last, still open, point
        self.first = math.nan
        self.last = math.nan
        self.lowest = math.inf

    def append(self, loss: float) -> None:
        if self.count == 0:
            self.first = loss
        self.count += 1
        self.last = loss
        if loss < self.lowest:  # False for NaN: the lowest stays a number
            self.lowest = loss
        if self._fill == 0:
            self._points.append(loss)
        else:
            self._points[-1] = _worst(self._points[-1], loss)
        self._fill = (self._fill + 1) % self.bucket
        if self._fill == 0 and len(self._points) >= self.capacity:
            self._halve()

    def extend(self, losses: Iterable[float]) -> None:
        """`append` each loss, a bucket at a time rather than a loss at a time: a frame brings
        a few hundred losses while training runs (docs/PERFORMANCE.md)."""
        values = list(losses)
        if not values:
            return
        if self.count == 0:
            self.first = values[0]
        self.count += len(values)
        self.last = values[-1]
        has_nan = any(map(math.isnan, values))
        lowest = min((v for v in values if not math.isnan(v)), default=math.inf) if has_nan else min(values)
        if lowest < self.lowest:
            self.lowest = lowest
        worst = _worst_of if has_nan else max
        start, end = 0, len(values)
        while start < end:
            if self._fill:  # top up the open point
                take = min(self.bucket - self._fill, end - start)
                self._points[-1] = _worst(self._points[-1], worst(values[start:start + take]))
            else:  # whole new points, up to the capacity, then at most one open one
                room = self.capacity - len(self._points)
                take = min(room * self.bucket, end - start)
                if self.bucket == 1:
                    self._points.extend(values[start:start + take])
                else:
                    self._points.extend(worst(values[i:min(i + self.bucket, start + take)])
                                        for i in range(start, start + take, self.bucket))
            start += take
            self._fill = (self._fill + take) % self.bucket
            if self._fill == 0 and len(self._points) >= self.capacity:
                self._halve()

    def revise_last(self, loss: float) -> None:
        """The latest loss changed without an epoch: a number was typed in by hand. `last`
        becomes `loss`; so does its point if it holds that epoch alone, else the point keeps
        the worst of both (both happened)."""
        if self.count == 0:
            raise ValueError("there is no loss to revise yet")
        self.last = loss
        if self.count == 1:
            self.first = loss
        if loss < self.lowest:
            self.lowest = loss
        alone = self.bucket == 1 or self._fill == 1
        self._points[-1] = loss if alone else _worst(self._points[-1], loss)

    def _halve(self) -> None:
        points = self._points
        self._points = [_worst(points[i], points[i + 1]) for i in range(0, len(points), 2)]
        self.bucket *= 2

    def points(self) -> tuple[float, ...]:
        """The down-sampled losses, oldest first; point i covers epochs [i·bucket, (i+1)·bucket)."""
        return tuple(self._points)

    def __len__(self) -> int:
        return len(self._points)

    def copy(self) -> "LossHistory":
        """An independent copy; the points are plain floats, so a shallow copy of the list
        suffices (every keyframe of the timeline takes one; docs/PERFORMANCE.md)."""
        twin = copy.copy(self)
        twin._points = list(self._points)
        return twin

    def to_dict(self) -> dict:
        """Plain data (JSON-able) that `from_dict` turns back into an equal history."""
        return {"capacity": self.capacity, "bucket": self.bucket, "count": self.count,
                "points": list(self._points), "fill": self._fill,
                "first": self.first, "last": self.last, "lowest": self.lowest}

    @classmethod
    def from_dict(cls, data: dict) -> "LossHistory":
        """Rebuild a history; ValueError if `data` is not one `to_dict` could have written."""
        try:
            history = cls(int(data["capacity"]))
            history.bucket, history.count, history._fill = int(data["bucket"]), int(data["count"]), int(data["fill"])
            history._points = [float(v) for v in data["points"]]
            history.first, history.last, history.lowest = (float(data[k]) for k in ("first", "last", "lowest"))
        except (KeyError, TypeError) as error:
            raise ValueError(f"the loss history is incomplete ({error})") from None
        values = [*history._points, history.first, history.last, history.lowest]
        if not all(math.isfinite(v) for v in values):
            raise ValueError("the loss history holds values that are not finite")
        bucket, count, points = history.bucket, history.count, len(history._points)
        if (bucket < 1 or bucket & (bucket - 1) or not 0 <= history._fill < bucket
                or points > history.capacity or count < 1
                or (points - 1) * bucket + (history._fill or bucket) != count):
            raise ValueError("the loss history does not add up")
        return history

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LossHistory) and self.to_dict() == other.to_dict()
