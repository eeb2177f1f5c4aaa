"""Typing a number in: `enter` on the selected weight or bias, `p` for a probe input, and the
requests an accepted value sends. Mixed into ScratchApp; the field itself is
`widgets/number_field.py`, its checks `training.values`."""

from __future__ import annotations

from ..runtime.requests import Pause, SetNumber, SetProbe
from ..training.snapshot import number_name
from ..training.values import check_number
from .widgets.gradient_panel import GradientPanel
from .widgets.number_field import NumberField, check_probe


class FieldKeys:
    """Mixed into ScratchApp: the keys that open the number field, and what its value does."""

    _editing: tuple[int, int, int]  # the weight or bias the field was opened on, and its layer

    def action_edit_number(self) -> None:
        """Open the inline field on the selected weight or bias, prefilled with its value."""
        if self.frame is None:
            return
        shown = self._layer_index(self.frame.snapshot)
        layer = self.frame.snapshot.layer_at(shown)
        neuron, index = self.query_one(GradientPanel).selected
        name = number_name(neuron, index, layer.in_features)
        value = layer.bias[neuron] if index == layer.in_features else layer.weight[neuron][index]
        self._editing = (neuron, index, shown)  # the arrows may move the selection while one types
        # 9 significant digits write a float32 exactly: accepting the field unchanged changes nothing.
        self.query_one(NumberField).open("number", f"{name} =", f"{value:.9g}",
                                         lambda text: check_number(text, name))

    def action_probe(self) -> None:
        """Open the inline field for an input that is not in the batch (empty: stop probing)."""
        if self.frame is None:
            return
        snapshot = self.frame.snapshot
        inputs = snapshot.layers[0].in_features  # the network's inputs, whichever layer is shown
        current = " ".join(f"{v:g}" for v in snapshot.probe.inputs) if snapshot.probe else ""
        prompt = f"probe x ({inputs} number{'s' if inputs > 1 else ''}; empty stops) ="
        self.query_one(NumberField).open("probe", prompt, current, lambda text: check_probe(text, inputs))

    def on_number_field_accepted(self, message: NumberField.Accepted) -> None:
        if message.purpose == "probe":
            self.worker.send(SetProbe(check_probe(message.value, self.frame.snapshot.layers[0].in_features)))
        else:
            neuron, index, layer = self._editing
            self.worker.send(Pause())
            self.worker.send(SetNumber(neuron, index, message.value, layer))
