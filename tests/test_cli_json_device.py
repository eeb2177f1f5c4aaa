"""`--headless --json` for scripts and notebooks, and `--device auto`."""

from __future__ import annotations

import json

import pytest

from scratchnn_tui.training import devices

from cli_run import run


def test_json_lines_carry_the_text_logs_numbers(capsys):
    code, text, _ = run(capsys, "--headless", "--epochs", "5", "--optimizer", "adam")
    assert code == 0
    code, lines, _ = run(capsys, "--headless", "--epochs", "5", "--optimizer", "adam", "--json")
    assert code == 0 and len(lines) == 5
    records = [json.loads(line) for line in lines]
    assert [r["epoch"] for r in records] == list(range(5))
    assert [f"Epoch {r['epoch']} - loss: {r['loss']:.6f}" for r in records] == text


def test_json_needs_headless(capsys):
    code, _, err = run(capsys, "--json")
    assert code == 2 and "--json needs --headless" in err[0]


def test_device_auto_is_the_cpu_without_a_gpu_and_cuda_with_one(capsys, monkeypatch):
    monkeypatch.setattr(devices, "available_devices", lambda: ["cpu"])
    assert devices.resolve_device("auto") == "cpu"
    monkeypatch.setattr(devices, "available_devices", lambda: ["cpu", "mps"])
    assert devices.resolve_device("auto") == "mps"
    monkeypatch.setattr(devices, "available_devices", lambda: ["cpu", "cuda:0", "cuda:1"])
    assert devices.resolve_device("auto") == "cuda:0"


@pytest.mark.skipif(devices.available_devices() != ["cpu"], reason="this machine has an accelerator")
def test_device_auto_trains_on_a_machine_without_a_gpu(capsys):
    code, lines, err = run(capsys, "--headless", "--epochs", "2", "--device", "auto")
    assert code == 0 and len(lines) == 2 and err == []
