"""A session as plain data and back: what a checkpoint holds, checked before it is trusted.

`export_state` gives cpu tensors and JSON-able metadata; `import_state` rebuilds the session
exactly (the same weights, optimizer state, epoch and loss history), or raises SessionError
saying what is wrong with the data. A checkpoint may come from anyone, so everything in it is
checked: shapes against the model, values for finiteness, numbers for agreement.
"""

from __future__ import annotations

import math

import torch

from ..training.data_file import task_from_data
from ..training.errors import SessionError, first_line
from ..training.history import LossHistory
from ..training.session import Session


def export_state(session: Session) -> tuple[dict[str, torch.Tensor], dict]:
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
            "init": session.init, "run_speed": session.run_speed, "hidden": list(session.hidden),
            "seed": session.seed, "epoch": session.epoch, "history": session.history.to_dict(),
            "optimizer_groups": optimizer_state["param_groups"], "optimizer_scalars": scalars}
    if session.data is not None:  # the user's own data travels with the session: it is small
        data = session.data
        meta["data"] = {"name": data.name, "source": data.source, "inputs": data.inputs,
                        "targets": data.targets}
    return tensors, meta


def import_state(tensors: dict[str, torch.Tensor], meta: dict, device: str = "cpu") -> Session:
    """The session `export_state` described, on `device`; SessionError if anything is off."""
    try:
        session = Session(task=meta["task"], optimizer=meta["optimizer"], lr=meta["lr"],
                      seed=meta["seed"], device=device, data=_data(meta),
                      init=meta.get("init", "uniform"),  # 0.1's checkpoints: nn.Linear's draw
                      run_speed=meta.get("run_speed"),  # older checkpoints: max
                      hidden=tuple(meta.get("hidden", ())))  # older ones: the one layer
        epoch = meta["epoch"]
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
            raise SessionError(f"epoch {epoch!r} is not a whole number ≥ 0")
        history = LossHistory.from_dict(meta["history"])
        if history.count != epoch + 1:
            raise SessionError(f"the loss history has {history.count} losses for {epoch} epochs")
        _check_values(tensors)
        model_state = {key[len("model."):]: value for key, value in tensors.items() if key.startswith("model.")}
        _check_model_shapes(session, model_state)
        session.model.load_state_dict({k: v.to(session.device) for k, v in model_state.items()})
        session.optimizer.load_state_dict(_optimizer_state(session, tensors, meta))
        _check_history_matches(session, history)
    except SessionError:
        raise
    except (KeyError, TypeError, ValueError, RuntimeError, AttributeError, OverflowError) as error:
        raise SessionError(f"the checkpoint does not describe a session: {first_line(error)}") from None
    session.resume_at(epoch, history)
    return session


def _data(meta: dict):
    """The user's data saved with the session, checked as a data file is, or None."""
    saved = meta.get("data")
    if saved is None:
        return None
    if not isinstance(saved, dict):
        raise SessionError("the saved data is not a JSON object")
    name, source = saved["name"], saved.get("source")
    for text in (name, source):
        if text is not None and not (isinstance(text, str) and 0 < len(text) <= 255 and text.isprintable()):
            raise SessionError("the saved data's name is not a short line of text")
    return task_from_data(name, saved["inputs"], saved["targets"], origin=source)


def _check_values(tensors: dict[str, torch.Tensor]) -> None:
    """Float32 and finite, as the session keeps them; Adam's step count not below 0."""
    for name, value in tensors.items():
        if value.dtype != torch.float32:
            raise SessionError(f"{name} is {value.dtype}, not float32")
        if not bool(torch.isfinite(value).all()):
            raise SessionError(f"{name} holds values that are not finite")
        if name.endswith(".step") and bool((value < 0).any()):
            raise SessionError(f"{name} is below 0")


def _check_model_shapes(session: Session, model_state: dict[str, torch.Tensor]) -> None:
    """The saved parameters must be the ones the task's network has, shape for shape.

    Checked before `load_state_dict`, whose refusal says only "Error(s) in loading state_dict"
    on its first line: a user who loads a checkpoint of another task needs to see both shapes.
    """
    wanted = {name: tuple(value.shape) for name, value in session.model.state_dict().items()}
    found = {name: tuple(value.shape) for name, value in model_state.items()}
    if found == wanted:
        return
    task = session.task.name
    theirs, ours = _layout(found), _layout(wanted)
    if theirs is not None and ours is not None and theirs != ours:
        count = "layers are" if theirs.count("→") > 1 else "layer is"
        raise SessionError(f"its weights do not fit task {task}: the checkpoint's {count} {theirs}, "
                           f"the task's {ours}")
    for name, shape in wanted.items():
        if name not in found:
            raise SessionError(f"the checkpoint does not describe a session: model.{name} is missing")
        if found[name] != shape:
            raise SessionError(f"its weights do not fit task {task}: model.{name} has shape "
                               f"{found[name]}, the task's {shape}")
    extra = sorted(set(found) - set(wanted))[0]
    raise SessionError(f"the checkpoint does not describe a session: model.{extra} belongs to no "
                       f"parameter of task {task}'s network")


def _layout(shapes: dict[str, tuple]) -> str | None:
    """The widths of a network's layers, inputs first (`2→2`, `1→8→1`), read from the shapes of
    its `layers.<k>.weight` (out × in); None if they do not chain into one network."""
    weights = {name: shape for name, shape in shapes.items()
               if name.startswith("layers.") and name.endswith(".weight")}
    chain: list[int] = []
    for k in range(len(weights)):
        shape = weights.get(f"layers.{k}.weight")
        if shape is None or len(shape) != 2 or (chain and chain[-1] != shape[1]):
            return None
        chain += [shape[1], shape[0]] if not chain else [shape[0]]
    return "→".join(map(str, chain)) if chain else None


def _check_history_matches(session, history: LossHistory) -> None:
    """The last loss in the history must be the loss of the saved weights: the history is
    shown as the run's record, so it may not tell another story than the weights."""
    with torch.no_grad():
        actual = torch.nn.functional.mse_loss(session.model(session.batch[0]), session.batch[1]).item()
    if not math.isclose(actual, history.last, rel_tol=1e-5, abs_tol=1e-7):
        raise SessionError(f"the loss history ends at {history.last:g}, the saved weights give {actual:g}")


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
        for key, value in values.items():
            if value is not None:  # what our optimizers keep besides tensors: nothing else
                raise SessionError(f"optimizer state {index}.{key} is not a tensor")
    # The optimizer's settings come from this program's own optimizer, never from the file
    # (a momentum of NaN or betas above 1 would break every step): only the learning rate is
    # the file's, and it must agree with the session's.
    for group in meta["optimizer_groups"]:
        if "lr" in group and not math.isclose(float(group["lr"]), float(meta["lr"])):
            raise SessionError(f"the optimizer's learning rate {group['lr']} is not the "
                               f"session's {meta['lr']}")
    groups = session.optimizer.state_dict()["param_groups"]
    return {"state": per_parameter, "param_groups": groups}
