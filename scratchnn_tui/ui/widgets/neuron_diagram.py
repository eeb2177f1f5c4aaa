"""The neuron diagram: input nodes on the left, one line of arithmetic per neuron on the right.

It shows one sample of the batch at a time (`sample`): each neuron multiplies that sample's
inputs (red) by its own row of weights (green), adds its bias, and passes the sum through relu
to give its output (bold), as the article's hand-drawn figures do.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label, Static

from ...training.snapshot import LayerView
from ..numbers import INPUT, OUTPUT, TARGET, WEIGHT, fmt, sub, term
from .quiet_update import quiet_update


def input_text(index: int, value: float) -> Text:
    return Text.assemble(f"x{sub(index + 1)} ", (fmt(value), INPUT))


def neuron_text(layer: LayerView, neuron: int, sample: int, selected: tuple[int, int] | None = None) -> Text:
    """`n₁  1×5 + 2×7 + 0 = 19 → relu → 19  target 19` for neuron `neuron` on `sample`; the
    selected weight or bias (neuron, index; index = the input count for the bias) in reverse."""
    chosen = selected[1] if selected is not None and selected[0] == neuron else None
    x = layer.inputs[sample]
    w = layer.weight[neuron]
    b = layer.bias[neuron]
    z = layer.pre_activation[sample][neuron]
    a = layer.outputs[sample][neuron]
    text = Text(f"n{sub(neuron + 1)}  ")
    for i, (xi, wi) in enumerate(zip(x, w)):
        if i:
            text.append(" + ")
        text.append_text(term(xi, INPUT))
        text.append("×")
        text.append_text(term(wi, WEIGHT + (" reverse" if chosen == i else "")))
    text.append(" - " if b < 0 else " + ")
    text.append(fmt(abs(b)), style=WEIGHT + (" reverse" if chosen == len(x) else ""))
    text.append(f" = {fmt(z)} → relu → ")
    text.append(fmt(a), style=OUTPUT)
    text.append(f"  target {fmt(layer.targets[sample][neuron])}", style=TARGET)
    if all(row[neuron] <= 0 for row in layer.pre_activation):
        # relu's slope is 0 for z ≤ 0: with every sample there, no gradient reaches this neuron.
        text.append("  dead: z ≤ 0 on every sample", style="bold yellow")
    return text


class InputNode(Static):
    """One input of the current sample, in red."""

    DEFAULT_CSS = "InputNode { width: auto; height: 1; }"


class OutputNeuron(Static):
    """One neuron's weighted sum, activation and output for the current sample."""

    DEFAULT_CSS = "OutputNeuron { width: 1fr; height: 1; }"


class NeuronDiagram(Widget):
    """Inputs and neurons of the layer for one sample; rebuilt only when the layer's shape changes."""

    DEFAULT_CSS = """
    NeuronDiagram { layout: horizontal; height: auto; }
    NeuronDiagram > #inputs { width: auto; height: auto; padding-right: 4; }
    NeuronDiagram > #neurons { width: 1fr; height: auto; }
    NeuronDiagram Label { color: $text-muted; }
    """

    sample: reactive[int] = reactive(0)
    """Which row of the batch the diagram shows."""

    selected: reactive[tuple[int, int]] = reactive((0, 0))
    """The selected weight (neuron, index) or bias (index = the input count), shown reversed."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._layer: LayerView | None = None

    def compose(self) -> ComposeResult:
        yield Vertical(Label("inputs"), id="inputs")
        yield Vertical(Label("neurons: Σ xᵢ×wᵢ + b → relu → output"), id="neurons")

    async def show(self, layer: LayerView) -> None:
        """Display `layer`; add or remove node widgets only if its shape changed."""
        shape_changed = (self._layer is None or layer.in_features != self._layer.in_features
                         or layer.out_features != self._layer.out_features)
        self._layer = layer
        if self.sample >= layer.batch_size:
            self.sample = 0
        if shape_changed:
            await self.query("InputNode, OutputNeuron").remove()
            await self.query_one("#inputs").mount_all(InputNode() for _ in range(layer.in_features))
            await self.query_one("#neurons").mount_all(OutputNeuron() for _ in range(layer.out_features))
        self._update_nodes()

    def next_sample(self) -> None:
        if self._layer is not None:
            self.sample = (self.sample + 1) % self._layer.batch_size

    def watch_sample(self) -> None:
        self._update_nodes()

    def watch_selected(self) -> None:
        self._update_nodes()

    def _update_nodes(self) -> None:
        layer = self._layer
        if layer is None:
            return
        quiet_update(self.query_one("#inputs > Label", Label),
                     f"sample {self.sample + 1}/{layer.batch_size}" if layer.batch_size > 1 else "inputs")
        for index, node in enumerate(self.query(InputNode)):
            quiet_update(node, input_text(index, layer.inputs[self.sample][index]))
        for index, node in enumerate(self.query(OutputNeuron)):
            quiet_update(node, neuron_text(layer, index, self.sample, self.selected))
