"""`scratchnn-tui bench --sweep`: its output's shape on the cpu, its widths with and without a
GPU, where the GPU starts to win (on given numbers), and its refusals. Never its figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from scratchnn_tui.bench import sweep
from scratchnn_tui.cli import main
from scratchnn_tui.training import devices

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_sweep_json_has_every_width_on_every_device(capsys, monkeypatch):
    monkeypatch.setattr(sweep, "ROUNDS", 2)  # a cell's least is an epoch a round: keep CI quick
    assert main(["bench", "--sweep", "--seconds", "0.02", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["devices"] == sweep.sweep_devices() and figures["devices"][0] == "cpu"
    assert figures["widths"] == list(sweep.widths_for(figures["devices"]))
    cells = {(cell["device"], cell["width"]): cell["steps_per_s"] for cell in figures["sweep"]}
    assert len(cells) == len(figures["sweep"]) == len(figures["devices"]) * len(figures["widths"])
    for device in figures["devices"]:
        for width in figures["widths"]:
            rate = cells[device, width]
            assert isinstance(rate, float) and rate > 0, (device, width, rate)
    assert figures["batch"] == sweep.BATCH and figures["seconds"] == 0.02
    assert "gpu_wins_from" in figures and isinstance(figures["machine"], str)
    if figures["devices"] == ["cpu"]:
        assert figures["gpu_wins_from"] is None


def test_sweep_text_is_a_table_of_widths_by_device(capsys):
    figures = {"devices": ["cpu", "cuda:0"], "widths": [1, 16, 256, 1024, 4096], "batch": 64,
               "seconds": 0.5, "machine": "a box", "gpu_wins_from": 1024,
               "sweep": [{"device": d, "width": w, "steps_per_s": 1000.0 / w + (50 if d != "cpu" else 0)}
                         for d in ("cpu", "cuda:0") for w in (1, 16, 256, 1024, 4096)]}
    lines = sweep.render(figures, as_json=False).splitlines()
    header = next(line for line in lines if "width" in line and "cpu" in line)
    assert header.split() == ["width", "cpu", "cuda:0"]
    rows = [line.split() for line in lines if line.split() and line.split()[0].isdigit()]
    assert [row[0] for row in rows] == ["1", "16", "256", "1024", "4096"]
    assert rows[0][1:] == ["1,000", "1,050"]
    assert "The GPU starts to win from width 1024." in lines
    no_gpu = {**figures, "devices": ["cpu"], "widths": [1, 16, 256, 1024], "gpu_wins_from": None}
    assert "No GPU here" in sweep.render(no_gpu, as_json=False)


def test_widths_and_devices_without_a_gpu(monkeypatch):
    monkeypatch.setattr(devices, "available_devices", lambda: ["cpu"])
    assert sweep.sweep_devices() == ["cpu"]
    assert sweep.widths_for(sweep.sweep_devices()) == (1, 16, 256, 1024)


def test_widths_and_devices_with_gpus(monkeypatch):
    monkeypatch.setattr(devices, "available_devices", lambda: ["cpu", "cuda:0", "cuda:1", "mps"])
    assert sweep.sweep_devices() == ["cpu", "cuda:0", "mps"]  # one of each kind
    assert sweep.widths_for(sweep.sweep_devices()) == (1, 16, 256, 1024, 4096)
    assert sweep.widths_for(["cpu", "mps"]) == (1, 16, 256, 1024, 4096)


def _cells(device: str, rates: dict[int, float]) -> list[dict]:
    return [{"device": device, "width": width, "steps_per_s": rate} for width, rate in rates.items()]


# The H200 box's shape: the cpu far ahead on tiny layers, the GPU on big ones.
CPU = {1: 7190.0, 16: 7000.0, 256: 1800.0, 1024: 120.0, 4096: 4.0}
CUDA = {1: 2231.0, 16: 2200.0, 256: 2150.0, 1024: 1900.0, 4096: 170.0}


def test_gpu_wins_from_the_smallest_width_it_beats_the_cpu_at_and_beyond():
    assert sweep.gpu_wins_from(_cells("cpu", CPU) + _cells("cuda:0", CUDA)) == 256


def test_a_gpu_win_that_does_not_last_is_not_where_it_starts_to_win():
    cuda = {**CUDA, 16: 7100.0, 256: 1700.0}  # a lucky round at 16, behind again at 256
    assert sweep.gpu_wins_from(_cells("cpu", CPU) + _cells("cuda:0", cuda)) == 1024


def test_gpu_wins_from_is_none_without_a_gpu_or_a_win():
    assert sweep.gpu_wins_from(_cells("cpu", CPU)) is None
    slow = {width: rate / 100 for width, rate in CPU.items()}
    assert sweep.gpu_wins_from(_cells("cpu", CPU) + _cells("mps", slow)) is None


def test_gpu_wins_from_takes_the_fastest_gpu_of_each_width():
    slow = {width: 1.0 for width in CPU}
    cells = _cells("cpu", CPU) + _cells("mps", slow) + _cells("cuda:0", CUDA)
    assert sweep.gpu_wins_from(cells) == 256


@pytest.mark.parametrize("flags", [
    ["--seconds", "0"], ["--seconds", "nan"], ["--device", "cuda"], ["--task", "square"],
    ["--optimizer", "adam"], ["--widths", "3"],
])
def test_bad_sweep_flags_exit_2_in_one_line_before_torch_loads(flags):
    code = ("import sys\nfrom scratchnn_tui.cli import main\n"
            f"try:\n    main(['bench', '--sweep', *{flags!r}])\n"
            "except SystemExit as exit:\n    print(exit.code, 'torch' in sys.modules)\n")
    env = {**os.environ, "PYTHONPATH": ROOT}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, env=env)
    assert result.stdout.split() == ["2", "False"], result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("scratchnn-tui bench: error:")


def test_a_device_that_fails_mid_sweep_ends_it_in_one_line(capsys, monkeypatch):
    def out_of_memory(device, width):
        raise RuntimeError("CUDA out of memory. Tried to allocate 64.00 MiB\nmore details")

    monkeypatch.setattr(sweep, "_cell", out_of_memory)
    assert main(["bench", "--sweep", "--json"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("scratchnn-tui bench: the sweep failed:") and "CUDA out of memory" in err
