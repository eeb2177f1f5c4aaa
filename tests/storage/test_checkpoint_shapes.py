"""A checkpoint whose weights do not fit its task is refused with both shapes named, not with
PyTorch's "Error(s) in loading state_dict" and nothing more."""

from __future__ import annotations

import json

import pytest
import safetensors.torch
import torch

from scratchnn_tui.cli import main
from scratchnn_tui.storage.checkpoint import FORMAT, load_checkpoint
from scratchnn_tui.storage.session_state import export_state
from scratchnn_tui.training.errors import SessionError

from session_compare import trained


def write(path, task="triple", meta_change=None, tensors_change=None):
    """A checkpoint of `task` after 3 epochs, its settings or tensors changed as given."""
    tensors, meta = export_state(trained(3, task, "sgd"))
    if meta_change:
        meta_change(meta)
    if tensors_change:
        tensors_change(tensors)
    path.write_bytes(safetensors.torch.save(tensors, metadata={"format": FORMAT, "scratchnn_tui": json.dumps(meta)}))
    return path


def relabel(task):
    return lambda meta: meta.update(task=task)


def replace(name, value):
    return lambda tensors: tensors.update({name: value})


def add_second_layer(tensors):
    tensors.update({"model.layers.1.weight": torch.ones(1, 1), "model.layers.1.bias": torch.zeros(1)})


CASES = [
    ("2x2-saved-as-triple", "seed-2x2", relabel("triple"), None,
     "its weights do not fit task triple: the checkpoint's layer is 2→2, the task's 1→1"),
    ("triple-saved-as-2x2", "triple", relabel("seed-2x2"), None,
     "its weights do not fit task seed-2x2: the checkpoint's layer is 1→1, the task's 2→2"),
    ("weight-of-another-layer", "triple", None, replace("model.layers.0.weight", torch.ones(1, 2)),
     "its weights do not fit task triple: the checkpoint's layer is 2→1, the task's 1→1"),
    ("a-layer-too-many", "triple", None, add_second_layer,
     "its weights do not fit task triple: the checkpoint's layers are 1→1→1, the task's 1→1"),
    ("bias-of-another-size", "triple", None, replace("model.layers.0.bias", torch.zeros(2)),
     "its weights do not fit task triple: model.layers.0.bias has shape (2,), the task's (1,)"),
]


@pytest.mark.parametrize(("name", "task", "meta_change", "tensors_change", "words"), CASES,
                         ids=[case[0] for case in CASES])
def test_weights_of_another_shape_name_both_shapes(tmp_path, name, task, meta_change, tensors_change, words):
    path = write(tmp_path / f"{name}.safetensors", task, meta_change, tensors_change)
    with pytest.raises(SessionError) as refusal:
        load_checkpoint(path)
    message = str(refusal.value)
    assert message == f"cannot resume from {path}: {words}"
    assert "state_dict" not in message


def test_the_command_line_names_both_shapes_and_exits_2(tmp_path, capsys):
    path = write(tmp_path / "figure.safetensors", "seed-2x2", relabel("triple"))
    with pytest.raises(SystemExit) as exit_info:
        main(["--headless", "--resume", str(path)])
    captured = capsys.readouterr()
    assert exit_info.value.code == 2 and captured.out == ""
    assert captured.err.splitlines() == [
        f"scratchnn-tui: error: cannot resume from {path}: its weights do not fit task triple: "
        f"the checkpoint's layer is 2→2, the task's 1→1"]


def test_a_missing_weight_is_named(tmp_path):
    path = write(tmp_path / "no-weight.safetensors", tensors_change=lambda t: t.pop("model.layers.0.weight"))
    with pytest.raises(SessionError, match=r"does not describe a session: model\.layers\.0\.weight is missing$"):
        load_checkpoint(path)
