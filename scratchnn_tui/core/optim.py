"""`Solved`: the article's "fake" optimizer, which jumps straight to the known answer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import torch
from torch import Tensor
from torch.optim import Optimizer


class Solved(Optimizer):
    """An optimizer that already knows the answer: one `step()` sets every parameter to it.

    A real optimizer reads each parameter's gradient and nudges the parameter; this one ignores
    gradients and writes the known values. It exists to show the other half of the contract: an
    optimizer is handed the model's (named) parameters and changes them in place.

    Args:
        params: ``model.named_parameters()``; names are how the answer is matched.
        answer: parameter name → its exact value (nested lists or a tensor of its shape).
    """

    def __init__(self, params: Iterable[tuple[str, Tensor]], answer: Mapping[str, object]) -> None:
        super().__init__(params, defaults={})
        self.answer = {name: torch.as_tensor(value, dtype=torch.float64) for name, value in answer.items()}
        for group in self.param_groups:
            names = group.get("param_names")
            if names is None:
                raise ValueError("Solved matches parameters by name: pass model.named_parameters()")
            for name, param in zip(names, group["params"]):
                if name not in self.answer:
                    raise ValueError(f"the answer has no value for parameter {name!r}")
                if self.answer[name].shape != param.shape:
                    raise ValueError(f"answer for {name!r} has shape {tuple(self.answer[name].shape)}, "
                                     f"parameter has {tuple(param.shape)}")

    @torch.no_grad()
    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor | None:
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for name, param in zip(group["param_names"], group["params"]):
                param.copy_(self.answer[name])  # copy_ casts to the parameter's dtype and device
        return loss
