"""The backward pass by hand: every gradient of the loss, worked out with the chain rule.

`loss.backward()` asks autograd for ∂L/∂p, how much the loss L moves when a parameter p moves a
little. Here the same numbers are derived by hand. The loss is L = mean((A − Y)²) over every
element, and it depends on a weight only through a chain of steps: the weight makes Z, Z makes
A, A makes the next layer's Z, … up to the loss. The chain rule says the derivative through a
chain is the product of the derivatives of its links, so we start at the loss and walk down,
multiplying one link at a time. For each layer, top down:

    ∂L/∂A = 2(A − Y) / numel      at the output layer (numel: how many numbers Y holds)
    ∂L/∂Z = ∂L/∂A ⊙ relu′(Z)      relu′(z) = 1 if z > 0 else 0; just ∂L/∂A for a linear layer
    ∂L/∂W = (∂L/∂Z)ᵀ X            X: the layer's input
    ∂L/∂b = Σ over rows of ∂L/∂Z  every sample adds the same bias, so their pulls add up
    ∂L/∂X = (∂L/∂Z) W             the ∂L/∂A of the layer below, where the walk goes next

For one weight w = W[j, i] on a one-output net that is the article's formula with real numbers:
∂L/∂w = mean over samples of 2(a − y)·relu′(z)·x. `backward` keeps every term of the chain, so
it can be shown; `gradients` gives just the answer, the numbers autograd would put in `.grad`.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from .net import ScratchNet


@dataclass(frozen=True)
class LayerTrace:
    """One layer's numbers on the batch: the forward pass, then the backward pass.

    Attributes:
        x: the layer's input, ``(batch, in)``: the samples, or the outputs of the layer below.
        z: the weighted sums ``X Wᵀ + b``, ``(batch, out)``.
        a: the layer's output, ``(batch, out)``: ``relu(z)``, or ``z`` itself for a linear layer.
        relu: whether ReLU was applied.
        da: ∂L/∂A, ``(batch, out)``: how the loss moves with each output.
        dz: ∂L/∂Z, ``(batch, out)``: how the loss moves with each weighted sum.
    """

    x: Tensor
    z: Tensor
    a: Tensor
    relu: bool
    da: Tensor
    dz: Tensor

    @property
    def slope(self) -> Tensor:
        """∂A/∂Z for each sample and neuron, the link between ``da`` and ``dz = da * slope``."""
        return _slope(self.z, self.relu)


@dataclass(frozen=True)
class Backward:
    """Everything one backward pass found.

    Attributes:
        loss: the scalar loss ``mean((A − Y)²)`` on this batch.
        layers: a `LayerTrace` per layer, from the inputs up (the order of ``net.layers``).
        grads: ∂L/∂p for every parameter, keyed by its name in ``net.named_parameters()``.
    """

    loss: Tensor
    layers: tuple[LayerTrace, ...]
    grads: dict[str, Tensor]


def _slope(z: Tensor, relu: bool) -> Tensor:
    """The derivative of a layer's activation at ``z``, element by element.

    ReLU passes z on where z > 0 (slope 1) and outputs 0 elsewhere (slope 0). At z = 0 exactly
    it has a corner and no derivative; PyTorch takes 0 there, and so do we. A linear layer
    passes z on unchanged: slope 1 everywhere.
    """
    return (z > 0).to(z.dtype) if relu else torch.ones_like(z)


@torch.no_grad()  # every step is written out below: autograd has nothing to record
def backward(net: ScratchNet, x: Tensor, y: Tensor) -> Backward:
    """Run ``net`` forward on ``x``, then derive the gradient of the MSE loss against ``y``.

    Args:
        net: the network; it is read, never changed.
        x: the inputs, ``(batch, in)``.
        y: the targets, the shape of the net's output ``(batch, out)``.

    Returns:
        the loss, each layer's forward and backward terms, and the gradient of every parameter.
    """
    parts = net.parts(x)  # [(Z, A)] per layer, from the inputs up
    inputs = [x.detach(), *(a for _, a in parts[:-1])]  # each layer reads the one below's A
    out = parts[-1][1]
    if out.shape != y.shape:
        raise ValueError(f"the targets have shape {tuple(y.shape)}, the net outputs {tuple(out.shape)}")
    loss = ((out - y) ** 2).mean()

    da = 2 * (out - y) / y.numel()  # ∂L/∂A at the top: the derivative of the mean of squares
    traces: list[LayerTrace] = []
    grads: dict[str, Tensor] = {}
    for k in reversed(range(len(net.layers))):  # top down: each step needs the one above
        layer, relu, (z, a), x_k = net.layers[k], net.relu_after[k], parts[k], inputs[k]
        dz = da * _slope(z, relu)  # chain rule through the activation
        grads[f"layers.{k}.weight"] = dz.T @ x_k  # row j, column i: Σ over samples dz_j · x_i
        if layer.bias is not None:
            grads[f"layers.{k}.bias"] = dz.sum(dim=0)  # ∂z/∂b = 1, for every sample
        traces.append(LayerTrace(x=x_k, z=z, a=a, relu=relu, da=da, dz=dz))
        da = dz @ layer.weight  # ∂L/∂X: input i reaches the loss through every neuron j

    # In the order of named_parameters(), the order an optimizer and the reader meet them.
    ordered = {name: grads[name] for name, _ in net.named_parameters()}
    return Backward(loss=loss, layers=tuple(reversed(traces)), grads=ordered)


def gradients(net: ScratchNet, x: Tensor, y: Tensor) -> dict[str, Tensor]:
    """∂L/∂p for every parameter of ``net``, by name: what ``loss.backward()`` leaves in ``.grad``.

    ``L = mean((net(x) − y)²)``, as ``F.mse_loss``; see `backward` for the terms behind it.
    """
    return backward(net, x, y).grads
