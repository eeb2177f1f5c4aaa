"""`scratchnn-tui --web`: the app in a browser tab, served by textual-serve (the `web` extra).

textual-serve runs the app's own command line once per browser tab (each tab its own app, its own
session and training process) and relays the screen over a websocket. It has no authentication:
whoever reaches the port drives an app that can write files as you. So it binds 127.0.0.1 unless
told otherwise (reach it from a laptop through `ssh -L 8000:localhost:8000 gpu-box`), and any
other address gets a warning that says so.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import shlex
import socket
import sys
from collections.abc import Sequence

from ..training.errors import SessionError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
INSTALL = "pip install 'scratchnn-tui[web]'"
TAB_ENV = "SCRATCHNN_TUI_TAB"  # "1" in the environment of the apps the server starts
WEB_FLAGS = {"--web": 0, "--host": 1, "--port": 1}  # the flag and how many values follow it


def check_installed() -> None:
    """SessionError with the install command when textual-serve is missing."""
    if importlib.util.find_spec("textual_serve") is None:
        raise SessionError(f"--web needs textual-serve, which is not installed: {INSTALL}")


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name: it may resolve to any address
        return False


def exposure_warning(host: str, port: int) -> str | None:
    """One line for a host other machines may reach; None on loopback."""
    if is_loopback(host):
        return None
    return (f"warning: serving on {host}:{port} with no authentication: anyone who can reach that port "
            f"can open the app in a browser and drive it (each tab starts one, which can write files "
            f"as you); the default, {DEFAULT_HOST}, and an ssh tunnel keep it to you")


def served_argv(argv: Sequence[str]) -> list[str]:
    """The app's own flags, without --web, --host and --port (either `--port 8000` or
    `--port=8000`): what each browser tab runs."""
    kept: list[str] = []
    skip = 0
    for arg in argv:
        if skip:
            skip -= 1
            continue
        name, equals, _ = arg.partition("=")
        if name in WEB_FLAGS:
            skip = 0 if equals else WEB_FLAGS[name]
            continue
        kept.append(arg)
    return kept


def served_command(argv: Sequence[str]) -> str:
    """The shell command textual-serve starts for each tab: this interpreter running this app
    with the same flags (textual-serve runs it through a shell, hence the quoting; `exec`, so the
    process the server holds is the app itself, which its stop signals)."""
    return "exec " + shlex.join([sys.executable, "-m", "scratchnn_tui", *served_argv(argv)])


def leave_server_group() -> None:
    """In a tab's app (TAB_ENV set): leave the server's process group and session. A ctrl+c at
    the server's terminal then reaches the server alone, which stops each tab once; were the apps
    in its group, each would get that SIGINT and the server's SIGTERM too, and an app leaves at
    once, before its save, on a second stop signal."""
    if os.environ.get(TAB_ENV) != "1":
        return
    try:
        os.setsid()
    except OSError:  # already a session's leader: no terminal's group to leave
        pass


def _public_url(host: str, port: int) -> str:
    """Where the page tells the browser to fetch its scripts and open its websocket: the address
    served, or for a wildcard (0.0.0.0, ::) this machine's host name (not its fully qualified
    name, which /etc/hosts often maps to localhost: the browser's own machine)."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def serve(argv: Sequence[str], host: str, port: int) -> None:
    """Serve the app on http://host:port until stopped (ctrl+c, SIGTERM or SIGHUP: each tab's
    session is saved first, see web_server)."""
    check_installed()
    from .web_server import TabServer

    warning = exposure_warning(host, port)
    if warning:
        print(f"scratchnn-tui: {warning}", file=sys.stderr, flush=True)
    os.environ[TAB_ENV] = "1"  # textual-serve hands its own environment to each tab's app
    TabServer(served_command(argv), host=host, port=port, title="scratchnn-tui",
              public_url=_public_url(host, port)).serve()
