"""The lesson: a neural network from first principles, in PyTorch. Read this package first.

It needs nothing but torch and the standard library, so it can be read, imported and run on its
own (in a notebook, say):

    >>> from scratchnn_tui.core import ScratchNet, Solved
"""

from .layer import ScratchLinear
from .net import ScratchNet
from .optim import Solved

__all__ = ["ScratchLinear", "ScratchNet", "Solved"]
