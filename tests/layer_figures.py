"""Layers as the screen receives them (plain numbers), shared by the widget tests."""

from __future__ import annotations

from scratchnn_tui.training.snapshot import LayerView

# The article's figure: X = [[1,2],[3,4]], W = [[5,7],[6,8]], b = 0 give Z = A = Y.
FIGURE = LayerView(
    inputs=((1.0, 2.0), (3.0, 4.0)),
    weight=((5.0, 7.0), (6.0, 8.0)),
    bias=(0.0, 0.0),
    pre_activation=((19.0, 22.0), (43.0, 50.0)),
    outputs=((19.0, 22.0), (43.0, 50.0)),
    targets=((19.0, 22.0), (43.0, 50.0)),
)
