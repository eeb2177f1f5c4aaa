"""The neuron diagram: input nodes on the left, one edge per weight into each neuron, and each
neuron's weighted sum, relu and output beside its node, as the article's hand-drawn figures.

It shows one sample of the batch at a time (`sample`), or the input the user typed (a probe).
The drawing itself is `diagram_figure.figure`, a pure function tested without an app; this widget
holds its pieces and updates their text, rebuilding child widgets only when the number of drawn
neurons changes. A click on a weight or a bias (on its edge or in a sum) posts `Selected`.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from ...training.snapshot import LayerView, ProbeView
from .diagram_figure import PICK, Figure, figure, input_text, neuron_text
from .quiet_update import quiet_update

__all__ = ["NeuronDiagram", "OutputNeuron", "InputEdges", "figure", "input_text", "neuron_text"]

FALLBACK_WIDTH = 76  # an 80-column terminal less the panel's border and padding


class DiagramPart(Static):
    """A piece of the figure."""


class InputEdges(DiagramPart):
    """One neuron's rows of the drawing: the inputs' wires, its edges and its node."""

    DEFAULT_CSS = "InputEdges { width: auto; height: auto; text-wrap: nowrap; padding-right: 1; }"


class OutputNeuron(DiagramPart):
    """One neuron's weighted sum, activation, output and target, for the sample or the probe."""

    DEFAULT_CSS = "OutputNeuron { width: 1fr; height: auto; }"


class NeuronDiagram(Widget):
    """The layer for one sample (or a probe) as a diagram; see `diagram_figure`."""

    DEFAULT_CSS = """
    NeuronDiagram { layout: vertical; height: auto; }
    NeuronDiagram > Horizontal { height: auto; }
    NeuronDiagram > DiagramPart { height: auto; }
    """

    class Selected(Message):
        """A weight (index < the input count) or a bias (index = the input count) was clicked."""

        def __init__(self, neuron: int, index: int) -> None:
            super().__init__()
            self.neuron = neuron
            self.index = index

    sample: reactive[int] = reactive(0)
    """Which row of the batch the diagram shows (when there is no probe)."""

    selected: reactive[tuple[int, int]] = reactive((0, 0))
    """The selected weight (neuron, index) or bias (index = the input count), shown reversed."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._layer: LayerView | None = None
        self._probe: ProbeView | None = None
        self._figure: Figure | None = None
        self._rows: list[tuple[Horizontal, InputEdges, OutputNeuron]] = []
        self._rebuilding = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield DiagramPart(id="heading")
        yield DiagramPart(id="others")
        yield DiagramPart(id="legend")

    @property
    def figure(self) -> Figure | None:
        """What the diagram shows now."""
        return self._figure

    @property
    def layer_view(self) -> LayerView | None:
        """The layer on show (one of a deeper network's, as `[` and `]` page). Not `layer`:
        that name is Textual's (the compositing layer a widget is drawn in), and a widget whose
        `layer` differs from its siblings' is laid out on top of them, not below."""
        return self._layer

    async def show(self, layer: LayerView, probe: ProbeView | None = None) -> None:
        """Display `layer`, for `probe` (an input not in the batch) if given, else for batch
        row `sample`; add or remove widgets only if the number of drawn neurons changed."""
        self._layer, self._probe = layer, probe
        if self.sample >= layer.batch_size:
            self.set_reactive(NeuronDiagram.sample, 0)
        drawn = self._draw()
        if drawn is not None and len(drawn.blocks) != len(self._rows):
            await self._rebuild()

    def rows_for(self, width: int) -> int:
        """The rows the diagram takes at `width` columns: the figure's height (one line while
        the session loads)."""
        if self._layer is None:
            return 1
        return figure(self._layer, self.sample, self.selected, self._probe, max(width, 20)).height

    def next_sample(self) -> None:
        if self._layer is not None:
            self.sample = (self.sample + 1) % self._layer.batch_size

    def watch_sample(self) -> None:
        self._redraw()

    def watch_selected(self) -> None:
        self._redraw()

    def on_click(self, event: events.Click) -> None:
        """A click on a weight or a bias (its edge, or its number in a sum) selects it."""
        picked = event.style.meta.get(PICK)
        if picked is not None:
            event.stop()
            neuron, index = picked
            self.post_message(self.Selected(neuron, index))

    def on_resize(self, event: events.Resize) -> None:
        self._redraw()

    def _width(self) -> int:
        return self.size.width if self.size.width >= 20 else FALLBACK_WIDTH

    def _redraw(self) -> None:
        drawn = self._draw()
        if drawn is not None and len(drawn.blocks) != len(self._rows):
            self.call_later(self._rebuild)

    def _draw(self) -> Figure | None:
        """Render the figure and fill the widgets that exist; the caller rebuilds if their number
        does not match."""
        layer = self._layer
        if layer is None or not self.is_mounted:
            return None
        drawn = self._figure = figure(layer, self.sample, self.selected, self._probe, self._width())
        if len(drawn.blocks) == len(self._rows):
            self._fill(drawn)
        return drawn

    async def _rebuild(self) -> None:
        """Mount one row (edges, neuron) per drawn block, for the latest figure. Serialised: a
        frame and a key press may both find the count changed."""
        async with self._rebuilding:
            drawn = self._figure
            if drawn is None:
                return
            if len(drawn.blocks) != len(self._rows):
                old = [row for row, _, _ in self._rows]
                self._rows = []
                await self.remove_children(old)
                rows = [(Horizontal(edges, neuron), edges, neuron)
                        for edges, neuron in ((InputEdges(), OutputNeuron()) for _ in drawn.blocks)]
                await self.mount_all([row for row, _, _ in rows], before="#others")
                self._rows = rows
            self._fill(self._figure or drawn)

    def _fill(self, drawn: Figure) -> None:
        heading, others, legend = (self.query_one(f"#{name}", DiagramPart) for name in ("heading", "others", "legend"))
        quiet_update(heading, drawn.heading)
        for (_, edges, neuron), block in zip(self._rows, drawn.blocks):
            if edges.styles.width is None or edges.styles.width.value != drawn.left_width + 1:
                edges.styles.width = drawn.left_width + 1  # and a column of padding before the sum
            _update_rows(edges, block.edges, block.height)
            _update_rows(neuron, block.arithmetic, block.height)
        for part, text in ((others, drawn.others), (legend, drawn.legend)):
            part.display = text is not None
            _update_rows(part, text or Text(), len(text.plain.splitlines()) if text else 1)


def _update_rows(part: Static, text: Text, rows: int) -> None:
    """quiet_update, and a layout when the number of lines changed (a wrapped sum, a dead mark)."""
    if getattr(part, "_rows_shown", None) != rows:
        part._rows_shown = rows
        part.styles.height = rows
    quiet_update(part, text)
