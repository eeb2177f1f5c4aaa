"""Paging through a deeper network's layers: which one the panels show, and what its title says.

The diagram, the matrix form and the gradient panel show one layer at a time (a layer is what
the article draws); `[` and `]` move down and up the network. A one-layer network has nothing
to page: its title stays the plain "Layer".
"""

from __future__ import annotations

from ..training.snapshot import Snapshot


def shown_layer(requested: int, depth: int) -> int:
    """The layer to show, counted from 0 at the inputs: the one paged to while the network has
    it, else the output layer (a new, smaller network; or −1, the start)."""
    return requested if 0 <= requested < depth else depth - 1


def layer_title(snapshot: Snapshot, shown: int) -> str:
    """`Layer`, or `Layer 1 of 2 (hidden, 2→4) · [ ] pages` for a deeper network."""
    depth = len(snapshot.layers)
    if depth == 1:
        return "Layer"
    layer = snapshot.layer_at(shown)
    role = "output" if shown == depth - 1 else "hidden"
    return (f"Layer {shown + 1} of {depth} ({role}, {layer.in_features}→{layer.out_features}) · "
            f"[ ] pages")


def panel_title(snapshot: Snapshot, shown: int) -> str:
    """The layer panel's border: `Layer 1 of 2 (hidden, 2→4) · [ ] pages · xor: y = a xor b`.

    The task's title is short (`tasks.TITLE_MAX`): with the deepest network this still fits at
    80 columns; what the task teaches is said whole when `t` picks it.
    """
    return f"{layer_title(snapshot, shown)} · {snapshot.task}: {snapshot.task_title}"
