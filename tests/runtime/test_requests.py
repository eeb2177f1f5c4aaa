"""Requests: plain, picklable, documented data; what each does through the thread worker (a Load
replaces its session); and the one protocol both workers speak."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
import typing

import pytest

from scratchnn_tui.runtime.process_worker import ProcessWorker
from scratchnn_tui.runtime.protocol import Worker, new_worker
from scratchnn_tui.runtime.recovery import RecoveringWorker
from scratchnn_tui.runtime.requests import (Autosave, ExportCsv, Load, NextOptimizer, NextTask, Request,
                                            Save, SetLr, Step, Stop, name_of)
from scratchnn_tui.runtime.worker import SessionWorker
from scratchnn_tui.training.session import Session

from test_worker import start_worker, wait_idle  # noqa: F401  (start_worker is a fixture)

REQUEST_TYPES = typing.get_args(Request)
EXAMPLE_VALUES = {"int": 3, "float": 0.5, "bool": True, "str": "run.safetensors", "tuple[str, ...]": ("10", "2")}


def example(request_type: type) -> object:
    return request_type(*(EXAMPLE_VALUES[field.type] for field in dataclasses.fields(request_type)))


def test_every_request_is_frozen_documented_and_crosses_a_pipe_as_it_is():
    # every request the module defines is one a worker's `send` takes (a Union member), bar Stop
    from scratchnn_tui.runtime import requests

    defined = {obj for obj in vars(requests).values()
               if dataclasses.is_dataclass(obj) and obj.__module__ == requests.__name__}
    assert set(REQUEST_TYPES) == defined - {Stop} and len(REQUEST_TYPES) == len(defined) - 1
    for request_type in REQUEST_TYPES:
        request = example(request_type)
        assert pickle.loads(pickle.dumps(request)) == request
        # its own docstring, not the signature dataclasses write when there is none
        assert not request_type.__doc__.startswith(f"{request_type.__name__}("), request_type
        for field in dataclasses.fields(request):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(request, field.name, None)


def test_requests_are_named_in_words():
    assert name_of(Step()) == "step"
    assert name_of(NextOptimizer()) == "next optimizer"
    assert name_of(ExportCsv("x.csv")) == "export csv"
    assert name_of(SetLr(0.1)) == "set lr"


def test_every_worker_speaks_exactly_the_worker_protocol():
    members = [name for name in vars(Worker) if not name.startswith("_")]
    assert set(members) == {"start", "send", "stop", "idle", "alive", "can_save", "published", "pid"}
    for worker_class in (SessionWorker, ProcessWorker, RecoveringWorker):
        for name in members:
            expected = inspect.getattr_static(Worker, name)
            actual = inspect.getattr_static(worker_class, name)
            if isinstance(expected, property):
                assert isinstance(actual, property), (worker_class, name)
            else:
                assert inspect.signature(actual) == inspect.signature(expected), (worker_class, name)


def test_new_worker_runs_an_injected_factory_here_and_settings_in_a_child_that_comes_back():
    def ignore(*args):
        return None

    assert isinstance(new_worker(ignore, ignore, make_session=Session), SessionWorker)
    assert isinstance(new_worker(ignore, ignore, task="square"), RecoveringWorker)


def test_load_replaces_the_session_and_a_refused_load_keeps_it(start_worker, tmp_path):
    path = str(tmp_path / "run.safetensors")
    worker, rec = start_worker()
    worker.send(Step(5))
    worker.send(Save(path))
    worker.send(NextTask())
    worker.send(Load(path))
    worker.send(Step(1))  # trains the loaded session, not the one it replaced
    wait_idle(worker)
    assert rec.last.epoch == 6 and rec.last.task == "triple"
    reference = Session()
    reference.step(6)
    assert list(rec.last.losses) == reference.losses
    worker.send(Load(str(tmp_path / "missing.safetensors")))
    worker.send(Autosave())
    wait_idle(worker)
    texts = [text for text, _ in rec.messages]
    assert texts[0] == f"Saved epoch 5 to {path}"
    assert texts[2] == f"Loaded {path}: task triple, SGD, epoch 5"
    assert rec.messages[3][1] is True and "missing.safetensors" in texts[3]
    assert texts[4].startswith("Session saved to ")
    assert rec.last.epoch == 6


class FaultySession(Session):
    def next_task(self) -> str:
        raise RuntimeError("device fault\nlong traceback text")


@dataclasses.dataclass(frozen=True)
class Teleport:
    """Not a request the worker knows."""


def test_other_exceptions_become_messages_and_the_worker_keeps_serving(start_worker):
    worker, rec = start_worker(lambda: FaultySession())
    worker.send(Step(1))
    worker.send(NextTask())
    worker.send(Step("abc"))  # a TypeError inside the session
    worker.send(Teleport())
    worker.send(Step(1))
    wait_idle(worker)
    assert len(rec.messages) == 3
    assert all(is_error for _, is_error in rec.messages)
    fault, typed, unknown = (text for text, _ in rec.messages)
    assert fault == "next task failed: RuntimeError: device fault"
    assert typed.startswith("step failed: TypeError")
    assert unknown == "teleport failed: TypeError: Teleport() is not a request the worker knows"
    assert rec.last.epoch == 2
    assert "\n" not in "".join(text for text, _ in rec.messages)
