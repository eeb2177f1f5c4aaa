"""The article's figure in light themes, compared with accepted SVGs: inputs, weights and outputs
must stay legible there (the theme's own red and green for text, on its background).
Regenerate after a deliberate change with `--snapshot-update`, then look at the report."""

from __future__ import annotations

import pytest

from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import SCENES, play
from scratchnn_tui.ui.themes import ThemeChoice

pytestmark = pytest.mark.usefixtures("one_kernel_path")  # the same numbers on every machine (conftest)


@pytest.mark.parametrize("theme", ["textual-light", "solarized-light"])
def test_the_figure_in_a_light_theme(snap_compare, theme):
    scene = SCENES["seed-2x2"]

    async def run_before(pilot):
        await play(pilot, scene)
        await pilot.press("G")  # the matrix form's gradients too

    app = ScratchApp(theme=ThemeChoice(theme), **scene.settings)
    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
