"""A session as plain data and back: what a checkpoint holds, checked before it is trusted.

`export_state` gives cpu tensors and JSON-able metadata; `import_state` rebuilds the session
exactly (the same weights, optimizer state, epoch and loss history), or raises SessionError
saying what is wrong with the data. A checkpoint may come from anyone, so everything in it is
checked: shapes against the model, values for finiteness, numbers for agreement.
"""

from __future__ import annotations

import math

import torch

from .errors import SessionError
from .history import LossHistory


def export_state(session) -> tuple[dict[str, torch.Tensor], dict]:
    """Tensors: `model.<name>` for the parameters, `optimizer.<index>.<key>` for the
    optimizer's per-parameter state (momentum, Adam's moments and step). Metadata: the
    settings, the epoch, the loss history and the optimizer's non-tensor state."""
    session.check()
    tensors = {f"model.{name}": value.detach().cpu().contiguous()
               for name, value in session.model.state_dict().items()}
    optimizer_state = session.optimizer.state_dict()
    scalars: dict[str, dict] = {}
    for index, values in optimizer_state["state"].items():
        for key, value in values.items():
            if torch.is_tensor(value):
                tensors[f"optimizer.{index}.{key}"] = value.detach().cpu().contiguous()
            else:
                scalars.setdefault(str(index), {})[key] = value
    meta = {"task": session.task.name, "optimizer": session.optimizer_key, "lr": session.lr,
            "seed": session.seed, "epoch": session.epoch, "history": session._history.to_dict(),
            "optimizer_groups": optimizer_state["param_groups"], "optimizer_scalars": scalars}
    return tensors, meta


def import_state(cls, tensors: dict[str, torch.Tensor], meta: dict, device: str):
    try:
        session = cls(task=meta["task"], optimizer=meta["optimizer"], lr=meta["lr"],
                      seed=meta["seed"], device=device)
        epoch = meta["epoch"]
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
            raise SessionError(f"epoch {epoch!r} is not a whole number ≥ 0")
        history = LossHistory.from_dict(meta["history"])
        if history.count != epoch + 1:
            raise SessionError(f"the loss history has {history.count} losses for {epoch} epochs")
        _check_finite(tensors)
        model_state = {key[len("model."):]: value for key, value in tensors.items() if key.startswith("model.")}
        session.model.load_state_dict({k: v.to(session.device) for k, v in model_state.items()})
        session.optimizer.load_state_dict(_optimizer_state(session, tensors, meta))
    except SessionError:
        raise
    except (KeyError, TypeError, ValueError, RuntimeError, AttributeError, OverflowError) as error:
        text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SessionError(f"the checkpoint does not describe a session: {text}") from None
    session.epoch, session._history, session._pending = epoch, history, []
    session._mark()
    session._saved = session._signature()
    return session


def _check_finite(tensors: dict[str, torch.Tensor]) -> None:
    for name, value in tensors.items():
        if value.is_floating_point() and not bool(torch.isfinite(value).all()):
            raise SessionError(f"{name} holds values that are not finite")


def _optimizer_state(session, tensors: dict[str, torch.Tensor], meta: dict) -> dict:
    """The optimizer's state dict, each per-parameter tensor checked against its parameter."""
    parameters = list(session.model.parameters())
    per_parameter: dict[int, dict] = {}
    for key, value in tensors.items():
        if key.startswith("optimizer."):
            _, index, name = key.split(".", 2)
            position = int(index)
            if not 0 <= position < len(parameters):
                raise SessionError(f"{key} belongs to no parameter")
            if value.dim() > 0 and value.shape != parameters[position].shape:
                raise SessionError(f"{key} has shape {tuple(value.shape)}, its parameter "
                                   f"{tuple(parameters[position].shape)}")
            per_parameter.setdefault(position, {})[name] = value
    for index, values in meta["optimizer_scalars"].items():
        per_parameter.setdefault(int(index), {}).update(values)
    groups = meta["optimizer_groups"]
    for group in groups:
        if "lr" in group and not math.isclose(float(group["lr"]), float(meta["lr"])):
            raise SessionError(f"the optimizer's learning rate {group['lr']} is not the "
                               f"session's {meta['lr']}")
    return {"state": per_parameter, "param_groups": groups}
