"""Scripted moments of the app, shared by the snapshot tests and the screenshot script.

A scene is the app's settings plus the keys pressed; `play` presses them and waits until the
session has done all of it and the screen shows the result, so a capture is deterministic.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from textual.pilot import Pilot


@dataclass(frozen=True)
class Scene:
    name: str
    caption: str
    settings: dict = field(default_factory=dict)
    keys: tuple[str, ...] = ()
    size: tuple[int, int] | None = None  # the screenshot's, where the usual 100×30 cannot show it
    epochs: int = 0  # trained first, as one request (space that many times, but in a blink)


SCENES = {
    scene.name: scene
    for scene in (
        Scene("triple-solved", "The triple task after one step of the Solved optimizer: w = 3, b = 0, loss 0",
              {"task": "triple", "optimizer": "solved"}, ("space",)),
        Scene("seed-2x2", "The article's 2×2 figure: X = [[1,2],[3,4]], W = [[5,7],[6,8]] give 19, 22, 43, 50",
              {"task": "seed-2x2", "optimizer": "solved"}, ("space",)),
        Scene("sgd-mid-run", "SGD on the triple task after 25 epochs, the loss falling on the sparkline",
              {"task": "triple", "optimizer": "sgd"}, ("space",) * 25),
        Scene("typed-in", "Three SGD epochs on triple, one step back, then w = 3 and b = 0 typed in by hand: loss 0",
              {"task": "triple", "optimizer": "sgd"},
              ("space", "space", "space", "b", "enter", "3", "enter", "right", "enter", "0", "enter")),
        Scene("xor-hidden", "xor --hidden 4: the hidden layer ([), its gradient through the layer above",
              {"task": "xor", "hidden": (4,), "optimizer": "adam", "lr": 0.02, "seed": 0},
              ("space", "space", "space", "left_square_bracket", "n", "n", "n"), (110, 42)),
        Scene("function-square", "square --hidden 8 after 3,000 Adam epochs: eight units' straight terms, "
              "their joints ▲, and their sum lying on x²", {"task": "square", "hidden": (8,), "optimizer": "adam",
                                                            "lr": 0.01, "seed": 1}, (), (120, 40), 3000),
        Scene("function-xor", "xor --hidden 4 after 2,000 Adam epochs: the output over the plane, 1 where "
              "exactly one input is 1, and where each hidden unit switches on",
              {"task": "xor", "hidden": (4,), "optimizer": "adam", "lr": 0.02, "seed": 0}, (), (120, 40), 2000),
        Scene("surface-sgd", "SGD alone on triple after 100 epochs (v): the whole loss L(w₁₁, b₁), the path from the "
              "start towards the answer ○ at (3, 0), and the next step's arrow", {"task": "triple"}, ("v",), (120, 40), 100),
        Scene("surface-race", "The race on the loss surface of triple (v, x, then space ×40): every optimizer's path from "
              "the same start, Solved's one jump to the answer", {"task": "triple"}, ("v", "x") + ("space",) * 40, (120, 40)),
        Scene("lesson-batch", "The lesson, step 3 of 10 (--lesson 3): the batch of two, [1, 2] and [3, 4], "
              "gives 19, 22 and 43, 50 in one matrix product", {"lesson": 3}, (), (120, 40)),
        Scene("lesson-solved", "The lesson, step 6 of 10: the fake optimizer Solved on triple, space, loss 0, "
              "and the step's ✓", {"lesson": 6}, ("space",), (120, 40)),
        Scene("code-view", "The code view (s) on triple after one SGD epoch: ScratchLinear.forward and the "
              "backward pass, each value beside the line that made it", {"task": "triple"}, ("space", "s"), (120, 40)),
        Scene("race", "The race on triple: SGD, momentum, Adam and Solved from the same weights after 30 epochs; Solved wins",
              {"task": "triple"}, ("x",) + ("space",) * 30),
    )
}


async def settle(pilot: Pilot, timeout: float = 30.0) -> None:
    """Wait until the session has handled every request and the screen shows its last frame."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        frame = app.frame
        if app.worker.idle and frame is not None and frame.seq == app.worker.published:
            await pilot.pause()
            return
        if time.monotonic() > deadline:
            raise TimeoutError("the session did not settle")
        await pilot.pause(0.02)


async def wait_until(pilot: Pilot, condition, timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds (a run has trained far enough, say)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there")
        await pilot.pause(0.02)


async def play(pilot: Pilot, scene: Scene) -> None:
    await settle(pilot)
    if scene.epochs:
        from ..runtime.requests import Step

        pilot.app.worker.send(Step(scene.epochs))
        await settle(pilot)
    await pilot.press(*scene.keys)
    await settle(pilot)
