"""The app: panels that render the latest frame, and keys that queue requests for the session.

Nothing here touches torch. The session lives on a `SessionWorker` thread, which imports torch
after the first frame is on screen, runs requests in order, and posts `FrameReady` messages at
most ~30 times a second; `on_frame_ready` hands the frame's plain numbers to the widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Footer, Static

from ..engine.snapshot import Frame
from ..engine.worker import SessionWorker
from .messages import FrameReady, SessionNote
from .screens.help import HelpScreen
from .widgets.loss_chart import LossChart
from .widgets.matrix_form import MatrixForm
from .widgets.neuron_diagram import NeuronDiagram
from .widgets.status_line import StatusLine


def session_factory(**settings: Any) -> Callable[[], Any]:
    """A function that builds the Session on the worker thread (where torch gets imported)."""

    def make() -> Any:
        from ..engine.session import Session

        return Session(**settings)

    return make


class ScratchApp(App[None]):
    """scratchnn-tui: one hand-made layer, learning on screen."""

    TITLE = "scratchnn-tui"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    # Every action has its own key; the palette's footer entry would only crowd out the keys.
    ENABLE_COMMAND_PALETTE = False

    BINDINGS = [
        Binding("space", "step", "Step"),
        Binding("r", "toggle_run", "Run"),
        Binding("R", "reset", "Reset"),
        Binding("o", "next_optimizer", "Optim"),
        Binding("d", "next_device", "Device"),
        Binding("t", "next_task", "Task"),
        Binding("plus", "scale_lr(2)", "lr×2", key_display="+"),
        Binding("minus", "scale_lr(0.5)", "lr÷2", key_display="-"),
        Binding("n", "next_sample", "Sample", show=False),
        Binding("l", "toggle_scale", "Log/linear", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    frame: reactive[Frame | None] = reactive(None, init=False)
    """The latest frame from the session; None while PyTorch loads."""

    def __init__(self, make_session: Callable[[], Any] | None = None, **settings: Any) -> None:
        super().__init__()
        self.worker = SessionWorker(
            make_session or session_factory(**settings),
            on_frame=lambda frame: self.post_message(FrameReady(frame)),
            on_message=lambda text, is_error: self.post_message(SessionNote(text, is_error)),
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="layer-panel"):
            yield NeuronDiagram()
        with Vertical(id="matrix-panel"):
            yield MatrixForm()
        with Vertical(id="loss-panel"):
            yield LossChart()
        yield StatusLine(id="status")
        yield Static("Press ? for help.", id="message")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#layer-panel").border_title = "Layer"
        self.query_one("#matrix-panel").border_title = "Matrix form"
        self.query_one("#loss-panel").border_title = "Loss"
        self.query_one(StatusLine).show(None)
        self.worker.start()  # after the first frame is composed: torch loads off the event loop

    def on_unmount(self) -> None:
        self.worker.stop(timeout=2.0)

    # -- frames and notes from the session ------------------------------------------------

    async def on_frame_ready(self, message: FrameReady) -> None:
        self.frame = message.frame
        snapshot = message.frame.snapshot
        with self.batch_update():
            self.query_one("#layer-panel").border_title = f"Layer · {snapshot.task}: {snapshot.task_title}"
            await self.query_one(NeuronDiagram).show(snapshot.layer)
            self.query_one(MatrixForm).layer = snapshot.layer
            self.query_one(LossChart).show(snapshot)
            self.query_one(StatusLine).show(message.frame)

    def on_session_note(self, message: SessionNote) -> None:
        line = self.query_one("#message", Static)
        line.update(message.text)
        line.set_class(message.is_error, "-error")

    # -- keys: each queues one request; nothing is dropped --------------------------------

    def action_step(self) -> None:
        self.worker.submit("step", 1)

    def action_toggle_run(self) -> None:
        self.worker.toggle_run()

    def action_reset(self) -> None:
        self.worker.submit("reset")

    def action_next_optimizer(self) -> None:
        self.worker.submit("next_optimizer")

    def action_next_device(self) -> None:
        self.worker.submit("next_device")

    def action_next_task(self) -> None:
        self.worker.submit("next_task")

    def action_scale_lr(self, factor: float) -> None:
        self.worker.submit("scale_lr", factor)

    def action_next_sample(self) -> None:
        self.query_one(NeuronDiagram).next_sample()

    def action_toggle_scale(self) -> None:
        self.query_one(LossChart).toggle_scale()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())
