"""Checkpoints: exact round trips, and refusals with a message (pickles never opened). Files,
atomic writes, the CSV and the autosave folder: test_checkpoint_files.py."""

from __future__ import annotations

import json
import math
import os
import pathlib
import pickle
import re

import pytest
import safetensors.torch
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from scratchnn_tui.storage import checkpoint
from scratchnn_tui.storage.checkpoint import (
    load_checkpoint, save_checkpoint, FORMAT)
from scratchnn_tui.storage.session_state import export_state, import_state
from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.optimizers import OPTIMIZERS, check_available
from scratchnn_tui.training.session import Session
from scratchnn_tui.training.tasks import get_task

from session_compare import assert_same, trained

REPO = pathlib.Path(__file__).resolve().parents[2]


def _available(tasks):
    pairs = []
    for task in tasks:
        for key in OPTIMIZERS:
            try:
                check_available(key, get_task(task))
            except SessionError:
                continue
            pairs.append((task, key))
    return pairs


# -- exact round trips ---------------------------------------------------------------------


@pytest.mark.parametrize(("task", "key"), _available(["seed-2x2", "triple"]))
def test_saved_after_10_resumed_for_5_equals_15_in_a_row(tmp_path, task, key):
    path = save_checkpoint(trained(10, task, key), tmp_path / "run.safetensors")
    resumed = load_checkpoint(path)
    assert resumed.epoch == 10
    resumed.step(5)
    assert_same(resumed, trained(15, task, key))


def test_settings_are_restored(tmp_path):
    saved = trained(10, "seed-2x2", "adam", lr=0.0123, seed=3)
    resumed = load_checkpoint(save_checkpoint(saved, tmp_path / "run.safetensors"))
    assert (resumed.task.name, resumed.optimizer_key, resumed.lr, resumed.seed, resumed.epoch) == (
        "seed-2x2", "adam", 0.0123, 3, 10)
    assert_same(resumed, saved)


def test_a_down_sampled_history_round_trips_exactly(tmp_path):
    saved = trained(5000, "triple", "sgd")
    assert saved.snapshot().loss_bucket > 1  # the case under test
    resumed = load_checkpoint(save_checkpoint(saved, tmp_path / "long.safetensors"))
    assert_same(resumed, saved)
    resumed.step(100)
    saved.step(100)
    assert_same(resumed, saved)


def test_the_file_is_safetensors_with_our_marker(tmp_path):
    path = save_checkpoint(trained(2), tmp_path / "run.safetensors")
    with safetensors.safe_open(path, framework="pt") as file:
        metadata = file.metadata()
        assert "model.layers.0.weight" in file.keys()
    assert metadata["format"] == FORMAT == "scratchnn-tui-checkpoint/2"
    assert json.loads(metadata["scratchnn_tui"])["epoch"] == 2


# -- refusals ------------------------------------------------------------------------------


class Touch:
    """Unpickling this creates `marker`: the test of whether a loader runs a pickle's code."""

    def __init__(self, marker: pathlib.Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (pathlib.Path.touch, (self.marker,))


def good_bytes() -> bytes:
    tensors, meta = export_state(trained(3))
    return safetensors.torch.save(tensors, metadata={"format": FORMAT, "scratchnn_tui": json.dumps(meta)})


def ours_with(metadata: dict | None = None, meta_change=None, tensors_change=None) -> bytes:
    """A safetensors file like ours, with its metadata or settings changed."""
    tensors, meta = export_state(trained(3))
    if meta_change:
        meta_change(meta)
    if tensors_change:
        tensors_change(tensors)
    base = {"format": FORMAT, "scratchnn_tui": json.dumps(meta)}
    return safetensors.torch.save(tensors, metadata=base if metadata is None else {**base, **metadata})


def _corrupt_header(data: bytes) -> bytes:
    data = bytearray(data)
    data[9] = 0xFF  # inside the header's JSON: no longer UTF-8, no longer JSON
    return bytes(data)


def _not_ours(data: dict) -> bytes:
    return safetensors.torch.save({"weight": torch.ones(2, 2)}, metadata=data)


# (name, file contents, or None for "do not create", words the message must contain,
#  whether the bytes may reach safetensors' parser)
REFUSALS = [
    ("missing", None, "does not exist", False),
    ("empty", b"", "empty", False),
    ("four-bytes", lambda: good_bytes()[:4], "too short", False),
    ("cut-in-header", lambda: good_bytes()[:40], "truncated", False),
    ("cut-in-data", lambda: good_bytes()[:-1], "truncated", False),
    ("text", b"epoch,loss\n0,1.5\n", "not a safetensors file", False),
    ("huge-header-length", (2**40).to_bytes(8, "little") + b"{}", "not a safetensors file", False),
    ("pickle", lambda: pickle.dumps({"weight": [1.0]}), "pickle", False),
    ("corrupted-header", lambda: _corrupt_header(good_bytes()), "corrupted header", False),
    ("bad-offsets", lambda: good_bytes().replace(b'"data_offsets":[0,', b'"data_offsets":[1,', 1),
     "damaged safetensors file", True),
    ("not-ours", lambda: _not_ours(None), "is a safetensors file but not a scratchnn-tui checkpoint", True),
    ("other-metadata", lambda: _not_ours({"format": "pt"}), "but not a scratchnn-tui checkpoint", True),
    ("newer-format", lambda: ours_with({"format": "scratchnn-tui-checkpoint/3"}), "newer", True),
    ("settings-not-json", lambda: ours_with({"scratchnn_tui": "{task: triple"}), "not valid JSON", True),
    ("settings-missing", lambda: ours_with({"scratchnn_tui": ""}), "not valid JSON", True),
    ("settings-not-object", lambda: ours_with({"scratchnn_tui": "[1, 2]"}), "not a JSON object", True),
    ("unknown-task", lambda: ours_with(meta_change=lambda m: m.update(task="quadruple")),
     "unknown task 'quadruple'", True),
    ("epochs-disagree", lambda: ours_with(meta_change=lambda m: m.update(epoch=7)),
     "4 losses for 7 epochs", True),
    ("weight-missing", lambda: ours_with(tensors_change=lambda t: t.pop("model.layers.0.weight")),
     "does not describe a session", True),
    ("infinite-capacity", lambda: ours_with(meta_change=lambda m: m["history"].update(capacity=math.inf)),
     "does not describe a session", True),
]


@pytest.fixture
def spies(monkeypatch):
    """Record whether safetensors' parser and the session builder were reached."""
    calls = {"parse": 0, "build": 0}
    parse, build = safetensors.torch.load, checkpoint.import_state

    def counting_parse(data):
        calls["parse"] += 1
        return parse(data)

    def counting_build(*args, **kwargs):
        calls["build"] += 1
        return build(*args, **kwargs)

    monkeypatch.setattr(safetensors.torch, "load", counting_parse)
    monkeypatch.setattr(checkpoint, "import_state", counting_build)
    return calls


@pytest.mark.parametrize(("name", "contents", "words", "parsed"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_say_what_is_wrong(tmp_path, spies, name, contents, words, parsed):
    path = tmp_path / f"{name}.safetensors"
    if contents is not None:
        path.write_bytes(contents() if callable(contents) else contents)
    spies.update(parse=0, build=0)  # building the file itself may have used them
    with pytest.raises(SessionError) as refusal:
        load_checkpoint(path)
    message = str(refusal.value)
    assert words in message and str(path) in message and "\n" not in message
    assert bool(spies["parse"]) == parsed  # unparsable bytes never reach the parser
    if not parsed:
        assert spies["build"] == 0


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(SessionError, match="is a folder"):
        load_checkpoint(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    """Opening a FIFO for reading waits for a writer: the loader must not try."""
    import threading

    path = tmp_path / "pipe.safetensors"
    os.mkfifo(path)
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(_refusal(path)), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # unblock the loader so the thread can end, then fail
        with open(path, "wb"):
            pass
        pytest.fail("load_checkpoint blocked on a named pipe")
    assert "not a regular file" in outcome[0]


def _refusal(path) -> str:
    try:
        load_checkpoint(path)
    except SessionError as refusal:
        return str(refusal)
    return "loaded"


def test_a_device_the_session_refuses_is_named(tmp_path):
    path = save_checkpoint(trained(3), tmp_path / "run.safetensors")
    with pytest.raises(SessionError, match="cannot resume from .*unknown device 'tpu'"):
        load_checkpoint(path, device="tpu")


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path, monkeypatch):
    path = tmp_path / "run.safetensors"
    path.write_bytes(good_bytes())
    monkeypatch.setattr(checkpoint, "MAX_BYTES", path.stat().st_size - 1)
    with pytest.raises(SessionError, match="too large"):
        load_checkpoint(path)


@pytest.mark.parametrize("writer", ["pickle.dump", "torch.save"])
def test_a_pickle_is_never_unpickled(tmp_path, writer):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.ckpt"  # not .safetensors: torch.load would hand that to safetensors
    with open(path, "wb") as file:
        if writer == "pickle.dump":
            pickle.dump({"weight": Touch(marker)}, file)
        else:
            torch.save({"weight": Touch(marker)}, file)
    assert not marker.exists()
    with pytest.raises(SessionError, match="pickle"):
        load_checkpoint(path)
    assert not marker.exists()
    # Control: the file's payload is live (an unsafe load runs it), so the test could fail.
    if writer == "pickle.dump":
        pickle.loads(path.read_bytes())
    else:
        torch.load(path, weights_only=False)  # what a checkpoint loader must never do
    assert marker.exists()


@pytest.mark.parametrize("module", sorted(pathlib.Path(checkpoint.__file__).parent.glob("*.py")),
                         ids=lambda path: path.name)
def test_storage_never_unpickles(module):
    source = module.read_text()
    for call in (r"import pickle", r"pickle\.load", r"(?<!safetensors\.)torch\.load", r"allow_pickle",
                 r"numpy\.load", r"np\.load", r"weights_only"):
        assert not re.search(call, source), call


GOOD = good_bytes()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=4))
def test_damaged_files_load_or_are_refused_never_crash(tmp_path_factory, flips):
    data = bytearray(GOOD)
    for where, value in flips:
        data[where % len(data)] = value
    path = tmp_path_factory.mktemp("fuzz") / "run.safetensors"
    path.write_bytes(bytes(data))
    try:
        load_checkpoint(path)
    except SessionError as refusal:
        assert "\n" not in str(refusal)


# -- what import_state must refuse -------------------------------------------------


def test_from_state_refuses_an_infinite_history_capacity():
    tensors, meta = export_state(trained(3))
    meta["history"]["capacity"] = math.inf
    with pytest.raises(SessionError):
        import_state(tensors, meta)


def test_wrong_shaped_optimizer_state_is_refused(tmp_path):
    path = tmp_path / "run.safetensors"
    path.write_bytes(ours_with(tensors_change=lambda t: t.update({"optimizer.0.momentum_buffer": torch.zeros(3, 3)})))
    with pytest.raises(SessionError):
        load_checkpoint(path).step(1)


def test_non_finite_weights_are_refused(tmp_path):
    path = tmp_path / "run.safetensors"
    path.write_bytes(ours_with(tensors_change=lambda t: t["model.layers.0.weight"].fill_(math.nan)))
    with pytest.raises(SessionError):
        load_checkpoint(path)


def test_saved_lr_and_optimizer_lr_cannot_disagree(tmp_path):
    path = tmp_path / "run.safetensors"
    path.write_bytes(ours_with(meta_change=lambda m: m["optimizer_groups"][0].update(lr=0.5)))
    try:
        session = load_checkpoint(path)
    except SessionError:
        return
    assert session.optimizer.param_groups[0]["lr"] == session.lr


# -- crafted files: what a checkpoint may not smuggle in ------------------------------------


@pytest.mark.parametrize("change, words", [
    (lambda meta, tensors: meta["history"]["points"].__setitem__(0, math.nan), "not finite"),
    (lambda meta, tensors: meta["history"].update(last=0.0, lowest=0.0), "the loss history ends at 0"),
    (lambda meta, tensors: tensors.update({"model.layers.0.weight": torch.ones(1, 1, dtype=torch.int64)}), "not float32"),
    (lambda meta, tensors: tensors.update({"optimizer.0.step": torch.tensor(-1.0)}), "below 0"),
    (lambda meta, tensors: meta["optimizer_scalars"].update({"0": {"momentum_buffer": "x"}}), "not a tensor"),
])
def test_crafted_values_are_refused(change, words):
    session = trained(5, optimizer="adam")
    tensors, meta = export_state(session)
    change(meta, tensors)
    with pytest.raises(SessionError, match=words):
        import_state(tensors, meta)


def test_the_optimizers_settings_come_from_the_program_not_the_file():
    tensors, meta = export_state(trained(5, optimizer="momentum"))
    meta["optimizer_groups"][0].update(momentum=math.nan, dampening=5.0)
    resumed = import_state(tensors, meta)
    group = resumed.optimizer.param_groups[0]
    assert group["momentum"] == 0.9 and group.get("dampening", 0) == 0
    resumed.step(3)
    assert math.isfinite(resumed.loss)
