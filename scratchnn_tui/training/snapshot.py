"""What the UI is allowed to see: frozen records of plain Python numbers, never tensors.

A `Snapshot` is taken on the training thread (one device synchronisation for all of it) and
handed to the UI, which renders from it alone. No torch import here: the UI imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .device_speeds import DeviceSpeeds
from .function_view import CurveView, PlaneView
from .race_view import RaceView
from .surface_view import SurfaceView

Matrix = tuple[tuple[float, ...], ...]


def _rows(flat: list[float], rows: int, cols: int) -> Matrix:
    return tuple(tuple(flat[r * cols:(r + 1) * cols]) for r in range(rows))


@dataclass(frozen=True)
class LayerView:
    """One layer's numbers on the whole batch. Shapes: X (batch × in), W (out × in), b (out),
    Z and A and Y (batch × out).

    X is the samples for the first layer and the outputs A of the layer below for the others;
    Y, the targets, belongs to the output layer only (None for a hidden layer: nobody says what
    a hidden neuron should output, the gradient decides)."""

    inputs: Matrix
    weight: Matrix
    bias: tuple[float, ...]
    pre_activation: Matrix
    outputs: Matrix
    targets: Matrix | None
    relu: bool = True  # A = relu(Z); False for the linear output layer of a deeper net
    position: int = 0  # 0 for the layer next to the inputs, counting up

    @classmethod
    def unflatten(cls, flat: list[float], inputs: Matrix, targets: Matrix | None, n_out: int | None = None,
                  relu: bool = True, position: int = 0) -> tuple["LayerView", list[float]]:
        """The view from one flat device read of W, b, Z and A in that order (the layer's inputs
        are known, and the targets if it is the output layer), and the values that followed."""
        n_in, batch = len(inputs[0]), len(inputs)
        n_out = len(targets[0]) if n_out is None else n_out
        weight, flat = _rows(flat, n_out, n_in), flat[n_out * n_in:]
        bias, flat = tuple(flat[:n_out]), flat[n_out:]
        pre, flat = _rows(flat, batch, n_out), flat[batch * n_out:]
        out, flat = _rows(flat, batch, n_out), flat[batch * n_out:]
        return cls(inputs=inputs, weight=weight, bias=bias, pre_activation=pre, outputs=out,
                   targets=targets, relu=relu, position=position), flat

    @property
    def in_features(self) -> int:
        return len(self.weight[0])

    @property
    def out_features(self) -> int:
        return len(self.weight)

    @property
    def batch_size(self) -> int:
        return len(self.inputs)

    @property
    def input_symbol(self) -> str:
        """What the maths calls this layer's inputs: `x` (the samples) for the first layer,
        `a` (the outputs of the layer below) for the others."""
        return "x" if self.position == 0 else "a"


@dataclass(frozen=True)
class ProbeView:
    """The layer's arithmetic for one input the user typed (p), which is not in the batch:
    what the network answers for it with today's weights (no target: nobody said)."""

    inputs: tuple[float, ...]
    pre_activation: tuple[float, ...]  # z, one per neuron
    outputs: tuple[float, ...]         # a = relu(z)


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def number_name(neuron: int, index: int, in_features: int) -> str:
    """`w₁₂` (neuron 1's weight on input 2) or `b₁` (index = in_features: the bias), counting
    from 1 as the maths does; the name every message and panel uses."""
    if index >= in_features:
        return f"b{str(neuron + 1).translate(_SUBSCRIPTS)}"
    return f"w{str(neuron + 1).translate(_SUBSCRIPTS)}{str(index + 1).translate(_SUBSCRIPTS)}"


State = tuple[tuple[str, float], ...]  # the optimizer's numbers for one parameter, by torch's names


@dataclass(frozen=True)
class NumberUpdate:
    """One weight or bias through one update."""

    before: float
    after: float
    by_hand: float    # ∂L/∂w from the chain rule written out
    autograd: float   # what loss.backward() left in .grad
    state_before: State
    state_after: State


@dataclass(frozen=True)
class LayerUpdate:
    """One layer's part of an update: its forward pass before the update, the backward pass's
    ∂L/∂A and ∂L/∂Z (batch × out), and each weight and bias through the update."""

    relu: bool
    inputs: Matrix          # X: the samples, or the layer below's A
    pre_activation: Matrix  # Z before the update
    outputs: Matrix         # A before the update
    d_outputs: Matrix       # ∂L/∂A
    d_pre: Matrix           # ∂L/∂Z = ∂L/∂A ⊙ relu′(Z)
    weight: tuple[tuple[NumberUpdate, ...], ...]  # out × in
    bias: tuple[NumberUpdate, ...]


@dataclass(frozen=True)
class UpdateView:
    """The update of epoch `epoch` (the log's numbering: the update that made epoch + 1 epochs),
    for every layer (`layers`, from the inputs up).

    `relu`, `inputs`, `pre_activation`, `outputs`, `weight` and `bias` read layer `shown`'s
    (the output layer unless `at` chose another), so one explanation serves any layer."""

    epoch: int
    optimizer_key: str
    optimizer: str
    settings: tuple[tuple[str, float], ...]  # the optimizer's lr, momentum, betas, eps
    targets: Matrix
    layers: tuple[LayerUpdate, ...]
    shown: int = -1

    def at(self, layer: int) -> "UpdateView":
        """This update, read at `layer` (−1: the output layer)."""
        return replace(self, shown=layer)

    @property
    def layer_index(self) -> int:
        """The layer read, counted from 0 at the inputs."""
        return self.shown % len(self.layers)

    @property
    def is_output(self) -> bool:
        return self.layer_index == len(self.layers) - 1

    @property
    def above(self) -> LayerUpdate | None:
        """The layer the shown one feeds (None for the output layer): its ∂L/∂Z and weights
        carry the gradient down to the shown layer's outputs."""
        return None if self.is_output else self.layers[self.layer_index + 1]

    @property
    def relu(self) -> bool:
        return self.layers[self.shown].relu

    @property
    def inputs(self) -> Matrix:
        return self.layers[self.shown].inputs

    @property
    def pre_activation(self) -> Matrix:
        return self.layers[self.shown].pre_activation

    @property
    def outputs(self) -> Matrix:
        return self.layers[self.shown].outputs

    @property
    def weight(self) -> tuple[tuple[NumberUpdate, ...], ...]:
        return self.layers[self.shown].weight

    @property
    def bias(self) -> tuple[NumberUpdate, ...]:
        return self.layers[self.shown].bias


@dataclass(frozen=True)
class GpuView:
    """The GPU the session trains on, as the status line shows it: its name and the memory
    PyTorch's tensors hold there (torch.cuda.memory_allocated), read in the training process."""

    name: str
    memory_allocated: int  # bytes


@dataclass(frozen=True)
class Snapshot:
    """The session at one moment.

    `losses[k]` is the training loss after k epochs (`losses[0]` is the loss of the initial
    weights) while the run is short; a long run is down-sampled (see `engine.history`): then
    each point is the worst loss of `loss_bucket` consecutive epochs. `loss`, `loss_first` and
    `loss_lowest` are always exact.
    """

    task: str
    task_title: str
    optimizer: str        # label, e.g. "SGD" or "Solved"
    optimizer_key: str    # registry key, e.g. "sgd"
    lr: float
    device: str
    seed: int
    epoch: int
    loss: float
    losses: tuple[float, ...]
    loss_bucket: int
    loss_first: float
    loss_lowest: float
    layer: LayerView  # the output layer
    solved_available: bool
    unsaved: bool = False  # progress a quit would lose without the autosave
    init: str = "uniform"  # how the weights started: uniform (nn.Linear's) or zero
    update: UpdateView | None = None  # the last update stepped, number by number
    probe: ProbeView | None = None  # the typed-in input the diagram shows instead of a sample
    run_speed: int | None = None  # run mode's epochs a second; None: as fast as it goes
    race: RaceView | None = None  # while the optimizers race (x): the board; the rest is the session's
    gpu: GpuView | None = None  # on a CUDA device: its name and the memory held there
    device_speeds: DeviceSpeeds | None = None  # the last measurement of the device view (D)
    hidden_layers: tuple[LayerView, ...] = ()  # the layers below the output layer, inputs first
    hidden_probes: tuple[ProbeView, ...] = ()  # the probe's arithmetic in each of them
    function: CurveView | PlaneView | None = None  # what the network computes over a grid (f)
    surface: SurfaceView | None = None  # the loss over two parameters and the path on it (v), while shown
    lesson: int = 0  # the lesson's step this session is (a), counted from 1; 0: the user's own session
    linear_checks: tuple[Matrix, ...] = ()  # each layer's Z by nn.Linear from its numbers, while the code view (s) is open

    @property
    def layers(self) -> tuple[LayerView, ...]:
        """Every layer, from the inputs up: the hidden ones, then the output layer."""
        return (*self.hidden_layers, self.layer)

    def layer_at(self, index: int) -> LayerView:
        return self.layers[index]

    def probe_at(self, index: int) -> ProbeView | None:
        """The probe's arithmetic in layer `index` (None without a probe)."""
        if self.probe is None:
            return None
        return (*self.hidden_probes, self.probe)[index]

    @property
    def sizes(self) -> tuple[int, ...]:
        """The network's widths, inputs first (`[in, hidden…, out]`)."""
        return (self.layers[0].in_features, *(layer.out_features for layer in self.layers))

    def progressed(self, epoch: int, loss: float, unsaved: bool) -> "Snapshot":
        """This snapshot moved on to `epoch`, the rest (layer, losses, …) as it was: what a
        light frame shows (see `Frame.full`)."""
        return replace(self, epoch=epoch, loss=loss, unsaved=unsaved)


@dataclass(frozen=True)
class Frame:
    """A snapshot as the training thread publishes it, with the thread's own state."""

    snapshot: Snapshot
    running: bool
    seq: int  # increases with every frame, so tests can wait for the latest one
    steps_per_second: float | None = None  # epochs a second on the current device, while running
    published_at: float = 0.0  # the worker's time.monotonic() when it sent the frame: one clock
    # for every process on the machine (Linux's CLOCK_MONOTONIC), so a receiver can time the
    # training itself rather than its own event loop's delays in noticing frames
    full: bool = True
    """Whether the whole snapshot was read for this frame. While a run goes on, most frames are
    light: only `epoch`, `loss` and `unsaved` are new, and the rest is the last full frame's
    (a few tenths of a second old). A paused frame is full, unless reading the device failed:
    then the frame before it is repeated, paused."""

    def light(self) -> tuple:
        """A light frame as plain numbers, without what it shares with the frame before."""
        snap = self.snapshot
        return (self.running, self.seq, self.steps_per_second, self.published_at,
                snap.epoch, snap.loss, snap.unsaved)

    @classmethod
    def from_light(cls, previous: "Frame", light: tuple) -> "Frame":
        """The light frame that followed `previous`, from `light()`'s numbers."""
        running, seq, rate, published_at, epoch, loss, unsaved = light
        return cls(snapshot=previous.snapshot.progressed(epoch, loss, unsaved), running=running,
                   seq=seq, steps_per_second=rate, published_at=published_at, full=False)
