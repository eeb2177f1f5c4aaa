"""A checkpoint written by scratchnn-tui 0.1 resumes, and continues as a straight run does.

The fixtures were made with version 0.1.0 itself (torch.optim's Adam, parameters named
`layer.weight` and `layer.bias`, checkpoint format 1):
    scratchnn-tui --headless --task seed-2x2 --optimizer adam --lr 0.05 --epochs 7 --save \
        v0.1-seed-2x2-adam-epoch7.safetensors
and the losses and weights of a straight 10-epoch run of the same settings.
"""

from __future__ import annotations

import json
import pathlib

from safetensors import safe_open

from scratchnn_tui.cli import main
from scratchnn_tui.storage.checkpoint import FORMAT, load_checkpoint
from scratchnn_tui.training.session import Session

FIXTURES = pathlib.Path(__file__).with_name("fixtures")
CHECKPOINT = FIXTURES / "v0.1-seed-2x2-adam-epoch7.safetensors"
STRAIGHT = json.loads((FIXTURES / "v0.1-seed-2x2-adam-straight10.json").read_text())


def test_the_fixture_is_a_version_1_file():
    with safe_open(str(CHECKPOINT), "pt") as file:
        assert file.metadata()["format"] == "scratchnn-tui-checkpoint/1" != FORMAT
        assert "model.layer.weight" in file.keys() and "optimizer.0.exp_avg" in file.keys()


def test_it_resumes_and_continues_as_the_straight_run():
    resumed = load_checkpoint(CHECKPOINT)
    assert (resumed.task.name, resumed.optimizer_key, resumed.lr, resumed.epoch) == ("seed-2x2", "adam", 0.05, 7)
    assert resumed.losses == STRAIGHT["losses"][:8]
    resumed.step(3)
    assert resumed.losses == STRAIGHT["losses"]  # bit for bit: our Adam continues torch's state
    assert resumed.model.layers[0].weight.tolist() == STRAIGHT["weight"]
    assert resumed.model.layers[0].bias.tolist() == STRAIGHT["bias"]


def test_a_straight_run_today_matches_version_0_1():
    session = Session(task="seed-2x2", optimizer="adam", lr=0.05)
    session.step(10)
    assert session.losses == STRAIGHT["losses"]


def test_the_command_line_resumes_it(capsys):
    assert main(["--headless", "--resume", str(CHECKPOINT), "--epochs", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"Epoch {k} - loss: {STRAIGHT['losses'][k + 1]:.6f}" for k in (7, 8, 9)]
