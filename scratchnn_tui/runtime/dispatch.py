"""Which Session method, or which function of the storage layer, answers each request.

Every answer is the message to show (None: nothing to say), or a `SessionError` whose one line
is shown in red while the session stays as it was. `Load` is the one request that replaces the
session: it answers with a new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .requests import (Autosave, ExportCsv, FileRequest, Load, NextDevice, NextOptimizer, NextTask,
                       Reset, Save, ScaleLr, SessionRequest, SetInit, SetLr, SetNumber, SetOptimizer, SetProbe,
                       SetSeed, SetTask, Step, StepBack)

if TYPE_CHECKING:
    from ..training.session import Session


def carry_out(session: Session, request: SessionRequest | FileRequest) -> tuple[Session, str | None]:
    """Do what `request` asks of `session`: the session to keep (a new one after a `Load`) and
    the message to show. Raises `SessionError` on a refusal, and whatever a bug or a device
    fault raises otherwise; `TypeError` for something that is not a request."""
    # Imported here, where a session exists and torch is loaded: the UI process imports this
    # module (through the thread worker) but never calls it, and must not load torch.
    from ..storage import session_io

    match request:
        case Step(epochs):
            return session, session.step(epochs)
        case Reset():
            return session, session.reset()
        case NextOptimizer():
            return session, session.next_optimizer()
        case SetOptimizer(key):
            return session, session.set_optimizer(key)
        case NextDevice():
            return session, session.next_device()
        case NextTask():
            return session, session.next_task()
        case SetTask(name):
            return session, session.set_task(name)
        case ScaleLr(factor):
            return session, session.scale_lr(factor)
        case SetLr(lr):
            return session, session.set_lr(lr)
        case SetSeed(seed):
            return session, session.set_seed(seed)
        case SetInit(init):
            return session, session.set_init(init)
        case StepBack(moments):
            return session, session.step_back(moments)
        case SetNumber(neuron, index, value):
            return session, session.set_number(neuron, index, value)
        case SetProbe(values):
            return session, session.set_probe(values)
        case Save(path):
            return session, session_io.save(session, path)
        case ExportCsv(path):
            return session, session_io.export_csv(session, path)
        case Autosave():
            return session, session_io.autosave(session)
        case Load(path):
            return session_io.load(path, session.device)
    raise TypeError(f"{request!r} is not a request the worker knows")
