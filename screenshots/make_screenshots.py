"""Regenerate the README's screenshots from the real app: `python screenshots/make_screenshots.py`.

Each scene of `scratchnn_tui.ui.scenes` is played in a headless app at 100×30 (or the scene's own
size) and saved as SVG.
Where Debian's `chromium` is installed and textual-serve too, `web.png` is a real browser's
picture of the app served by `scratchnn-tui --web`; elsewhere that one is skipped quietly.
"""

from __future__ import annotations

import asyncio
import os
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
sys.path.insert(0, str(HERE.parent / "tests"))  # browser_tab: the --web tests' real browser
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
    the app's first screen is in the page (read from its bytes, as tests/test_web_tabs.py reads
    them: xterm.js draws on a canvas); None without Chromium, its driver, selenium or
    textual-serve. A fixed wait would photograph textual-serve's splash: PyTorch loads first."""
    from browser_tab import BrowserTab, missing

    if missing() is not None:
        return None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, "-m", "scratchnn_tui", "--web", "--port", str(port),
                               "--task", "seed-2x2", "--optimizer", "solved"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    path = HERE / "web.png"
    browser = None
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
        browser = BrowserTab(url)
        browser.wait_for("Epoch 0")
        browser.press(" ")  # one Solved step: the article's 19, 22, 43, 50
        browser.wait_for("Epoch 1")
        time.sleep(1.0)  # xterm.js paints after the bytes arrive
        browser.driver.save_screenshot(str(path))
    finally:
        if browser is not None:
            browser.close()
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
