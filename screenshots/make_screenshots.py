"""Regenerate the README's screenshots from the real app: `python screenshots/make_screenshots.py`.

Each scene of `scratchnn_tui.ui.scenes` is played in a headless app at 100×30 (or the scene's own
size) and saved as SVG.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import SCENES, play

HERE = Path(__file__).parent
SIZE = (100, 30)


async def capture(name: str) -> Path:
    scene = SCENES[name]
    app = ScratchApp(**scene.settings)
    async with app.run_test(size=scene.size or SIZE) as pilot:
        await play(pilot, scene)
        svg = app.export_screenshot(title=f"scratchnn-tui: {scene.caption}")
    path = HERE / f"{name}.svg"
    path.write_text(svg)
    return path


async def main() -> None:
    for name in SCENES:
        print(await capture(name))


if __name__ == "__main__":
    asyncio.run(main())
