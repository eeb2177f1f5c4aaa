"""On a GPU the status line names it and the memory PyTorch holds there (from the snapshot)."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App, ComposeResult

from scratchnn_tui.training.session import Session
from scratchnn_tui.training.snapshot import Frame, GpuView
from scratchnn_tui.ui.widgets.status_line import StatusLine, memory_text, status_text

SNAPSHOT = Session().snapshot()


def on_gpu(memory: int) -> object:
    return replace(SNAPSHOT, device="cuda:0", gpu=GpuView("NVIDIA H200", memory))


def test_memory_reads_in_binary_units():
    assert [memory_text(n) for n in (0, 512, 8192, 1536 * 1024, 139 * 1024 ** 3)] == \
        ["0 B", "512 B", "8 KiB", "1.5 MiB", "139 GiB"]


def test_the_line_names_the_gpu_and_its_memory_then_the_rate():
    paused = status_text(Frame(on_gpu(8192), running=False, seq=1)).plain
    assert "│ cuda:0 NVIDIA H200 8 KiB │" in paused
    running = status_text(Frame(on_gpu(3 * 1024 ** 2), running=True, seq=2, steps_per_second=1500)).plain
    assert "│ cuda:0 NVIDIA H200 3 MiB 1,500 steps/s │" in running


def test_on_the_cpu_the_line_is_as_before():
    assert "│ cpu │" in status_text(Frame(SNAPSHOT, running=False, seq=1)).plain


class One(App):
    def compose(self) -> ComposeResult:
        yield StatusLine()


async def test_the_widget_draws_it():
    app = One()
    async with app.run_test(size=(120, 3)) as pilot:
        app.query_one(StatusLine).show(Frame(on_gpu(8192), running=False, seq=1))
        await pilot.pause()
        line = app.query_one(StatusLine).render_line(0)
        assert "cuda:0 NVIDIA H200 8 KiB" in line.text
