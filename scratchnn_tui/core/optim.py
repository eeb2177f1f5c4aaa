"""Optimizers written out: `SGD` (with momentum), `Adam`, and `Solved`, the article's "fake" one.

An optimizer is handed a network's parameters and, on each `step()`, changes them in place. The
real ones read each parameter's gradient `p.grad` (left there by `loss.backward()`); `Solved`
ignores it and writes the known answer. All three are `torch.optim.Optimizer`s, shaped like
PyTorch's own `optim/sgd.py`: check the arguments, keep them in `defaults`, and step over
`self.param_groups` under `no_grad` (the update is not part of what the network computes).

SGD and Adam do what `torch.optim.SGD` and `torch.optim.Adam` do on the cpu, operation by
operation and in the same order, so they give the same bits, and they keep their state under
torch's names (`momentum_buffer`; `step`, `exp_avg`, `exp_avg_sq`) so torch's state dicts load.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

import torch
from torch import Tensor
from torch.optim import Optimizer


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(message)


def _check_lr(lr: float) -> None:
    _require(math.isfinite(lr) and lr > 0, f"the learning rate must be a finite number > 0, got {lr}")


def _closure_loss(closure: Callable[[], Tensor] | None) -> Tensor | None:
    """Run `closure` (it recomputes the loss and calls `backward()`) with autograd on, as torch's
    optimizers do: `step()` itself runs under `no_grad`."""
    if closure is None:
        return None
    with torch.enable_grad():
        return closure()


class SGD(Optimizer):
    r"""Stochastic gradient descent: step every weight a little way down its gradient.

    The gradient g = ∂L/∂p points the way the loss rises fastest, so a small step against it
    lowers the loss; the learning rate says how small:

        p ← p − lr·g

    With momentum μ > 0 each weight also keeps a velocity b, a running sum of its recent
    gradients in which each older one counts μ times less. Pushes that agree from step to step
    add up, and ones that flip back and forth cancel out; the weight moves along the velocity:

        b ← g                (the first step)
        b ← μ·b + g          (every later step)
        p ← p − lr·b

    Args:
        params: the parameters to train: ``model.parameters()`` or ``model.named_parameters()``.
        lr: the learning rate, > 0.
        momentum: μ, ≥ 0; 0 (the default) is plain SGD and keeps no state.

    State per parameter (torch's name): ``momentum_buffer``, the velocity b (only when μ ≠ 0).
    """

    def __init__(self, params: Iterable, lr: float, momentum: float = 0.0) -> None:
        _check_lr(lr)
        _require(math.isfinite(momentum) and momentum >= 0,
                 f"momentum must be a finite number ≥ 0, got {momentum}")
        super().__init__(params, dict(lr=lr, momentum=momentum))

    @torch.no_grad()
    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor | None:
        loss = _closure_loss(closure)
        for group in self.param_groups:
            lr, momentum = group["lr"], group["momentum"]
            for p in group["params"]:
                if p.grad is None:  # not part of this loss: leave it, as torch does
                    continue
                g = p.grad
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = state["momentum_buffer"] = g.detach().clone()
                    else:
                        buf.mul_(momentum).add_(g)
                    g = buf
                p.add_(g, alpha=-lr)  # p ← p − lr·g
        return loss


class Adam(Optimizer):
    r"""Adam: a step size of its own for every weight, from running moments of its gradient.

    One learning rate rarely suits every weight: some see large gradients, some tiny ones.
    Adam keeps two running averages per weight, m of the gradient (its direction, smoothed as
    momentum smooths it) and v of the squared gradient (its typical size), and steps along
    m / √v: about lr per step for every weight, whatever the scale of its gradient.

        t ← t + 1
        m ← β₁·m + (1 − β₁)·g
        v ← β₂·v + (1 − β₂)·g²
        m̂ = m / (1 − β₁ᵗ)        v̂ = v / (1 − β₂ᵗ)
        p ← p − lr · m̂ / (√v̂ + ε)

    Why m̂ and v̂: m and v start at zero, so early on they are too small (after the first step
    m = (1 − β₁)·g, a tenth of g for β₁ = 0.9). Dividing by 1 − βᵗ undoes exactly that bias, and
    the correction fades to nothing as t grows. ε keeps the division finite where v is 0.

    Args:
        params: the parameters to train: ``model.parameters()`` or ``model.named_parameters()``.
        lr: the learning rate, > 0.
        betas: (β₁, β₂), each in [0, 1): how slowly m and v forget.
        eps: ε, ≥ 0.

    State per parameter (torch's names): ``step`` (t, a float32 scalar tensor on the cpu),
    ``exp_avg`` (m) and ``exp_avg_sq`` (v).
    """

    def __init__(self, params: Iterable, lr: float, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8) -> None:
        _check_lr(lr)
        beta1, beta2 = betas
        _require(0 <= beta1 < 1 and 0 <= beta2 < 1, f"betas must each be in [0, 1), got {tuple(betas)}")
        _require(math.isfinite(eps) and eps >= 0, f"eps must be a finite number ≥ 0, got {eps}")
        super().__init__(params, dict(lr=lr, betas=(beta1, beta2), eps=eps))

    @torch.no_grad()
    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor | None:
        loss = _closure_loss(closure)
        for group in self.param_groups:
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                state = self.state[p]
                if not state:  # the first step: t = 0, m = v = 0
                    state["step"] = torch.tensor(0.0, dtype=torch.float32)
                    state["exp_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                    state["exp_avg_sq"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                m, v = state["exp_avg"], state["exp_avg_sq"]
                state["step"] += 1
                t = state["step"].item()
                m.lerp_(g, 1 - beta1)  # m ← m + (1 − β₁)(g − m) = β₁·m + (1 − β₁)·g
                v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
                bias_correction1 = 1 - beta1**t
                bias_correction2 = 1 - beta2**t
                step_size = lr / bias_correction1
                denom = (v.sqrt() / bias_correction2**0.5).add_(eps)  # √v̂ + ε
                p.addcdiv_(m, denom, value=-step_size)  # p ← p − lr·m̂ / (√v̂ + ε)
        return loss


class Solved(Optimizer):
    """An optimizer that already knows the answer: one `step()` sets every parameter to it.

    A real optimizer reads each parameter's gradient and nudges the parameter; this one ignores
    gradients and writes the known values. It exists to show the other half of the contract: an
    optimizer is handed the model's (named) parameters and changes them in place.

    Args:
        params: ``model.named_parameters()``; names (``layers.0.weight``, …) are how the answer
            is matched.
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
        loss = _closure_loss(closure)
        for group in self.param_groups:
            for name, param in zip(group["param_names"], group["params"]):
                param.copy_(self.answer[name])  # copy_ casts to the parameter's dtype and device
        return loss
