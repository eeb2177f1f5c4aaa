"""The last update a user stepped, in plain numbers: what the gradient panel explains.

For every weight and bias of every layer: the value before and after the update, its gradient
worked out by hand (`core.backward`) beside the one autograd left in `.grad`, and the optimizer's
own numbers for it (momentum's velocity, Adam's moments and step count) before and after. With
the batch's forward pass before the update (Z, A), that is every number of the chain rule
∂L/∂w = Σ 2(a − y)·relu′(z)·x / numel and of the update rule, for any one weight.

Captured on `Session.step` (a key press, a headless epoch), not while a run goes on: it costs a
backward pass by hand and a read of the optimizer's state, which a run need not pay every epoch.
"""

from __future__ import annotations

import torch

from ..core.backward import backward
from .snapshot import LayerUpdate, Matrix, NumberUpdate, UpdateView


def _state(optimizer: torch.optim.Optimizer, param: torch.Tensor) -> dict[str, list[float]]:
    """The optimizer's per-parameter state as flat lists of floats (a scalar `step` repeated)."""
    found = {}
    for key, value in optimizer.state.get(param, {}).items():
        if torch.is_tensor(value):
            flat = value.detach().flatten().tolist()
            found[key] = flat if len(flat) == param.numel() else flat * param.numel()
    return found


class UpdateRecorder:
    """Takes the numbers before an update (`before`) and after it (`after`), for every layer."""

    def before(self, model, optimizer, x, y) -> None:
        self._trace = backward(model, x, y)
        self._targets = _rows(y)
        params = [p for layer in model.layers for p in (layer.weight, layer.bias)]
        self._before = [p.detach().flatten().tolist() for p in params]
        self._state_before = [_state(optimizer, p) for p in params]

    def after(self, model, optimizer, epoch: int, key: str, label: str) -> UpdateView:
        trace = self._trace
        layers = []
        for k, layer in enumerate(model.layers):
            numbers = []
            for part, param in enumerate((layer.weight, layer.bias)):
                at = 2 * k + part
                hand = trace.grads[f"layers.{k}.{('weight', 'bias')[part]}"].flatten().tolist()
                after = param.detach().flatten().tolist()
                grad = [0.0] * param.numel() if param.grad is None else param.grad.flatten().tolist()
                state_before, state_after = self._state_before[at], _state(optimizer, param)
                numbers.append(tuple(
                    NumberUpdate(self._before[at][i], after[i], hand[i], grad[i],
                                 tuple((name, values[i]) for name, values in state_before.items()),
                                 tuple((name, values[i]) for name, values in state_after.items()))
                    for i in range(param.numel())))
            n_out, n_in = layer.weight.shape
            step = trace.layers[k]
            layers.append(LayerUpdate(
                relu=step.relu, inputs=_rows(step.x), pre_activation=_rows(step.z),
                outputs=_rows(step.a), d_outputs=_rows(step.da), d_pre=_rows(step.dz),
                weight=tuple(numbers[0][j * n_in:(j + 1) * n_in] for j in range(n_out)),
                bias=numbers[1]))
        group = optimizer.param_groups[0]
        settings = []
        for name in ("lr", "momentum", "eps"):
            if name in group:
                settings.append((name, float(group[name])))
        if "betas" in group:
            settings += [("beta1", float(group["betas"][0])), ("beta2", float(group["betas"][1]))]
        return UpdateView(epoch=epoch, optimizer_key=key, optimizer=label, settings=tuple(settings),
                          targets=self._targets, layers=tuple(layers))


def _rows(tensor: torch.Tensor) -> Matrix:
    return tuple(tuple(row) for row in tensor.detach().tolist())
