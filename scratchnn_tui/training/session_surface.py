"""The session's side of the surface view: the path its weights took, and the loss around it.

`SessionSurface` is a part of `Session` (its base class), kept apart because it is one idea:
where the optimizer walks. The path (`param_path`) is kept from the set-up's start whether or
not the view is shown, so pressing `v` after a hundred epochs shows all hundred; the grid is
computed only while the view is on screen (`SurfaceChoice.shown`), for the pair of parameters
the selection is on. The choice is the screen's: it survives a reset and is never saved.
"""

from __future__ import annotations

import torch

from .optimizers import get_optimizer
from .param_path import ParameterPath, flat_index
from .path_thinning import thin_path
from .surface_grid import SIDE, grid_points, losses_at, losses_over, pair_for
from .surface_step import STEP_RULES, next_parameters
from .surface_view import Pair, SurfaceChoice, SurfacePath, SurfaceView
from .surface_window import Window, follow


WHOLE_PATH_MOST = 100_001  # points a headless run keeps for its table: every epoch of 100,000


class SessionSurface:
    """The surface view's path, window and grid of a `Session` (see the module's docstring)."""

    surface_choice: SurfaceChoice = SurfaceChoice()
    _path: ParameterPath
    _surface_window: tuple[tuple, Window] | None = None  # the window, and what it was fitted for
    _surface_grid: tuple[tuple, tuple] | None = None     # an exact surface's losses, and their key

    def choose_surface(self, choice: SurfaceChoice) -> None:
        """Show `choice` from the next snapshot on (or stop computing it, when not shown)."""
        self.surface_choice = choice

    def _start_path(self) -> None:
        """The path begins here (a set-up, a load): one point, where the weights are; the
        window is fitted again."""
        self._path = ParameterPath(self.model, self._moment(), self.epoch)
        self._surface_window = None

    def keep_whole_path(self, epochs: int) -> None:
        """Keep every epoch of the next `epochs` (up to WHOLE_PATH_MOST points), not every 2ⁿth
        past the view's capacity: a table of the path (`--surface-csv`) has a row an epoch."""
        path = self._path
        path.read()
        path.capacity = max(path.capacity, min(len(path.values) + epochs + 1, WHOLE_PATH_MOST))

    @property
    def path(self) -> ParameterPath:
        """Every parameter at each kept moment since the set-up began (`param_path`)."""
        return self._path

    def surface_pair(self, choice: SurfaceChoice | None = None) -> Pair:
        return pair_for(self.sizes, choice or self.surface_choice)

    def answer_at(self, pair: Pair) -> tuple[float, float] | None:
        """The task's known answer for these two parameters (None without one for this net)."""
        answer = self.answer
        if answer is None:
            return None
        weight = answer[f"layers.{pair.layer}.weight"][pair.neuron][pair.index]
        return float(weight), float(answer[f"layers.{pair.layer}.bias"][pair.neuron])

    def path_moments(self) -> tuple[tuple[int, ...], tuple[tuple[float, ...], ...]]:
        """Every parameter (laid end to end) at each kept moment, the last one now, and the
        epochs of those moments: the path of any pair is two columns of it."""
        path = self._path
        path.read()
        epochs, values = tuple(path.epochs), tuple(path.values)
        with torch.no_grad():  # one transfer: the weights now
            now = tuple(torch.cat([p.detach().reshape(-1) for p in self.model.parameters()]).tolist())
        if not values or values[-1] != now or epochs[-1] != self.epoch:  # a long run keeps every 2ⁿth epoch
            epochs, values = (*epochs, self.epoch), (*values, now)
        return epochs, values

    def pair_places(self, pair: Pair) -> tuple[int, int]:
        """Where the pair's two numbers sit in a path's point (`path_moments`)."""
        return (flat_index(self.model, pair.layer, pair.neuron, pair.index),
                flat_index(self.model, pair.layer, pair.neuron, self.sizes[pair.layer]))

    def path_of(self, pair: Pair) -> tuple[tuple[tuple[float, float], ...], tuple[int, ...]]:
        """The pair's path: (p₁, p₂) at each kept moment, the last one now, and their epochs."""
        epochs, values = self.path_moments()
        first, second = self.pair_places(pair)
        return tuple((v[first], v[second]) for v in values), epochs

    def path_losses(self) -> tuple[float, ...]:
        """The loss at each point of the path (`path_moments`), every number in place."""
        _, values = self.path_moments()
        device = self._x.device
        points = torch.tensor(values, dtype=self._x.dtype, device=device)
        return tuple(losses_at(self.model, points, self._x, self._y).tolist())

    @property
    def exact_surface(self) -> bool:
        """Whether two parameters are all the network has: the picture is then the whole loss."""
        return self.sizes == (1, 1)

    def window_for(self, pair: Pair, points, fixed=()) -> Window:
        """The window for `pair`: the one drawn so far while the path stays in it, else fitted
        or grown (`surface_window.follow`); fitted again for another task, net or pair."""
        key = (self._task.name, self._task.inputs, self.sizes, pair)
        kept = self._surface_window
        window = follow(kept[1] if kept is not None and kept[0] == key else None, points, fixed)
        self._surface_window = (key, window)
        return window

    def surface_losses(self, pair: Pair, window: Window, params=None, side: int = SIDE) -> tuple:
        """The loss over `window`'s grid, rows by p₂: computed once for an exact surface and a
        window, again each call for a slice (its other numbers move). `params`: the numbers to
        hold the others at (the network's own, now, by default)."""
        p1, p2 = grid_points(window, side)
        key = (self._task.name, self._task.inputs, self.sizes, pair, window, side, str(self._x.device))
        if params is None and self.exact_surface and self._surface_grid is not None and self._surface_grid[0] == key:
            return self._surface_grid[1]
        held = {name: p.detach() for name, p in self.model.named_parameters()} if params is None else params
        flat = losses_over(self.model, held, self._x, self._y, pair, p1, p2).tolist()
        losses = tuple(tuple(flat[j * side:(j + 1) * side]) for j in range(side))
        if params is None and self.exact_surface:
            self._surface_grid = (key, losses)
        return losses

    def surface_path(self, pair: Pair, with_step: bool = True) -> SurfacePath:
        """The session's walk over `pair`, and where its next step goes."""
        points, epochs = self.path_of(pair)
        choice = get_optimizer(self._optimizer_key)
        step = None
        if with_step:
            after = next_parameters(self.model, self.optimizer, lambda named: choice.build(named, self.lr, self.answer),
                                    self._x, self._y)
            first, second = self.pair_places(pair)
            values = after[[first, second]].tolist()
            step = (values[0], values[1])
        return SurfacePath(key=choice.key, label=choice.label, points=points, epochs=epochs, step=step,
                           step_rule=STEP_RULES.get(choice.key, ""))

    def surface_view(self, choice: SurfaceChoice | None = None) -> SurfaceView:
        """The surface for `choice` (the view's own by default): the window over the path, the
        start and the answer, the loss on its grid, the path and the next step."""
        pair = self.surface_pair(choice)
        path = self.surface_path(pair)
        answer = self.answer_at(pair)
        fixed = [answer] if answer is not None else []
        window = self.window_for(pair, [*path.points, *([path.step] if path.step else [])], fixed)
        p1, p2 = grid_points(window)
        return SurfaceView(pair=pair, p1=tuple(p1), p2=tuple(p2), losses=self.surface_losses(pair, window),
                           exact=self.exact_surface, paths=(thin_path(path, window),), answer=answer, held_at="now")
