"""`--web` with tabs open: a real headless browser on the page (what it asks for, the footer
without a click, keys), and ctrl+c at the server saving each tab's session before it ends."""

from __future__ import annotations

import asyncio
import importlib.util
import json
from urllib.parse import urlsplit

import pytest

from browser_tab import BrowserTab, missing, replay
from web_serving import Served

HAS_SERVE = importlib.util.find_spec("textual_serve") is not None and importlib.util.find_spec("pyte") is not None
STOP_BOUND = 10.0
"""Seconds the test lets the server take to end after SIGINT: far above what it takes (under
half a second measured; the README's figure), far below textual-serve's own ~24 s."""


async def _tab_presses_space_three_times_then_server_stops(served: Served) -> tuple[list[str], str]:
    """A tab without a browser (textual-serve's websocket, as the page speaks it, at 100×30)
    presses space three times; then, with the tab still open, SIGINT to the server. The screen
    before, and what the server printed."""
    import aiohttp

    chunks: list[bytes] = []

    def screen() -> str:
        return "\n".join(replay(chunks, 100, 30))

    async with aiohttp.ClientSession() as client:
        socket = await client.ws_connect(f"http://127.0.0.1:{served.port}/ws?width=100&height=30")

        async def read() -> None:
            async for message in socket:
                if message.type == aiohttp.WSMsgType.BINARY:
                    chunks.append(message.data)

        reader = asyncio.create_task(read())
        for epoch in range(4):
            for _ in range(600):
                if f"Epoch {epoch}" in screen():
                    break
                await asyncio.sleep(0.1)
            assert f"Epoch {epoch}" in screen(), screen()
            if epoch < 3:
                await socket.send_str(json.dumps(["stdin", " "]))
        lines = replay(chunks, 100, 30)
        _, output = await asyncio.to_thread(served.interrupt, STOP_BOUND)
        reader.cancel()
        return lines, output


@pytest.mark.skipif(not HAS_SERVE, reason="textual-serve (the 'web' extra) or pyte is not installed")
def test_ctrl_c_at_the_server_saves_the_open_tabs_session_and_says_where(tmp_path):
    served = Served(tmp_path)
    try:
        served.page()
        lines, output = asyncio.run(_tab_presses_space_three_times_then_server_stops(served))
        assert any("Epoch 3" in line for line in lines)
    finally:
        served.end()
    assert "1 tab quit and save" in output
    saved = str(served.state / "last.safetensors")
    assert saved in output.replace("\n", ""), output  # the tab's own quit line, saying where
    assert "--resume list" in output and "Traceback" not in output
    assert "triple, sgd, epoch 3" in served.resume_list()


@pytest.mark.skipif(missing() is not None, reason=str(missing()))
def test_the_page_in_a_real_browser_keys_footer_and_nothing_from_outside(tmp_path):
    served = Served(tmp_path)
    browser = None
    try:
        served.page()
        browser = BrowserTab(served.url)
        first = browser.wait_for("Epoch 0")
        # The footer of keys is there from the first screen, with nothing clicked: the
        # terminal has the keyboard.
        first = browser.wait_for("Quit")
        assert "Help" in first[-1] and "Quit" in first[-1], "\n".join(first)
        assert "xterm-helper-textarea" in browser.keyboard_owner()
        for epoch in (1, 2, 3):
            browser.press(" ")
            browser.wait_for(f"Epoch {epoch}")
        urls = browser.requested_urls()
        hosts = {urlsplit(url).hostname for url in urls if not url.startswith(("data:", "blob:"))}
        assert hosts == {"127.0.0.1"}, urls
        assert any(url.endswith(".ttf") for url in urls), urls  # the font, from this server
        _, output = served.interrupt(within=STOP_BOUND)
    finally:
        if browser is not None:
            browser.close()
        served.end()
    assert "1 tab quit and save" in output
    assert "triple, sgd, epoch 3" in served.resume_list()
