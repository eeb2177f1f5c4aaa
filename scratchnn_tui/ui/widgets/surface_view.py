"""The surface view (v): the loss over two parameters and the optimizer's path on it. A thin
widget: a `Picture` (widgets/picture.py) of `surface_picture.draw`'s cells, and its rows.
"""

from __future__ import annotations

from ...training.surface_view import SurfaceView
from ..surface_picture import LEAST_MAP_ROWS, draw, text_rows
from .picture import Picture

MAP_MOST_ROWS = 20  # the map's rows at most (40 half-block pixels: finer than the 49-point grid's cells)


def ideal_rows(view: SurfaceView | None, width: int, plain: bool = False) -> int:
    """The rows the picture would like at `width` columns: its words, its map, its axis."""
    if view is None:
        return 1
    return text_rows(view, width, plain) + MAP_MOST_ROWS + 1


def least_rows(view: SurfaceView | None, width: int, plain: bool = False) -> int:
    """The fewest rows it is drawn in whole: its words, a map of LEAST_MAP_ROWS, its axis."""
    if view is None:
        return 1
    return text_rows(view, width, plain) + LEAST_MAP_ROWS + 1


class SurfacePicture(Picture):
    """The picture of the latest frame's `SurfaceView` (see the module's docstring)."""

    def __init__(self, id: str = "surface") -> None:
        super().__init__(id=id)

    def draw_rows(self, width: int, height: int) -> list:
        return draw(self.view, width, height, self.plain)

    def rows_for(self, width: int) -> int:
        return ideal_rows(self.view, width, self.plain)

    def least_for(self, width: int) -> int:
        return least_rows(self.view, width, self.plain)

    def title(self) -> str:
        """What the panel's border says: the whole loss, or a slice of it, and over what."""
        view = self.view
        if view is None:
            return "Surface"
        first, second = view.names
        # Short enough to stay whole beside its key's words on a 40-column border (the layer
        # of a deeper net is in the picture's own title).
        if view.exact:
            return f"Surface · L({first}, {second})"
        return f"Surface · slice {first}, {second}"
