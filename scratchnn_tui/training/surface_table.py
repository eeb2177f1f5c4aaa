"""The surface view as a table: the loss over its grid and the path walked over it, as numbers.

`--surface-csv` and the app's `V` write it (`storage.surface_csv`), so the picture can be
redrawn or checked with other tools (a notebook's contour plot, say). The columns:

    kind     `grid` for a point of the surface's grid; `path` for a point of the optimizer's
             path (in a race, the optimizer's key instead: sgd, momentum, adam, solved)
    epoch    a path point's epoch, from 0 (the start) to the last; empty for a grid point
    <p1>     the first parameter, named as on screen without subscripts (w11; layer2_w11 in a
             deeper network)
    <p2>     the second one (b1)
    loss     the loss there: on the grid, the surface's own (the whole loss for two
             parameters, the slice's for more); on the path, the network's loss at that
             epoch's weights, every number in place

The grid is the view's, window and all; the path is the weights' history the session keeps
(`param_path`: every epoch of a headless run, up to 100,000; in the app every epoch, or every
2ⁿth past 1,024 of them, and always the last).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .surface_view import SurfaceChoice, SurfaceView

Row = tuple[str, int | None, float, float, float]


@dataclass(frozen=True)
class SurfaceTable:
    """A header and the rows (see the module's docstring): the grid's first, then each path's."""

    header: tuple[str, ...]
    rows: tuple[Row, ...]
    view: SurfaceView

    @property
    def grid_rows(self) -> int:
        return len(self.view.p1) * len(self.view.p2)


def _path_rows(kind: str, session, view: SurfaceView) -> list[Row]:
    epochs, values = session.path_moments()
    first, second = session.pair_places(view.pair)
    losses = session.path_losses()
    return [(kind, epoch, point[first], point[second], loss) for epoch, point, loss in zip(epochs, values, losses)]


def surface_table(source, choice: SurfaceChoice | None = None) -> SurfaceTable:
    """The table of `source`, a `Session` (kind `path`) or a `Race` (a path per racer, its
    optimizer's key as the kind), over the pair `choice` picks (the session's own choice by
    default, shown or not)."""
    racers = getattr(source, "racers", None)
    if racers is None:
        choice = replace(choice or source.surface_choice, shown=True)
        view = source.surface_view(choice)
        paths = [("path", source)]
    else:
        choice = replace(choice or SurfaceChoice(), shown=True)
        view = source.surface(choice)
        paths = [(racer.key, racer.session) for racer in racers]
    first, second = view.pair.plain
    rows: list[Row] = [("grid", None, p1, p2, view.losses[j][i])
                       for j, p2 in enumerate(view.p2) for i, p1 in enumerate(view.p1)]
    for kind, session in paths:
        rows += _path_rows(kind, session, view)
    return SurfaceTable(header=("kind", "epoch", first, second, "loss"), rows=tuple(rows), view=view)
