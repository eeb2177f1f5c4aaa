"""The lesson: a neural network from first principles, in PyTorch. Read this package first.

It needs nothing but torch and the standard library, so it can be read, imported and run on its
own, in a notebook say. Everything else in scratchnn-tui (training sessions, files, the worker,
the screen) is built on it. Read it in this order:

    layer.py     ScratchLinear: a layer of neurons is one matrix product, Z = X Wᵀ + b
    net.py       ScratchNet(sizes): layers in a row, a ReLU after the hidden ones
    init.py      where the weights start: nn.Linear's uniform draw, or the article's zeros
    epoch.py     one epoch, the textbook way: zero_grad, forward, loss, backward, step
    backward.py  what loss.backward() computes, written out with the chain rule
    optim.py     what optimizer.step() does: SGD, momentum, Adam, and Solved, the fake one
    units.py     what each hidden unit adds to the output: a joint at x = −b/w

    >>> import torch
    >>> from scratchnn_tui.core import SGD, ScratchNet, gradients, train_epoch
    >>> net = ScratchNet([1, 1])
    >>> x = torch.tensor([[1.0], [2.0], [3.0], [4.0]]); y = 3 * x
    >>> loss = train_epoch(net, SGD(net.parameters(), lr=0.02), x, y)
"""

from .backward import Backward, LayerTrace, backward, gradients
from .epoch import train_epoch
from .init import INITS, initialise
from .layer import ScratchLinear
from .net import ScratchNet
from .optim import SGD, Adam, Solved
from .units import contributions, hinge

__all__ = ["ScratchLinear", "ScratchNet", "Solved", "SGD", "Adam", "gradients", "backward",
           "Backward", "LayerTrace", "train_epoch", "initialise", "INITS",
           "contributions", "hinge"]
