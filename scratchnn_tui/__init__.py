"""scratchnn-tui: a neural network layer from first principles, learning in your terminal."""

__version__ = "0.1.0"
