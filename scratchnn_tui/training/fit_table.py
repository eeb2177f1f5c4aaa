"""The function view as a table: what the network computes at each grid point, as plain numbers.

`--fit-csv` and the app's `F` write it (`storage.fit_csv`), so the picture can be redrawn, or
checked, with other tools. One row per point of the view's grid (`FunctionGrid`): over x for
one input, over the plane for two, and along input 1 with the others held at their mean over
the data for more. The columns, in order:

    x (or x1, x2, …)          the point
    y (or y1, y2, …)          every output of the network there
    unit_1 … unit_N           with one input and one hidden layer: each unit's term
                              vₖ·relu(wₖx + bₖ) in output 1 (they add up to y less its bias)
    target (or target1, …)    the task's true function, where it has one

Read from the core's forward, one batched pass under `no_grad`, as the picture is.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..core.units import contributions
from .function_grid import FunctionGrid
from .function_view import FunctionChoice


@dataclass(frozen=True)
class FitTable:
    """A header and one row of floats per grid point (see the module's docstring)."""

    header: tuple[str, ...]
    rows: tuple[tuple[float, ...], ...]


def numbered(name: str, count: int, separator: str = "") -> tuple[str, ...]:
    """`name` alone for one column, else `name1`, `name2`, … (`name_1` with `separator` "_")."""
    if count == 1 and not separator:
        return (name,)
    return tuple(f"{name}{separator}{k}" for k in range(1, count + 1))


def _grid(session) -> FunctionGrid:
    """The view's own grid while it runs along input 1 (or over the plane); else one that does:
    the table always goes along input 1, whatever input the screen shows the curve along."""
    grid = session.function_grid()
    return grid if grid.plane or grid.choice.along == 0 else session.function_grid(FunctionChoice())


def fit_table(session) -> FitTable:
    """The table of `session`'s network over its function view's grid, as it is now."""
    grid, model, task = _grid(session), session.model, session.task
    inputs, outputs = session.sizes[0], session.sizes[-1]
    with torch.no_grad():
        columns = [model(grid.tensor)]
        if grid.with_units:  # one input, one hidden layer: the terms of output 1
            columns.append(contributions(model, grid.tensor, 0))
        computed = torch.cat(columns, dim=1).tolist()  # one transfer from the device
    header = numbered("x", inputs) + numbered("y", outputs)
    if grid.with_units:
        header += numbered("unit", session.sizes[1], "_")
    if task.truth is not None:
        header += numbered("target", outputs)
    rows = []
    for point, values in zip(grid.inputs, computed):
        row = tuple(map(float, point)) + tuple(values)
        if task.truth is not None:
            row += tuple(map(float, task.truth(point)))
        rows.append(row)
    return FitTable(header, tuple(rows))
