"""What the UI is allowed to see: frozen records of plain Python numbers, never tensors.

A `Snapshot` is taken on the training thread (one device synchronisation for all of it) and
handed to the UI, which renders from it alone. No torch import here: the UI imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .race_view import RaceView

Matrix = tuple[tuple[float, ...], ...]


def _rows(flat: list[float], rows: int, cols: int) -> Matrix:
    return tuple(tuple(flat[r * cols:(r + 1) * cols]) for r in range(rows))


@dataclass(frozen=True)
class LayerView:
    """The layer's numbers on the whole batch. Shapes: X (batch × in), W (out × in), b (out),
    Z and A and Y (batch × out)."""

    inputs: Matrix
    weight: Matrix
    bias: tuple[float, ...]
    pre_activation: Matrix
    outputs: Matrix
    targets: Matrix

    @classmethod
    def unflatten(cls, flat: list[float], inputs: Matrix, targets: Matrix) -> tuple["LayerView", list[float]]:
        """The view from one flat device read of W, b, Z and A in that order (the batch's
        inputs and targets are known), and the values that followed them in the read."""
        n_in, n_out, batch = len(inputs[0]), len(targets[0]), len(inputs)
        weight, flat = _rows(flat, n_out, n_in), flat[n_out * n_in:]
        bias, flat = tuple(flat[:n_out]), flat[n_out:]
        pre, flat = _rows(flat, batch, n_out), flat[batch * n_out:]
        out, flat = _rows(flat, batch, n_out), flat[batch * n_out:]
        return cls(inputs=inputs, weight=weight, bias=bias, pre_activation=pre, outputs=out,
                   targets=targets), flat

    @property
    def in_features(self) -> int:
        return len(self.weight[0])

    @property
    def out_features(self) -> int:
        return len(self.weight)

    @property
    def batch_size(self) -> int:
        return len(self.inputs)


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
class UpdateView:
    """The update of epoch `epoch` (the log's numbering: the update that made epoch + 1 epochs)."""

    epoch: int
    optimizer_key: str
    optimizer: str
    settings: tuple[tuple[str, float], ...]  # the optimizer's lr, momentum, betas, eps
    relu: bool
    inputs: Matrix
    pre_activation: Matrix  # Z before the update
    outputs: Matrix         # A before the update
    targets: Matrix
    weight: tuple[tuple[NumberUpdate, ...], ...]  # out × in
    bias: tuple[NumberUpdate, ...]


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
    layer: LayerView
    solved_available: bool
    unsaved: bool = False  # progress a quit would lose without the autosave
    init: str = "uniform"  # how the weights started: uniform (nn.Linear's) or zero
    update: UpdateView | None = None  # the last update stepped, number by number
    probe: ProbeView | None = None  # the typed-in input the diagram shows instead of a sample
    run_speed: int | None = None  # run mode's epochs a second; None: as fast as it goes
    race: RaceView | None = None  # while the optimizers race (x): the board; the rest is the session's

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
