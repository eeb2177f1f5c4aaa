"""Which Session method, or which function of the storage layer, answers each request.

Every answer is the message to show (None: nothing to say), or a `SessionError` whose one line
is shown in red while the session stays as it was. `Load` is the one request that replaces the
session: it answers with a new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .requests import (Autosave, ChangeRunSpeed, ChooseCode, ChooseFunction, ChooseSurface, ExportCsv, ExportFit, ExportSurface, FileRequest, Load, MeasureDevices, NextDevice,
                       NextOptimizer, NextTask, Reset, Save, ScaleLr, SessionRequest, SetHidden, SetInit, SetLr,
                       SetNumber, SetOptimizer, SetProbe, SetSeed, SetTask, Step, StepBack)
from ..training.function_view import FunctionChoice
from ..training.surface_view import SurfaceChoice
from .lesson_run import carry_out_lesson, in_lesson, is_lesson, refuse_in_lesson
from .race_run import RaceRun, carry_out_racing, is_race

if TYPE_CHECKING:
    from ..training.session import Session


DISCARDING = (Reset, NextTask, SetTask, SetSeed, SetInit, SetHidden)
"""Requests that start the session afresh: unsaved progress is autosaved before them."""


def carry_out(session: Session, request: SessionRequest | FileRequest) -> tuple[Session, str | None]:
    """Do what `request` asks (see `_carry_out`); before a request that would throw unsaved
    progress away (a reset, a new task, seed or init, a load), that progress goes to the state
    folder first, and the message says how to get it back. Nothing a user did is lost."""
    from ..storage import session_io

    if is_lesson(request):  # a step of the lesson, or back to the user's session
        return carry_out_lesson(session, request)
    if isinstance(session, RaceRun) or is_race(request):  # the race answers while it is on
        return carry_out_racing(session, request)
    if in_lesson(session):
        if isinstance(request, Autosave):  # quitting mid-lesson: the user's session is what to keep
            return session, carry_out(session.waiting, request)[1]
        if isinstance(request, Load):
            raise refuse_in_lesson("L (load)")
    if isinstance(request, Load):  # the new session first: a load that fails discards nothing
        new, message = _carry_out(session, request)
        return new, _said_with(message, session_io.keep_aside(session))
    if isinstance(request, DISCARDING):
        kept = session_io.keep_aside(session)  # None when nothing is unsaved
        new, message = _carry_out(session, request)
        return new, _said_with(message, kept)
    return _carry_out(session, request)


def _said_with(message: str | None, kept: str | None) -> str | None:
    """The request's message, then where the session before it went."""
    return message if kept is None else f"{message}. {kept}"


def _carry_out(session: Session, request: SessionRequest | FileRequest) -> tuple[Session, str | None]:
    """Do what `request` asks of `session`: the session to keep (a new one after a `Load`) and
    the message to show. Raises `SessionError` on a refusal, and whatever a bug or a device
    fault raises otherwise; `TypeError` for something that is not a request."""
    # Imported here, where a session exists and torch is loaded: the UI process imports this
    # module (through the thread worker) but never calls it, and must not load torch.
    from ..storage import session_io
    from ..storage.fit_csv import write_fit_csv

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
        case SetHidden(hidden):
            return session, session.set_hidden(hidden)
        case ChangeRunSpeed(step):
            return session, session.change_run_speed(step)
        case StepBack(moments):
            return session, session.step_back(moments)
        case SetNumber(neuron, index, value, layer):
            return session, session.set_number(neuron, index, value, layer)
        case SetProbe(values):
            return session, session.set_probe(values)
        case MeasureDevices(token):
            return session, session.measure_devices(token)
        case ChooseFunction(layer, neuron, along):
            return session, session.choose_function(FunctionChoice(layer, neuron, along))
        case ChooseSurface(shown, layer, neuron, index):
            return session, session.choose_surface(SurfaceChoice(shown, layer, neuron, index))
        case ChooseCode(shown):
            return session, session.show_code(shown)
        case Save(path):
            return session, session_io.save(session, path)
        case ExportCsv(path):
            return session, session_io.export_csv(session, path)
        case ExportFit(path):
            return session, write_fit_csv(session, path)
        case ExportSurface(path):
            from ..storage.surface_csv import write_surface_csv

            return session, write_surface_csv(session, path)
        case Autosave():
            return session, session_io.autosave(session)
        case Load(path):
            return session_io.load(path, session.device)
    raise TypeError(f"{request!r} is not a request the worker knows")
