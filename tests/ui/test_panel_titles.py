"""The layer panel's border title fits whole at 80 columns, for every task and depth (it was
cut: "…a hidden layer ca…")."""

from __future__ import annotations

import pytest

from scratchnn_tui.training.session import Session
from scratchnn_tui.training.tasks import TASKS
from scratchnn_tui.ui.layer_pages import panel_title

BORDER_ROOM = 80 - 4  # the corners and the title's gaps


@pytest.mark.parametrize("hidden", [None, (4,), (64, 64, 64, 64)])
@pytest.mark.parametrize("task", list(TASKS))
def test_every_tasks_title_fits_at_80_columns_on_every_layer(task, hidden):
    snapshot = Session(task=task, hidden=hidden).snapshot()
    for shown in range(len(snapshot.layers)):
        title = panel_title(snapshot, shown)
        assert len(title) <= BORDER_ROOM, title
        assert f"{task}: {snapshot.task_title}" in title
