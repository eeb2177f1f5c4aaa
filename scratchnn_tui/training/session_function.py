"""The session's side of the function view: which picture is asked for, and its grid.

`SessionFunction` is a part of `Session` (its base class), kept apart because it is one idea:
what the network computes away from its samples, read with every snapshot (`function_grid`).
The choice is the screen's (the selection picks the neuron and the input); it is not part of
the session's progress, so it survives a reset or a new task and is never saved.
"""

from __future__ import annotations

from .function_grid import FunctionGrid, choose
from .function_view import FunctionChoice


class SessionFunction:
    """The function view's choice and grid of a `Session` (see the module's docstring)."""

    function_choice: FunctionChoice = FunctionChoice()
    _grid: FunctionGrid | None = None

    def choose_function(self, choice: FunctionChoice) -> None:
        """Show `choice` from the next snapshot on (says nothing: the picture shows it)."""
        self.function_choice = choice

    def function_grid(self, choice: FunctionChoice | None = None) -> FunctionGrid:
        """The grid for the task, network, device and `choice` (the view's own by default);
        the view's is made again only when one of them changed, so a frame costs the forward
        pass and no more."""
        device = self._x.device  # where the data are: the grid goes beside them
        if choice is not None and choice != self.function_choice:
            return FunctionGrid(self.task, self.sizes, choice, device)  # for once, not kept
        key = (self.task.name, self.task.inputs, self.sizes, choose(self.function_choice, self.sizes), str(device))
        if self._grid is None or self._grid.key != key:
            self._grid = FunctionGrid(self.task, self.sizes, self.function_choice, device)
        return self._grid
