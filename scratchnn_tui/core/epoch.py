"""One epoch, the textbook way: the five lines every PyTorch training loop is made of.

    optimizer.zero_grad()          forget the last epoch's gradients (backward adds to .grad)
    loss = mse(net(x), y)          forward: the predictions, and how far they are from the targets
    loss.backward()                autograd fills each parameter's .grad with ∂loss/∂parameter
    optimizer.step()               the optimizer moves each parameter, using its .grad

An epoch here is one update on the whole batch (the tasks are a handful of samples). The app's
own loop (`training.fast_loop`) does exactly this, and a test checks it bit for bit against
`train_epoch`. `backward.gradients` writes out by hand what `loss.backward()` computes.
"""

from __future__ import annotations

from torch import Tensor, nn
from torch.nn import functional as F
from torch.optim import Optimizer


def train_epoch(net: nn.Module, optimizer: Optimizer, x: Tensor, y: Tensor) -> Tensor:
    """Train `net` for one epoch on the batch (x, y); returns the loss measured before the update
    (mean squared error over every element), detached from the graph."""
    optimizer.zero_grad()
    loss = F.mse_loss(net(x), y)
    loss.backward()
    optimizer.step()
    return loss.detach()
