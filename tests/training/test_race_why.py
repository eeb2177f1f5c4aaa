"""Each lane's "why" line, from the racer's own numbers: checked against autograd's slope and
what the optimizer's step really moved."""

from __future__ import annotations

import re

import torch
from torch.nn import functional as F

from scratchnn_tui.training.race import Race
from scratchnn_tui.training.session import Session


def numbers(line: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", line.replace("w₁₁", ""))]


def autograd_slope(session) -> float:
    """∂L/∂w₁₁ by autograd, on a copy: the oracle for the slope the line states."""
    weight = session.model.layers[-1].weight.detach().clone().requires_grad_(True)
    bias = session.model.layers[-1].bias.detach()
    x, y = session.batch
    F.mse_loss(torch.relu(x @ weight.T + bias), y).backward()
    return weight.grad[0, 0].item()


def test_the_lines_say_each_optimizers_reason_with_its_numbers():
    race = Race(Session(task="triple"))
    before = {racer.key: racer.session.model.layers[-1].weight[0, 0].item() for racer in race.racers}
    race.train(1)
    rows = {row.key: row for row in race.view(why=True).rows}
    sessions = {racer.key: racer.session for racer in race.racers}
    for key in ("sgd", "momentum", "adam"):
        session = sessions[key]
        moved = session.model.layers[-1].weight[0, 0].item() - before[key]
        slope = autograd_slope(session)
        said = rows[key].why
        assert f"∂L/∂w₁₁ = {slope:.3g}" in said and f"moved {moved:.3g}/epoch" in said
    assert rows["sgd"].why.startswith("lr × slope")
    # Adam's first step is lr·sign(g), whatever g's size: its line says so and the number agrees.
    assert "whatever the slope" in rows["adam"].why
    assert abs(abs(sessions["adam"].model.layers[-1].weight[0, 0].item() - before["adam"]) - sessions["adam"].lr) < 1e-6
    velocity = sessions["momentum"].optimizer.state[sessions["momentum"].model.layers[-1].weight]["momentum_buffer"][0, 0]
    assert rows["momentum"].why.startswith(f"velocity {velocity.item():.3g} adds slopes up")
    assert "wrote in the answer, w₁₁ = 3" in rows["solved"].why


def test_the_why_is_asked_with_full_frames_alone():
    race = Race(Session(task="triple"))
    race.train(2)
    assert all(row.why == "" for row in race.view().rows)
