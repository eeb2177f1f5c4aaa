"""Where the function view looks: a grid of inputs over the data, and the network's output on it.

The grid covers the data and the origin, with a quarter of their span as a margin on each side,
so a picture shows what the network predicts between the samples and beyond them. One input:
`CURVE_POINTS` points along x. Two: a `PLANE_SIDE` × `PLANE_SIDE` grid over the box. More: the
points along one input, the others held at their mean over the data.

A `FunctionGrid` is made once for a task, a network shape, a choice and a device (its inputs
live on the device), and each frame it adds its outputs to the snapshot's one device read: one
batched forward pass under the snapshot's `no_grad`, at frame time only, never per epoch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import torch
from torch import Tensor

from ..core.net import ScratchNet
from ..core.units import contributions, hinge
from .function_view import CurveView, FunctionChoice, FunctionView, PlaneView
from .snapshot import LayerView
from .tasks import Task

# Counts of 1 + a multiple of 3 × 16, so the step is a binary fraction of the range: for the
# built-in tasks the samples then lie exactly on grid points (triple: −1…5 in steps of 1/32,
# so x = 0…4 are there; xor: −0.25…1.25 in steps of 1/32, its four corners among them), and
# a table of the grid (`fit_table`, `--fit-csv`) can be read at the data's own inputs.
CURVE_POINTS = 193  # along x: a point every 1/192 of the range, finer than a braille dot at 80 columns
PLANE_SIDE = 49     # 49 × 49 over the box: finer than the map's half-block pixels at 120×40
MARGIN = 0.25       # of the data's span, on each side


def covering_range(values: Iterable[float]) -> tuple[float, float]:
    """An axis's range: the values and 0, and a quarter of their span beyond each end."""
    values = list(values)
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0
    return low - MARGIN * span, high + MARGIN * span


def axis(low: float, high: float, count: int) -> tuple[float, ...]:
    """`count` evenly spaced points from `low` to `high`, both ends included."""
    step = (high - low) / (count - 1)
    return tuple(low + i * step for i in range(count))


def choose(choice: FunctionChoice, sizes: Sequence[int]) -> FunctionChoice:
    """`choice` made to fit a network of `sizes`: the layer counted from 0 at the inputs (−1 is
    the output layer), the neuron and the input clamped to what the network has."""
    depth = len(sizes) - 1
    layer = choice.layer % depth if choice.layer < 0 else min(choice.layer, depth - 1)
    neuron = max(0, min(choice.neuron, sizes[layer + 1] - 1))
    return FunctionChoice(layer, neuron, max(0, min(choice.along, sizes[0] - 1)))


class FunctionGrid:
    """The grid's inputs for one task, network shape, choice and device, and how its outputs
    become a `FunctionView` (see the module's docstring)."""

    def __init__(self, task: Task, sizes: Sequence[int], choice: FunctionChoice, device: str | torch.device,
                 points: int = CURVE_POINTS, side: int = PLANE_SIDE) -> None:
        self.task, self.sizes = task, tuple(sizes)
        self.choice = choose(choice, self.sizes)
        self.key = (task.name, task.inputs, self.sizes, self.choice, str(device))
        columns = list(zip(*task.inputs))
        self.held = tuple(sum(column) / len(column) for column in columns) if len(columns) > 1 else ()
        self.plane = len(columns) == 2
        if self.plane:
            self.x1 = axis(*covering_range(columns[0]), side)
            self.x2 = axis(*covering_range(columns[1]), side)
            self.inputs = [(a, b) for b in self.x2 for a in self.x1]  # row by row, x2 fixed in a row
        else:
            along = self.choice.along
            self.xs = axis(*covering_range(columns[along]), points)
            self.inputs = [self.held[:along] + (x,) + self.held[along + 1:] if self.held else (x,) for x in self.xs]
        self.tensor = torch.tensor(self.inputs, device=device)
        self.output = self.choice.neuron if self.choice.layer == len(self.sizes) - 2 else 0
        self.with_units = len(self.sizes) == 3 and self.sizes[0] == 1
        self.truth = [task.truth(x) for x in self.inputs] if task.truth is not None and not self.plane else None

    def pieces(self, model: ScratchNet) -> list[Tensor]:
        """What to read for the picture, flat, in the order `view` takes them (under the
        caller's `no_grad`, in the caller's one transfer)."""
        if self.plane:
            return [model.parts(self.tensor)[self.choice.layer][1][:, self.choice.neuron]]
        found = [model(self.tensor)[:, self.output]]
        if self.with_units:
            found.append(contributions(model, self.tensor, self.output).T.flatten())
        return found

    def view(self, flat: list[float], layers: Sequence[LayerView]) -> tuple[FunctionView, list[float]]:
        """The view from the values `pieces` read (at the front of `flat`), with the layers'
        numbers (the same snapshot's); and the values that followed."""
        targets = self.task.targets
        if self.plane:
            n = len(self.inputs)
            side = len(self.x1)
            values = tuple(tuple(flat[row * side:(row + 1) * side]) for row in range(len(self.x2)))
            first = layers[0]
            output_layer = self.choice.layer == len(layers) - 1
            view = PlaneView(
                x1=self.x1, x2=self.x2, values=values, layer=self.choice.layer, neuron=self.choice.neuron,
                output_layer=output_layer,
                lines=tuple((w[0], w[1], b) for w, b in zip(first.weight, first.bias)),
                samples=tuple((x[0], x[1]) for x in self.task.inputs),
                labels=tuple(y[self.choice.neuron] for y in targets) if output_layer else None)
            return view, flat[n:]
        n = len(self.xs)
        ys, flat = tuple(flat[:n]), flat[n:]
        units, hinges, dead, bias = (), (), (), 0.0
        if self.with_units:
            hidden, out = layers
            count = hidden.out_features
            units = tuple(tuple(flat[k * n:(k + 1) * n]) for k in range(count))
            flat = flat[count * n:]
            hinges = tuple(hinge(w[0], b) for w, b in zip(hidden.weight, hidden.bias))
            dead = tuple(all(a[k] == 0 for a in hidden.outputs) for k in range(count))
            bias = out.bias[self.output]
        along = self.choice.along
        view = CurveView(
            xs=self.xs, ys=ys, output=self.output, along=along, inputs=self.sizes[0], held=self.held,
            samples=tuple((x[along], y[self.output]) for x, y in zip(self.task.inputs, targets)),
            target=None if self.truth is None else tuple(t[self.output] for t in self.truth),
            target_label=self.task.truth_label, units=units, hinges=hinges, dead=dead, output_bias=bias)
        return view, flat
