"""What the selection means for the function view: which picture to ask for, what to mark on it.

Pure: from a snapshot, the layer shown and the selected weight (as the gradient panel holds
them). The selection is one thing on screen, so the picture follows it: ↑/↓ pick the neuron
whose output the plane shows, `[`/`]` its layer, ←/→ on the first layer the input a curve runs
along; with one hidden layer the selected unit's term is drawn bold.
"""

from __future__ import annotations

from ..runtime.requests import ChooseFunction
from ..training.function_view import CurveView, PlaneView
from ..training.snapshot import Snapshot
from .function_picture import Marks


def function_choice(snapshot: Snapshot, layer: int, selected: tuple[int, int], along: int) -> ChooseFunction:
    """The picture to ask for: the selected neuron of `layer`, along the selected input when
    the first layer is shown and a weight (not the bias) is selected, else along `along`."""
    neuron, index = selected
    if layer == 0 and index < snapshot.sizes[0]:
        along = index
    output = layer == len(snapshot.layers) - 1
    return ChooseFunction(-1 if output else layer, neuron, along)  # −1: the session's first choice


def function_marks(snapshot: Snapshot, layer: int, selected: tuple[int, int]) -> Marks:
    """The probe's point on the picture, and the hidden unit to draw bold: the selected neuron
    on the hidden layer, or the unit whose weight into the output is selected."""
    view = snapshot.function
    probe = None
    typed = snapshot.probe_at(0)  # the first layer's inputs are the numbers typed in
    if typed is not None and isinstance(view, PlaneView):
        probe = typed.inputs[0], typed.inputs[1]
    elif typed is not None and isinstance(view, CurveView):
        probe = typed.inputs[view.along], snapshot.probe.outputs[view.output]
    unit = None
    if isinstance(view, CurveView) and view.units:
        neuron, index = selected
        unit = neuron if layer == 0 else index if index < len(view.units) else None
    return Marks(probe=probe, unit=unit)
