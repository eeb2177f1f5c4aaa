"""The data sets a layer can learn, and, where one exists, the answer that `Solved` jumps to.

Each task is a full batch small enough to show on screen; one epoch is one update on it.
Data are fixed numbers (no randomness), so a seed only decides the layer's initial weights.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .errors import SessionError

Matrix = tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Task:
    """A supervised problem for one layer `relu(X Wᵀ + b)`.

    `answer` maps parameter names (as the model names them) to their exact values, or is None
    when no parameters fit the data exactly: then `Solved` cannot be used.
    """

    name: str
    title: str
    inputs: Matrix   # X, batch × in
    targets: Matrix  # Y, batch × out
    default_lr: float
    answer: dict[str, tuple] | None
    source: str | None = None  # the file a user's data came from (its name, for the title)
    # What the task teaches, in a sentence: said whole on the message line when `t` picks the
    # task. The title stays short (TITLE_MAX) because the layer panel's border names it after
    # the layer, which must fit at 80 columns even for the deepest network.
    about: str = ""
    # The function the data were drawn from, where there is one: each output for one input
    # (a tuple of floats), and how the picture names it ("3x"). The function view draws it
    # beside what the network learned; a user's own data have none.
    truth: Callable[[tuple[float, ...]], tuple[float, ...]] | None = None
    truth_label: str = ""

    @property
    def in_features(self) -> int:
        return len(self.inputs[0])

    @property
    def out_features(self) -> int:
        return len(self.targets[0])


def _column(values) -> Matrix:
    return tuple((float(v),) for v in values)


def _triple(x: tuple[float, ...]) -> tuple[float, ...]:
    return (3 * x[0],)


def _square(x: tuple[float, ...]) -> tuple[float, ...]:
    return (x[0] * x[0],)


def _article_layer(x: tuple[float, ...]) -> tuple[float, ...]:
    """The article's figure: relu(x Wᵀ) with W = [[5, 7], [6, 8]], no bias."""
    return (max(0.0, 5 * x[0] + 7 * x[1]), max(0.0, 6 * x[0] + 8 * x[1]))


_TRIPLE_X = (1, 2, 3, 4)
_SQUARE_X = (0.5, 1.0, 1.5, 2.0)

TITLE_MAX = 20
"""The longest a built-in task's title may be: the panel's border fits it at 80 columns."""

TASKS: dict[str, Task] = {
    task.name: task
    for task in (
        Task(
            name="triple",
            title="y = 3x, one neuron",
            about="learn y = 3x with one ReLU neuron; Solved jumps to weight 3, bias 0",
            inputs=_column(_TRIPLE_X),
            targets=_column(3 * x for x in _TRIPLE_X),
            default_lr=0.02,
            answer={"layers.0.weight": ((3.0,),), "layers.0.bias": (0.0,)},
            truth=_triple, truth_label="3x",
        ),
        Task(
            name="seed-2x2",
            title="the article's figure",
            about="two inputs, two neurons: the article's 2×2 figure, W = [[5,7],[6,8]]",
            inputs=((1.0, 2.0), (3.0, 4.0)),
            targets=((19.0, 22.0), (43.0, 50.0)),
            default_lr=0.005,
            answer={"layers.0.weight": ((5.0, 7.0), (6.0, 8.0)), "layers.0.bias": (0.0, 0.0)},
            truth=_article_layer, truth_label="relu(x Wᵀ), W = [[5,7],[6,8]]",
        ),
        Task(
            name="square",
            title="y = x², a curve",
            about="y = x²: no straight line fits it, a hidden layer of 8 can (e: hidden layers)",
            inputs=_column(_SQUARE_X),
            targets=_column(x * x for x in _SQUARE_X),
            default_lr=0.05,
            answer=None,
            truth=_square, truth_label="x²",
        ),
        Task(
            name="xor",
            title="y = a xor b",
            about=("a xor b: no single layer can learn it, since no straight line puts (0,1) and (1,0) on one "
                   "side and (0,0), (1,1) on the other; a hidden layer of 4 can (e: hidden layers)"),
            inputs=((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)),
            targets=((0.0,), (1.0,), (1.0,), (0.0,)),
            default_lr=0.1,
            answer=None,
        ),
    )
}


def get_task(name: str, tasks: Mapping[str, Task] = TASKS) -> Task:
    """The task called `name` among `tasks` (the built-in ones, and a session's own data)."""
    try:
        return tasks[name]
    except KeyError:
        raise SessionError(f"unknown task {name!r}; choose one of: {', '.join(tasks)}") from None
