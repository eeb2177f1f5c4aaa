"""The keys that choose what the panels explain: the selected weight or bias (the arrows, a
click in the diagram) and, in a deeper network, the layer shown ([ and ]).

`SelectionKeys` is a part of `ScratchApp` (its base class), kept apart because it is one idea:
one selection, kept the same in the diagram, the matrix form and the gradient panel.
"""

from __future__ import annotations

from ..runtime.requests import ChooseFunction, ChooseSurface
from .function_marks import function_choice, function_marks
from .layer_pages import shown_layer
from .messages import FrameReady, SessionNote
from .widgets.function_view import FunctionPicture
from .widgets.gradient_panel import GradientPanel
from .widgets.matrix_form import MatrixForm
from .widgets.neuron_diagram import NeuronDiagram
from .widgets.surface_view import SurfacePicture


class SelectionKeys:
    """The arrows, a click on a weight, [ and ] of `ScratchApp` (see the module's docstring)."""

    _function_asked = ChooseFunction()  # the function view's picture last asked of the session
    _surface_asked = ChooseSurface()    # the surface view's, likewise (not shown: not computed)

    def action_select(self, neurons: int, along: int) -> None:
        """Move the selection along a neuron's weights and then its bias (←/→), or between
        neurons (↑/↓); it stops at the ends."""
        if self.frame is None:
            return
        neuron, index = self.query_one(GradientPanel).selected
        self._select(neuron + neurons, index + along)

    def on_neuron_diagram_selected(self, message: NeuronDiagram.Selected) -> None:
        """A click on a weight or a bias in the diagram selects it."""
        self._select(message.neuron, message.index)

    def _select(self, neuron: int, index: int) -> None:
        """Select neuron `neuron`'s weight `index` (its bias: index = the input count),
        clamped to the layer, in every panel that shows it."""
        if self.frame is None:
            return
        layer = self.frame.snapshot.layer_at(self._layer_index(self.frame.snapshot))
        neuron = max(0, min(layer.out_features - 1, neuron))
        index = max(0, min(layer.in_features, index))  # in_features: the bias
        self.query_one(GradientPanel).selected = (neuron, index)
        self.query_one(NeuronDiagram).selected = (neuron, index)
        self.query_one(MatrixForm).selected = (neuron, index)
        self._show_function(self.frame.snapshot)
        self._show_surface(self.frame.snapshot)
        self.plan_panels()  # a wrapped chain rule may take a row more or less
        self.notice_lesson()  # a lesson's step may have asked for this selection

    def _show_function(self, snapshot) -> None:
        """The function view from `snapshot`, marked for the selection; if the selection asks
        for another picture than the snapshot has, ask the session for it (the next frame
        brings it)."""
        layer = self._layer_index(snapshot)
        selected = self.query_one(GradientPanel).selected
        picture = self.query_one(FunctionPicture)
        picture.show(snapshot.function, function_marks(snapshot, layer, selected))
        self.title_function_panel()
        wanted = function_choice(snapshot, layer, selected, self._function_asked.along)
        if snapshot.function is not None and wanted != self._function_asked:
            self._function_asked = wanted
            self.worker.send(wanted)

    def _show_surface(self, snapshot, draw: bool = True) -> None:
        """The surface view from `snapshot` (when `draw`: a run draws it twice a second,
        `paced`); if the screen wants another one (shown or not, another pair of parameters),
        ask the session for it: the next frame brings it."""
        layer = self._layer_index(snapshot)
        picture = self.query_one("#surface", SurfacePicture)
        shown, coming = picture.view, snapshot.surface
        other = shown is None or coming is None or shown.pair != coming.pair  # drawn at once
        if snapshot.race is None and (draw or other):
            picture.show(coming)
            self.title_function_panel()  # the title names the pair
        neuron, index = self.query_one(GradientPanel).selected
        output = layer == len(snapshot.layers) - 1
        wanted = ChooseSurface(self.surface_wanted, -1 if output else layer, neuron, index)
        if wanted != self._surface_asked:
            self._surface_asked = wanted
            self.worker.send(wanted)

    def _layer_index(self, snapshot) -> int:
        """The layer to show, counted from 0 at the inputs: the one paged to, while the network
        has it (a smaller network shows its output layer)."""
        return shown_layer(self._shown_layer, len(snapshot.layers))

    def action_page_layer(self, step: int) -> None:
        """Show the layer below ([) or above (]) in the diagram, the matrix form and the
        gradient panel; the selection keeps its place where the layer has it."""
        if self.frame is None:
            return
        snapshot = self.frame.snapshot
        depth = len(snapshot.layers)
        shown = max(0, min(depth - 1, self._layer_index(snapshot) + step))
        if depth == 1:
            self.post_message(SessionNote("One layer: --hidden N (or e, the settings) adds hidden layers "
                                          "to page through with [ and ]", False))
            return
        self._shown_layer = shown
        self.post_message(FrameReady(self.frame))  # redraw the panels from the frame at hand
        neuron, index = self.query_one(GradientPanel).selected
        self._select(neuron, index)
