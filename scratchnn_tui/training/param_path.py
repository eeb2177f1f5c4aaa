"""The path the weights took: every parameter after each epoch, for the surface view to draw.

The optimizer's walk over the loss surface is the history of the weights. The loss history
(`history`) keeps one number an epoch; this keeps all of the network's numbers, flat, in
`named_parameters()` order, so whichever two the view is drawn over, their path is there.

An epoch adds its point as one `torch.cat` of the parameters (a few µs on a cpu, a small share
of an epoch: docs/PERFORMANCE.md); the points wait as tensors and are read with the snapshot's
one device transfer, as the losses are. A point is kept per *moment* (an epoch, or a number
typed in by hand), so stepping back (`b`) drops the points after the moment gone back to, and
the replay that follows records them again: keyframes and replay give the same path, bit for
bit, because they give the same weights.

A long run would hold a million points: past `capacity` every other point goes and only every
second epoch (then every fourth, …) is kept, as the loss chart's buckets double. The start and
the latest point are always kept.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor, nn

DEFAULT_CAPACITY = 1024  # points: every epoch of a 1,000-epoch run, then every 2nd, 4th, …
# A frame's view walks the whole path (its window, the points it draws): at 4,096 points that
# cost the training process ~6 ms a full frame, at 1,024 ~1.5 ms (docs/PERFORMANCE.md).


class ParameterPath:
    """The weights at each kept moment since the set-up began (or was loaded), oldest first."""

    def __init__(self, model: nn.Module, moment: int = 0, epoch: int = 0,
                 capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self.every = 1  # epochs between kept points (a power of two)
        self.moments: list[int] = []
        self.epochs: list[int] = []
        self.values: list[tuple[float, ...]] = []
        self._pending: list[tuple[int, int, Tensor]] = []
        self.names = [name for name, _ in model.named_parameters()]
        self.size = sum(p.numel() for p in model.parameters())  # numbers a point holds
        self.add(model, moment, epoch)

    def tracer(self, model: nn.Module, edits: int) -> Callable[[int], None]:
        """What the training loop calls after each epoch (`fast_loop.train_epochs`'s `trace`):
        it keeps the weights after `epoch`, a moment `epoch + edits`."""
        flat = [p.detach().view(-1) for p in model.parameters()]  # views: they see each update
        pending = self._pending

        def trace(epoch: int) -> None:
            if epoch % self.every == 0:
                pending.append((epoch + edits, epoch, torch.cat(flat)))
                if len(pending) >= self.capacity:  # a long run read by no frame (headless)
                    self.read()
        return trace

    def add(self, model: nn.Module, moment: int, epoch: int) -> None:
        """Keep the weights as they are now (the start, or an edit), at `moment`."""
        with torch.no_grad():
            self._pending.append((moment, epoch, torch.cat([p.detach().reshape(-1) for p in model.parameters()])))

    def pending(self) -> list[Tensor]:
        """The points not read yet, as tensors, for the caller's one transfer (`accept`)."""
        return [tensor for _, _, tensor in self._pending]

    def accept(self, flat: list[float]) -> list[float]:
        """Take in the pending points from the front of `flat`, their values in the order
        `pending` gave; the values that followed."""
        size = self.size
        for k, (moment, epoch, _) in enumerate(self._pending):
            self._keep(moment, epoch, tuple(flat[k * size:(k + 1) * size]))
        rest = flat[len(self._pending) * size:]
        self._pending.clear()  # the same list: a tracer appends to it
        return rest

    def read(self) -> None:
        """Read the pending points from their device (one transfer)."""
        if self._pending:
            self.accept(torch.cat(self.pending()).tolist())

    def _keep(self, moment: int, epoch: int, values: tuple[float, ...]) -> None:
        while self.moments and self.moments[-1] >= moment:  # a moment kept again (after `b`)
            self._pop()
        self.moments.append(moment)
        self.epochs.append(epoch)
        self.values.append(values)
        if len(self.values) > self.capacity:
            self._halve()

    def _pop(self) -> None:
        self.moments.pop()
        self.epochs.pop()
        self.values.pop()

    def _halve(self) -> None:
        """Every other point goes (the first and the last stay), and from now on every second
        epoch is kept of those that come."""
        keep = list(range(0, len(self.values) - 1, 2)) + [len(self.values) - 1]
        self.moments = [self.moments[i] for i in keep]
        self.epochs = [self.epochs[i] for i in keep]
        self.values = [self.values[i] for i in keep]
        self.every *= 2

    def drop_after(self, moment: int) -> None:
        """Forget the points after `moment` (the session went back there; `b`)."""
        self.read()
        while self.moments and self.moments[-1] > moment:
            self._pop()

    def points(self, first: int, second: int) -> tuple[tuple[tuple[float, float], ...], tuple[int, ...]]:
        """The path of two parameters (their flat places): (p₁, p₂) at each kept point, and
        the epochs of those points."""
        self.read()
        return tuple((v[first], v[second]) for v in self.values), tuple(self.epochs)


def flat_index(model: nn.Module, layer: int, neuron: int, index: int) -> int:
    """Where neuron `neuron`'s weight `index` (its bias: index = in_features) of layer `layer`
    sits in the parameters laid end to end, `named_parameters()` order."""
    offset = 0
    for k, module in enumerate(model.layers):
        n_in, n_out = module.in_features, module.out_features
        if k == layer:
            return offset + (n_out * n_in + neuron if index >= n_in else neuron * n_in + index)
        offset += n_out * n_in + n_out
    raise IndexError(f"the network has no layer {layer}")
