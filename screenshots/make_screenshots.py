"""Regenerate the README's screenshots from the real app: `python screenshots/make_screenshots.py`.

Each scene of `scratchnn_tui.ui.scenes` is played in a headless app at 100×30 (or the scene's own
size) and saved as SVG.
Where Debian's `chromium` is installed and textual-serve too, `web.png` is a real browser's
picture of the app served by `scratchnn-tui --web`; elsewhere that one is skipped quietly.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
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


def capture_web() -> Path | None:
    """`scratchnn-tui --web` on a free port of 127.0.0.1, photographed by headless Chromium once
    the app has had time to start in the page; None without chromium or textual-serve."""
    chromium = shutil.which("chromium")
    if chromium is None or importlib.util.find_spec("textual_serve") is None:
        return None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, "-m", "scratchnn_tui", "--web", "--port", str(port),
                               "--task", "seed-2x2"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    path = HERE / "web.png"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    return None
                time.sleep(0.2)
        # The page opens a websocket and the app loads PyTorch in it: give it real time to paint.
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--window-size=1280,800", "--virtual-time-budget=15000",
                        f"--screenshot={path}", url], check=True, timeout=120,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return path


async def main() -> None:
    for name in SCENES:
        print(await capture(name))
    web = capture_web()
    if web is not None:
        print(web)


if __name__ == "__main__":
    asyncio.run(main())
