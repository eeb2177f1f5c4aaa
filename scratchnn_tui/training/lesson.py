"""The lesson: the seed article's order as steps through the app, each a real state of it.

Each step sets the session up (a task, weights, an optimizer) and the screen (the panels it
wants), says in a few lines what is on screen and why, and names one thing to try, which it
notices from what the screen can see (`LessonFacts`) and ticks. The words are the app's own; the
facts and the numbers are the article's: 1×5 + 2×7 = 19, the batch [1, 2] and [3, 4], W stored
as [[5, 7], [6, 8]] and used transposed, the fake optimizer on y = 3x, zero initial weights.

Plain data and pure functions: no torch, so the UI can import it (`lesson_session` builds a
step's session in the training process).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .snapshot import Snapshot
from .tasks import TASKS

ARTICLE_WEIGHTS = TASKS["seed-2x2"].answer
"""The article's 2×2 figure: W = [[5, 7], [6, 8]] (out × in), no bias."""


@dataclass(frozen=True)
class LessonSetup:
    """What the session is when a step opens: `weights` (parameter name → values), if given,
    replace the seed's draw at epoch 0."""

    task: str
    optimizer: str = "sgd"
    init: str = "uniform"
    hidden: tuple[int, ...] = ()
    weights: dict[str, tuple] | None = None


@dataclass(frozen=True)
class LessonFacts:
    """What the screen knows that a step's try may ask about."""

    snapshot: Snapshot
    selected: tuple[int, int] = (0, 0)  # the selected weight (neuron, index), as the panels show it
    sample: int = 0  # the batch row the diagram shows
    code_opened: bool = False  # whether the code view (s) was opened on this step


@dataclass(frozen=True)
class LessonStep:
    """One step: its title, what it says, the one thing to try and how that is noticed."""

    title: str
    text: str
    try_this: str
    setup: LessonSetup
    tried: Callable[[LessonFacts], bool]
    panels: tuple[str, ...] = ()  # panels it brings on screen: matrix, gradient, function, surface


def _relu_clipped(facts: LessonFacts) -> bool:
    """A weighted sum of the shown sample went below 0, and ReLU turned it into 0."""
    layer = facts.snapshot.layer
    row = min(facts.sample, layer.batch_size - 1)
    return any(z < 0 and a == 0 for z, a in zip(layer.pre_activation[row], layer.outputs[row]))


def _weight_typed(facts: LessonFacts) -> bool:
    """A weight is no longer the article's."""
    return facts.snapshot.layer.weight != ARTICLE_WEIGHTS["layers.0.weight"]


def _solved(facts: LessonFacts) -> bool:
    snapshot = facts.snapshot
    return snapshot.epoch >= 1 and snapshot.loss == 0 and snapshot.race is None


def _stuck_at_zero(facts: LessonFacts) -> bool:
    """Three epochs or more, and every weight and bias still 0."""
    layer = facts.snapshot.layer
    return facts.snapshot.epoch >= 3 and all(w == 0 for row in layer.weight for w in row) and \
        all(b == 0 for b in layer.bias)


STEPS: tuple[LessonStep, ...] = (
    LessonStep(
        "One neuron",
        "The top neuron of the article's figure: each input times its weight, added up, then "
        "ReLU, which keeps a positive sum and turns a negative one into 0. Inputs 1 and 2 (red), "
        "weights 5 and 7 (green): 1×5 + 2×7 = 19, and relu(19) = 19.",
        "→ selects weight 7; enter, type -10, enter: the sum is negative and ReLU outputs 0",
        LessonSetup("seed-2x2", weights=ARTICLE_WEIGHTS), _relu_clipped),
    LessonStep(
        "Two neurons",
        "A layer is neurons side by side, each reading every input with its own weights. The "
        "second neuron weighs the same 1 and 2 by 6 and 8: 1×6 + 2×8 = 22. Two neurons, two "
        "outputs: 19 and 22.",
        "↓ selects the second neuron's weights: the gradient panel follows it",
        LessonSetup("seed-2x2", weights=ARTICLE_WEIGHTS),
        lambda facts: facts.selected[0] == 1),
    LessonStep(
        "A batch of two",
        "Two samples, [1, 2] and [3, 4], are X's rows. All four outputs, 19, 22 and 43, 50, "
        "come from one matrix product, sums a GPU does side by side.",
        "n shows the second sample in the diagram: 3×5 + 4×7 = 43",
        LessonSetup("seed-2x2", weights=ARTICLE_WEIGHTS),
        lambda facts: facts.sample == 1, panels=("matrix",)),
    LessonStep(
        "W, stored and transposed",
        "W is stored out × in, [[5, 7], [6, 8]], row j neuron j's weights, as nn.Linear keeps it; "
        "Z = X Wᵀ + b reads it transposed, then A = relu(Z).",
        "→, enter, 9, enter: weight 7 turns 9 in W's row 1 and Wᵀ's column 1",
        LessonSetup("seed-2x2", weights=ARTICLE_WEIGHTS), _weight_typed, panels=("matrix",)),
    LessonStep(
        "The layer as an nn.Module",
        "ScratchLinear is this layer as an nn.Module: Parameters weight (out × in) and bias, and "
        "forward, x @ weight.T + bias; no nn.Linear.",
        "s opens the code view: the lines that made 19, and nn.Linear's check",
        LessonSetup("seed-2x2", weights=ARTICLE_WEIGHTS),
        lambda facts: facts.code_opened, panels=("matrix",)),
    LessonStep(
        "The fake optimizer",
        "An optimizer is handed the parameters and changes them in place on each step. Solved "
        "cheats: it ignores the gradient and writes in the answer it was given, weight 3 and "
        "bias 0 for y = 3x. It shows the contract, and that no real optimizer knows the answer.",
        "space: one epoch, and the loss is 0",
        LessonSetup("triple", optimizer="solved"), _solved, panels=("gradient",)),
    LessonStep(
        "SGD competes",
        "The same start with a real optimizer: SGD reads each weight's gradient ∂L/∂w and steps "
        "against it, w ← w − lr·∂L/∂w, a little at a time; the gradient panel works out one such "
        "step. Many epochs instead of one, but it needs no answer.",
        "space a few times, then x: every optimizer races from these weights",
        LessonSetup("triple"), lambda facts: facts.snapshot.race is not None, panels=("gradient",)),
    LessonStep(
        "Zero weights learn nothing",
        "The article started its weights at 0. Then every sum z is 0, ReLU's slope there is "
        "relu′(0) = 0, and so is every gradient: SGD never moves. A random start (nn.Linear's, "
        "from ±1/√inputs) is what gets the learning going.",
        "space three times: the loss stays put and every weight stays 0",
        LessonSetup("triple", init="zero"), _stuck_at_zero, panels=("gradient",)),
    LessonStep(
        "What Solved skips",
        "From the same zeros Solved gets there in one step: it reads no gradient, so a zero "
        "slope cannot stop it. That is its shortcut, and why it is fake: it skips the whole "
        "work of learning, finding the answer from the data.",
        "o until Solved, then space: loss 0 from all-zero weights",
        LessonSetup("seed-2x2", init="zero"), _solved, panels=("gradient",)),
    LessonStep(
        "More of the same",
        "No single layer learns xor: no straight line puts (0,1) and (1,0) on one side and "
        "(0,0), (1,1) on the other. Stack a hidden layer of 4 ReLU neurons under it and it "
        "can: each bends the plane along a line, and the output adds the bends.",
        "r runs it: the loss falls below 0.01 as the function view takes xor's shape",
        LessonSetup("xor", hidden=(4,)), lambda facts: facts.snapshot.loss < 0.01 and facts.snapshot.epoch > 0,
        panels=("function",)),
)


def lesson_step(number: int) -> LessonStep:
    """Step `number`, counted from 1."""
    return STEPS[number - 1]


def check_step(number: int) -> int:
    """`number` if the lesson has that step; ValueError saying which it has otherwise."""
    if not 1 <= number <= len(STEPS):
        raise ValueError(f"the lesson has steps 1 to {len(STEPS)}, not {number}")
    return number
