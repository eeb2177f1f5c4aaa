"""Screens compared with accepted SVGs (pytest-textual-snapshot). Regenerate after a deliberate
change with `pytest tests/test_snapshots.py --snapshot-update`, then look at the report."""

from __future__ import annotations

import pytest

from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import SCENES, play, settle

SIZES = [(80, 24), (120, 36)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCENES))
def test_scene(snap_compare, name, size):
    scene = SCENES[name]

    async def run_before(pilot):
        await play(pilot, scene)

    assert snap_compare(ScratchApp(**scene.settings), terminal_size=size, run_before=run_before)


def test_help_screen(snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")

    assert snap_compare(ScratchApp(), terminal_size=(80, 24), run_before=run_before)
