"""The server behind `--web`: textual-serve's, with a page that needs nothing from outside the
machine and a ctrl+c that saves every tab's session before it ends.

textual-serve starts one app per browser tab and relays its screen over a websocket. Three things
are ours:

- The page (web_page/app_index.html): textual-serve's own, but its font comes from this server
  (textual-serve ships Roboto Mono) rather than from a font service, and the terminal takes the
  keyboard as soon as it has drawn, so the footer of keys shows without a click.
- The stop. On ctrl+c (SIGINT), SIGTERM or a closed terminal (SIGHUP), each tab's app is sent
  SIGTERM, which quits it as `q` does: the session is autosaved and the app's line saying where
  is printed here. The server waits up to TABS_WITHIN seconds for them, closes what is left and
  ends; a second signal ends it at once. textual-serve on its own asks each app to quit only as
  its connection is torn down, which took ~24 s with a tab open.
- The tabs' apps leave the server's process group (`leave_server_group`), so a ctrl+c typed at
  the server's terminal reaches the server alone and each app gets exactly one stop, from it.
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from aiohttp import web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server

PAGE_FOLDER = Path(__file__).with_name("web_page")
TABS_WITHIN = 1.5
"""Seconds the tabs' apps get to save and quit after the first stop signal: the whole stop, the
server's own shutdown included, stays within 2 s."""
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class TabServer(Server):
    """textual-serve's Server with the local page and a stop that saves each tab first."""

    def __init__(self, command: str, host: str, port: int, title: str, public_url: str) -> None:
        super().__init__(command, host=host, port=port, title=title, public_url=public_url,
                         templates_path=PAGE_FOLDER)
        self._tabs: dict[asyncio.Task, AppService | None] = {}  # each tab's handler, and its app
        self._stopping = False

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: textual-serve's handler, tracked so the stop can wait for it to finish."""
        handler = asyncio.current_task()
        self._tabs[handler] = None
        try:
            return await super().handle_websocket(request)
        finally:
            self._tabs.pop(handler, None)

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """The tab's messages; the tab's app is known from here on (textual-serve gives no other
        place to learn it)."""
        self._tabs[asyncio.current_task()] = app_service
        await super()._process_messages(websocket, app_service)

    def request_exit(self) -> None:
        """The first stop signal: stop the tabs, then the server. A second: end now."""
        if self._stopping:
            raise GracefulExit()
        self._stopping = True
        asyncio.get_running_loop().create_task(self._stop_tabs())

    async def _stop_tabs(self) -> None:
        tabs = dict(self._tabs)
        if tabs:
            count = f"{len(tabs)} tab{'s' if len(tabs) != 1 else ''}"
            self._say(f"stopping: {count} quit and save their sessions…")
            for app_service in tabs.values():
                _stop_app(app_service)
            _, late = await asyncio.wait(tabs, timeout=TABS_WITHIN)
            if late:
                self._say(f"{len(late)} tab{'s' if len(late) != 1 else ''} had not finished saving "
                          f"within {TABS_WITHIN:g} s: its training process saves the session as it ends")
            self._say("stopped; the tabs' sessions: scratchnn-tui --resume list")
        # Raised from a callback of its own, it leaves aiohttp's run loop as a signal's would.
        asyncio.get_running_loop().call_soon(_leave)

    def _say(self, line: str) -> None:
        self.console.print(f"scratchnn-tui: {line}", markup=False, highlight=False)

    def serve(self, debug: bool = False) -> None:
        """Serve until a stop signal; textual-serve's serve, with this stop and a short shutdown
        (the tabs have ended by then)."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        for number in STOP_SIGNALS:
            loop.add_signal_handler(number, self.request_exit)
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False,
                    loop=loop, print=lambda *args: None, shutdown_timeout=0.25)


def _stop_app(app_service: AppService | None) -> None:
    """SIGTERM to a tab's app: its own quit, which saves the session and prints where. The app
    runs as the shell's `exec`, so the shell's process is the app's."""
    process = getattr(app_service, "_process", None)  # textual-serve keeps it, and offers no seam
    if process is None or process.returncode is not None:
        return
    try:
        os.kill(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass


def _leave() -> None:
    raise GracefulExit()
