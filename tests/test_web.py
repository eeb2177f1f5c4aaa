"""`--web`: the app served to a browser by textual-serve, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from scratchnn_tui.ui import web

from cli_run import run
from web_serving import ROOT, Served

HAS_SERVE = importlib.util.find_spec("textual_serve") is not None


def test_the_served_command_is_the_same_flags_less_web_host_and_port():
    argv = ["--task", "seed-2x2", "--web", "--host", "127.0.0.1", "--port=9000", "--theme", "nord"]
    assert web.served_argv(argv) == ["--task", "seed-2x2", "--theme", "nord"]
    command = web.served_command(["--data", "my file.csv", "--web", "--port", "9000"])
    assert command.endswith("-m scratchnn_tui --data 'my file.csv'")  # quoted: a shell runs it
    assert command.startswith(f"exec {sys.executable}")  # the process the server holds is the app


@pytest.mark.parametrize("host, warned", [("127.0.0.1", False), ("localhost", False), ("::1", False),
                                          ("0.0.0.0", True), ("192.168.1.5", True), ("gpu-box", True)])
def test_a_host_others_can_reach_gets_a_warning(host, warned):
    warning = web.exposure_warning(host, 8000)
    assert (warning is not None) == warned
    if warned:
        assert "no authentication" in warning and "anyone" in warning and f"{host}:8000" in warning


def test_host_and_port_need_web_and_web_needs_the_screen(capsys):
    for argv in (["--port", "8000"], ["--host", "0.0.0.0"]):
        code, _, err = run(capsys, *argv)
        assert code == 2 and "needs --web" in err[0]
    code, _, err = run(capsys, "--web", "--headless")
    assert code == 2 and "--headless" in err[0]
    code, _, err = run(capsys, "--web", "--port", "70000")
    assert code == 2 and "1–65535" in err[0]


def test_without_the_extra_web_exits_2_with_the_install_command(capsys, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "textual_serve" else real(name, *a))
    code, _, err = run(capsys, "--web")
    assert code == 2 and len(err) == 1
    assert "pip install 'scratchnn-tui[web]'" in err[0]


def _listening(port: int) -> list[str]:
    """The local addresses listening on `port` (Linux: /proc/net/tcp and tcp6), as hex."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.append(address)
    return found


@pytest.mark.skipif(not HAS_SERVE, reason="textual-serve (the 'web' extra) is not installed")
@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket tables")
def test_web_serves_the_apps_page_on_127_0_0_1_and_nowhere_else(tmp_path):
    served = Served(tmp_path, "--task", "seed-2x2")
    try:
        page = served.page()
        assert "scratchnn-tui" in page and "textual.js" in page  # textual-serve's page for the app
        assert f'ws://127.0.0.1:{served.port}/ws' in page  # the websocket the browser opens
        assert _listening(served.port) == ["0100007F"]  # 127.0.0.1, and no other address, IPv6 neither
    finally:
        output = served.end()
    assert "warning" not in output  # loopback: nothing to warn about


@pytest.mark.skipif(not HAS_SERVE, reason="textual-serve (the 'web' extra) is not installed")
def test_a_port_in_use_is_one_line_and_exit_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp_path)}
        result = subprocess.run([sys.executable, "-m", "scratchnn_tui", "--web", "--port", str(port)],
                                capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 2
    assert f"could not serve on 127.0.0.1:{port}" in result.stderr.strip().splitlines()[-1]
    assert "Traceback" not in result.stderr
