"""The function view (f): what the network computes, drawn over its data. A thin widget: a
`Picture` (widgets/picture.py) of `function_picture.draw`'s cells, and how many rows it wants.
"""

from __future__ import annotations

from ...training.function_view import CurveView, FunctionView, PlaneView
from ..function_picture import LEAST_PLOT_ROWS, Marks, draw, text_rows
from .picture import Picture

CURVE_PLOT_ROWS = 12  # the curve's plot, when the panel has the room
PLANE_MOST_ROWS = 18  # the heat map's, at most (36 half-block pixels)


def ideal_rows(view: FunctionView | None, width: int, marks: Marks = Marks(), plain: bool = False) -> int:
    """The rows the picture would like at `width` columns: its words, its plot, its axes."""
    if view is None:
        return 1
    words = text_rows(view, width, marks, plain)
    if isinstance(view, CurveView):
        return words + CURVE_PLOT_ROWS + (2 if view.units else 1)
    x1, x2 = view.x1[-1] - view.x1[0], view.x2[-1] - view.x2[0]
    fits = int((width - 6) / 2 / max(x1 / (x2 or 1.0), 1e-9))  # rows for the full width
    return words + max(LEAST_PLOT_ROWS, min(PLANE_MOST_ROWS, fits)) + 1


def least_rows(view: FunctionView | None, width: int, marks: Marks = Marks(), plain: bool = False) -> int:
    """The fewest rows it is drawn in whole: its words and a plot of LEAST_PLOT_ROWS."""
    if view is None:
        return 1
    below = 2 if isinstance(view, CurveView) and view.units else 1
    return text_rows(view, width, marks, plain) + LEAST_PLOT_ROWS + below


class FunctionPicture(Picture):
    """The picture of the latest frame's `FunctionView` (see the module's docstring)."""

    def __init__(self) -> None:
        super().__init__(id="function")
        self.marks = Marks()

    def show(self, view: FunctionView | None, marks: Marks = Marks()) -> None:
        """Draw `view` with `marks` (the probe, the selected unit) from the next paint on."""
        super().show(view, marks)

    def draw_rows(self, width: int, height: int) -> list:
        return draw(self.view, width, height, self.marks, self.plain)

    def rows_for(self, width: int) -> int:
        return ideal_rows(self.view, width, self.marks, self.plain)

    def least_for(self, width: int) -> int:
        return least_rows(self.view, width, self.marks, self.plain)

    def title(self) -> str:
        """What the panel's border says: which picture this is."""
        view = self.view
        if isinstance(view, PlaneView):
            return "Function · the plane"
        if isinstance(view, CurveView) and view.units:
            return f"Function · y(x), {len(view.units)} units"
        return "Function · y(x)"
