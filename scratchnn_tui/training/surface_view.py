"""The loss surface, as the surface view draws it: plain numbers over a window of two parameters.

The loss is a function of every weight and bias. Over two of them, with the rest held where
they are, it is a surface L(p₁, p₂) that can be drawn: a heat map of the loss at each point of
a grid, with the path the optimizer walked over it. For `triple` (one neuron: w₁₁ and b₁) the two
are all the network has, so the picture is the whole loss, exactly; for a larger network it is
a slice, and says so.

Made in the training process (`surface_grid`, `session_surface`); frozen and torch-free, so
the UI imports it, as it does `snapshot`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SurfaceChoice:
    """What the view is asked to show: whether it is on screen at all (the grid costs nothing
    while it is not), and the parameter the selection is on: neuron `neuron`'s weight `index`
    of layer `layer` (−1: the output layer), its bias when `index` is the layer's input count.
    The slice runs through that number and the bias of the same neuron (through the neuron's
    first weight and its bias when the bias is selected)."""

    shown: bool = False
    layer: int = -1
    neuron: int = 0
    index: int = 0


@dataclass(frozen=True)
class Pair:
    """The two parameters a surface is drawn over, as the rest of the screen names them.

    `layer` counts from 0 at the inputs; `first` is the weight (neuron, input), the second the
    same neuron's bias. `names` are the screen's (`w₁₁`, `b₁`); `plain` the same without
    subscripts (`w11`, `b1`, and `layer2_w11` in a deeper network), for a table's columns."""

    layer: int
    neuron: int
    index: int
    names: tuple[str, str]
    plain: tuple[str, str]
    depth: int = 1  # the network's layers: names are per layer when there is more than one


@dataclass(frozen=True)
class SurfacePath:
    """One optimizer's walk over the surface: its (p₁, p₂) after each epoch kept, oldest first.

    `epochs[i]` is the epoch of `points[i]`; the first is where the run (or the race) began and
    the last is where the weights are now. `step` is where the next epoch's update would take
    the last point (None where it is not known, as in a race). `key` is the optimizer's
    registry key (sgd, momentum, adam, solved), `label` what the screen calls it.
    """

    key: str
    label: str
    points: tuple[tuple[float, float], ...]
    epochs: tuple[int, ...]
    step: tuple[float, float] | None = None
    step_rule: str = ""  # what the step is, in symbols: "−lr·∂L/∂θ", "−lr·v", …

    @property
    def current(self) -> tuple[float, float]:
        return self.points[-1]


@dataclass(frozen=True)
class SurfaceView:
    """The loss over the window p₁ × p₂: `losses[j][i]` is L at (`p1[i]`, `p2[j]`), `p1` and
    `p2` ascending. `exact`: the network has these two parameters and no others (the whole
    surface); otherwise a slice, every other parameter held at its value `held_at` ("now", or
    "the race's start"). `answer` is the task's known answer in these coordinates, if it has
    one for this network; `paths` the optimizers' walks (one, or one per racer)."""

    pair: Pair
    p1: tuple[float, ...]
    p2: tuple[float, ...]
    losses: tuple[tuple[float, ...], ...]
    exact: bool
    paths: tuple[SurfacePath, ...]
    answer: tuple[float, float] | None = None
    held_at: str = "now"

    @property
    def names(self) -> tuple[str, str]:
        return self.pair.names

    @property
    def window(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The window's ranges: (p₁ low, p₁ high), (p₂ low, p₂ high)."""
        return (self.p1[0], self.p1[-1]), (self.p2[0], self.p2[-1])
