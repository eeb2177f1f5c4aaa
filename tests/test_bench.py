"""`scratchnn-tui bench` as a smoke test: tiny settings, its output's shape, never its figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from scratchnn_tui.cli import main

KEYS = {
    "device": str, "bare_steps_per_s": float, "app_steps_per_s": float, "ratio": float,
    "ratio_q1": float, "ratio_q3": float,
    "refresh_hz": float, "import_torch_s": float, "first_frame_s": float,
    "step_latency_ms_p95": float, "step_back_ms_p95": float, "step_back_old_ms_max": float, "history_points_after_1e6": int, "rss_growth_mb": float,
    "ui_cpu_percent": float, "machine": str, "function_view_ms_p95": float,
    "terminal_bytes_per_s": float, "terminal_bytes_per_s_30": float,
    "terminal_bytes_per_s_10": float, "terminal_bytes_per_s_paused": float,
}


def test_bench_json_has_every_figure(tmp_path):
    env = {**os.environ, "SCRATCHNN_TUI_STATE_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "scratchnn_tui", "bench", "--seconds", "0.3", "--json"],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    for key, kind in KEYS.items():
        assert isinstance(figures[key], kind), (key, figures[key])
    assert figures["device"] == "cpu"
    assert figures["bare_steps_per_s"] > 0 and figures["app_steps_per_s"] > 0
    assert figures["ratio"] > 0 and figures["refresh_hz"] > 0 and figures["first_frame_s"] > 0
    assert figures["ratio_q1"] <= figures["ratio"] <= figures["ratio_q3"]
    assert 0 < figures["history_points_after_1e6"] <= 10_000
    assert list(figures["race_steps_per_s"]) == ["sgd", "momentum", "adam", "solved"]
    assert figures["race_epochs_per_s"] > 0
    # the real app in a pty wrote its screen while running, and nothing once paused
    assert figures["terminal_bytes_per_s"] > 0 and figures["terminal_bytes_per_s_paused"] == 0
    assert figures["terminal_bytes_per_s_10"] > 0  # a watched run draws every epoch
    assert list(tmp_path.iterdir()) == []  # the benchmark's app never autosaves over the user's


def test_bench_refuses_bad_settings_in_one_line(capsys):
    for argv in (["bench", "--seconds", "0"], ["bench", "--seconds", "x"], ["bench", "--device", "tpu"]):
        try:
            main(argv)
        except SystemExit as exit:
            assert exit.code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("scratchnn-tui bench: error:")


def test_the_bare_loop_uses_torch_optim_taking_the_apps_steps():
    """The yardstick is what a user would write (torch.optim), yet trains exactly as the app."""
    import torch

    from scratchnn_tui.bench.bare import users_optimizer
    from scratchnn_tui.core import optim as core_optim
    from scratchnn_tui.training.session import Session

    for key, kind in (("sgd", torch.optim.SGD), ("momentum", torch.optim.SGD), ("adam", torch.optim.Adam)):
        app, bare = Session(task="seed-2x2", optimizer=key), Session(task="seed-2x2", optimizer=key)
        optimizer = users_optimizer(bare)
        assert type(optimizer) is kind and type(app.optimizer) is not kind
        x, y = bare.batch
        for _ in range(20):
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(bare.model(x), y).backward()
            optimizer.step()
        app.train(20)
        for ours, theirs in zip(app.model.parameters(), bare.model.parameters()):
            assert torch.equal(ours, theirs), key
    solved = Session(optimizer="solved")
    assert isinstance(users_optimizer(solved), core_optim.Solved)
