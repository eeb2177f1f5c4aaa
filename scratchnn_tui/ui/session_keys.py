"""The keys that each send one typed request to the session: nothing is dropped, nothing runs
twice (the worker runs them in order, as pressed)."""

from __future__ import annotations

from ..runtime.requests import (ChangeRunSpeed, NextDevice, NextOptimizer, NextTask, Pause, Reset, ScaleLr, Step,
                                StepBack, ToggleRun)


class SessionKeys:
    """An App mixin: `step`, `toggle_run`, `step_back`, `reset`, `next_optimizer`, `next_device`,
    `next_task`, `scale_lr` and `run_speed`, each a request to `self.worker`."""

    def action_step(self) -> None:
        """Train one epoch: one update on the whole batch."""
        self.worker.send(Step(1))

    def action_toggle_run(self) -> None:
        """Run or pause continuous training."""
        self.worker.send(ToggleRun())

    def action_step_back(self) -> None:
        """Back to the previous epoch or edit, exactly (a run pauses first)."""
        self.worker.send(Pause())
        self.worker.send(StepBack())

    def action_reset(self) -> None:
        """Reset: re-draw the weights from the seed, back to epoch 0."""
        self.worker.send(Reset())

    def action_next_optimizer(self) -> None:
        """Next optimizer: SGD, SGD+momentum, Adam, Solved."""
        self.worker.send(NextOptimizer())

    def action_next_device(self) -> None:
        """Next device: cpu, each cuda:N, mps."""
        self.worker.send(NextDevice())

    def action_next_task(self) -> None:
        """Next task: what the layer learns."""
        self.worker.send(NextTask())

    def action_scale_lr(self, factor: float) -> None:
        """Learning rate ×2 or ÷2."""
        self.worker.send(ScaleLr(factor))

    def action_run_speed(self, step: int) -> None:
        """Run speed slower or faster (epochs a second while running)."""
        self.worker.send(ChangeRunSpeed(step))
