"""A real browser on the `--web` page: headless Chromium from the distribution's packages, driven
by selenium, with what the page's websocket brings recorded and replayed into a terminal emulator
(pyte) so a test can read the screen as text, and every request the page made listed.

The screen is read from the bytes the app sent, not from xterm.js's canvas, which has no text.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import shutil
import time
from urllib.parse import parse_qs, urlsplit

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def missing() -> str | None:
    """Why a browser test cannot run here, or None."""
    for module in ("selenium", "pyte", "textual_serve"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed"
    if CHROMIUM is None or CHROMEDRIVER is None:
        return "Chromium and its driver are not installed (Debian: apt-get install chromium chromium-driver)"
    return None


# Runs before the page's own scripts: every binary message the page's websockets receive (the
# app's screen, as terminal bytes) is kept for the test to read back.
RECORD_SOCKETS = """
window.__screenBytes = [];
const NativeSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new NativeSocket(...args);
  socket.addEventListener("message", (event) => {
    if (typeof event.data !== "string") { window.__screenBytes.push(event.data); }
  });
  return socket;
};
window.WebSocket.prototype = NativeSocket.prototype;
"""

READ_BYTES = """
const done = arguments[arguments.length - 1];
Promise.all(window.__screenBytes.map((d) => d instanceof Blob ? d.arrayBuffer() : d)).then((parts) => {
  const chunks = parts.map((buffer) => {
    let text = "";
    new Uint8Array(buffer).forEach((byte) => { text += String.fromCharCode(byte); });
    return btoa(text);
  });
  done(chunks);
});
"""


def replay(chunks: list[bytes], columns: int, rows: int) -> list[str]:
    """The screen that terminal bytes draw on a terminal of columns × rows, as lines of text."""
    import pyte

    screen = pyte.Screen(columns, rows)
    stream = pyte.ByteStream(screen)
    for chunk in chunks:
        stream.feed(chunk)
    return list(screen.display)


class BrowserTab:
    """One headless Chromium with one tab on `url`."""

    def __init__(self, url: str) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        # Headless, and nothing of Chromium's own on the network (its background services
        # would ask Google's hosts), so the requests seen are the page's.
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=1000,700"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_script_timeout(30)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_SOCKETS})
        self._events: list[dict] = []
        self.driver.get(url)

    def press(self, keys: str) -> None:
        """Type at the page as a user would, to whatever has the keyboard (no click first)."""
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.driver).send_keys(keys).perform()

    def keyboard_owner(self) -> str:
        """The class of the element that has the keyboard."""
        return self.driver.execute_script("return document.activeElement ? document.activeElement.className : ''")

    def _network(self) -> list[dict]:
        for entry in self.driver.get_log("performance"):
            self._events.append(json.loads(entry["message"])["message"])
        return self._events

    def requested_urls(self) -> list[str]:
        """Every address the page asked for: documents, scripts, styles, fonts, images and
        websockets."""
        urls = []
        for event in self._network():
            params = event.get("params", {})
            if event["method"] == "Network.requestWillBeSent":
                urls.append(params["request"]["url"])
            elif event["method"] == "Network.webSocketCreated":
                urls.append(params["url"])
        return urls

    def screen_size(self) -> tuple[int, int]:
        """The terminal's columns and rows, as the page told the server when it connected."""
        for url in self.requested_urls():
            if urlsplit(url).path == "/ws":
                query = parse_qs(urlsplit(url).query)
                return int(query["width"][0]), int(query["height"][0])
        raise AssertionError("the page opened no websocket")

    def screen_lines(self) -> list[str]:
        """The app's screen now, as text: the bytes it sent, replayed into a terminal."""
        chunks = [base64.b64decode(chunk) for chunk in self.driver.execute_async_script(READ_BYTES)]
        return replay(chunks, *self.screen_size())

    def wait_for(self, text: str, timeout: float = 60.0) -> list[str]:
        """The screen's lines once `text` is on it; AssertionError with the screen if not."""
        deadline = time.monotonic() + timeout
        while True:
            lines = self.screen_lines() if self._connected() else []
            if any(text in line for line in lines):
                return lines
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never showed; the screen:\n" + "\n".join(lines))
            time.sleep(0.3)

    def _connected(self) -> bool:
        return any(urlsplit(url).path == "/ws" for url in self.requested_urls())

    def close(self) -> None:
        self.driver.quit()
