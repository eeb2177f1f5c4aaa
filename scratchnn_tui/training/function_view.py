"""The function the network computes, as the function view draws it: plain numbers on a grid.

Two kinds, by the network's inputs:
    - a `CurveView` for one input (or, for more than two, along one of them with the others
      held at their mean over the data): the output at each x, the data, the true function
      where the task has one, and with one hidden layer each unit's term vₖ·relu(wₖx + bₖ);
    - a `PlaneView` for two inputs: one neuron's output over a box of the input plane.

Made in the training process from the session's network (`function_grid`), one batched forward
pass without autograd; frozen and torch-free, so the UI imports it, as it does `snapshot`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FunctionChoice:
    """What the view is asked to show: neuron `neuron` of layer `layer` (−1: the output layer)
    over the plane, or the curve along input `along`. The UI's selection decides it."""

    layer: int = -1
    neuron: int = 0
    along: int = 0


@dataclass(frozen=True)
class CurveView:
    """Output `output` of the network along input `along`, at the points `xs` (ascending).

    `held` gives each input's value where it does not vary (its mean over the data); it is
    empty for a network of one input. `samples` are the data, as (x along, target).
    With one input and one hidden layer, `units[k][i]` is unit k's term at `xs[i]`, and the
    output is their sum plus `output_bias`; `hinges[k]` is where unit k switches on (None:
    its weight is 0) and `dead[k]` says it is zero on every sample (it learns nothing).
    """

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    output: int
    along: int
    inputs: int
    held: tuple[float, ...]
    samples: tuple[tuple[float, float], ...]
    target: tuple[float, ...] | None = None  # the task's true function at xs
    target_label: str = ""
    units: tuple[tuple[float, ...], ...] = ()
    hinges: tuple[float | None, ...] = ()
    dead: tuple[bool, ...] = ()
    output_bias: float = 0.0

    @property
    def x_range(self) -> tuple[float, float]:
        return self.xs[0], self.xs[-1]


@dataclass(frozen=True)
class PlaneView:
    """Neuron `neuron`'s output in layer `layer` (from 0 at the inputs) over the box
    x1 × x2: `values[j][i]` is its output at (x1[i], x2[j]).

    `lines` are the first layer's units as (w₁, w₂, b): unit k switches on where
    w₁x₁ + w₂x₂ + b = 0. `samples` are the data's inputs; `labels` their targets for this
    neuron when it is an output (nobody sets a hidden neuron's target: None).
    """

    x1: tuple[float, ...]
    x2: tuple[float, ...]
    values: tuple[tuple[float, ...], ...]
    layer: int
    neuron: int
    output_layer: bool
    lines: tuple[tuple[float, float, float], ...]
    samples: tuple[tuple[float, float], ...]
    labels: tuple[float, ...] | None

    @property
    def value_range(self) -> tuple[float, float]:
        return min(map(min, self.values)), max(map(max, self.values))


FunctionView = CurveView | PlaneView
