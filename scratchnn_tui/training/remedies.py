"""What a user can do when training goes wrong, in the words of where they are: keys in the app,
flags on the command line (`--headless`).

The session explains a divergence or a dead output layer once, in one function each; only the
last words, how to do better, depend on where the explanation is read. A session carries the
words it was given (`Session.remedies`): the app's by default, the command line's when it runs
headless, so neither audience is told about keys it has not got or flags it cannot pass.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Remedies:
    """How to do better, each as the words that end one explanation."""

    diverged: str  # after "learning rate L is too high for this task; "
    dead_output: str  # a sentence after "…the loss stays at X."
    born_dead: str  # a sentence, after "Solved still lands; " where it does


IN_APP = Remedies(
    diverged="press - to lower it or R to reset",
    dead_output="R resets, - lowers the learning rate.",
    born_dead="uniform weights or another seed (e) start alive.",
)

HEADLESS = Remedies(
    diverged="run again with a lower --lr",
    dead_output="Run again with a lower --lr (or another --seed).",
    born_dead="--init uniform, or another --seed, starts alive.",
)
