"""The app: panels that render the latest frame, and keys that send typed requests to the session.

Nothing here touches torch. The session lives behind a `Worker`: by default in a child process,
which imports torch after the first frame is on screen, runs requests in order and sends frames
at most ~22 times a second; `on_frame_ready` (frames_on_screen.py) hands the newest frame's plain
numbers to the widgets. Tests may inject their own session factory, which then runs on a thread of
this process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import var
from textual.widgets import Footer, Static

from ..runtime.protocol import Worker, new_worker
from ..runtime.requests import Autosave, ChooseCode, Pause, StartRace
from ..training.snapshot import Frame
from .changed_cells import ChangedCellsOutput
from .commands import ActionCommands
from .dialog_keys import DialogKeys
from .field_keys import FieldKeys
from .frames_on_screen import FramesOnScreen
from .joined_styles import JoinedStyles
from .messages import FrameReady, SessionNote
from .race_view import RaceView
from .lesson_keys import LessonKeys
from .panel_room import PanelRoom
from .selection_keys import SelectionKeys
from .session_keys import SessionKeys
from .screens.devices import DeviceScreen
from .screens.code_view import CodeScreen
from .screens.help import HelpScreen
from .stop_signals import StopSignals
from .unsaved_quit import UnsavedQuit
from .widgets.function_view import FunctionPicture
from .widgets.gradient_panel import GradientPanel
from .widgets.lesson_panel import LessonPanel
from .widgets.loss_chart import LossChart
from .widgets.matrix_form import MatrixForm
from .widgets.neuron_diagram import NeuronDiagram
from .widgets.number_field import NumberField
from .themes import LightThemeRoles, ThemeChoice
from .typeahead import Typeahead
from .widgets.race_board import RaceBoard
from .widgets.status_line import StatusLine
from .widgets.surface_view import SurfacePicture


class ScratchApp(ChangedCellsOutput, FramesOnScreen, SessionKeys, Typeahead, DialogKeys, FieldKeys, SelectionKeys,
                 PanelRoom, LessonKeys, RaceView, App[None]):
    """scratchnn-tui: one hand-made layer, learning on screen."""

    TITLE = "scratchnn-tui"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    # ctrl+p: every key's action by name (ui/commands.py, read from BINDINGS) and the themes.
    # Its footer entry would only crowd out the keys: the help screen names it.
    COMMANDS = {ActionCommands}

    BINDINGS = [
        Binding("space", "step", "Step"),
        Binding("b", "step_back", "Back"),
        Binding("r", "toggle_run", "Run"),
        Binding("R", "reset", "Reset"),
        Binding("o", "next_optimizer", "Optim"),
        Binding("d", "next_device", "Device"),
        Binding("D", "devices", "Devices", show=False),  # what an epoch costs on each device
        Binding("t", "next_task", "Task"),
        Binding("plus", "scale_lr(2)", "lr×2", key_display="+", show=False),
        Binding("minus", "scale_lr(0.5)", "lr÷2", key_display="-", show=False),
        Binding("comma", "run_speed(-1)", "Slower", key_display=",", show=False),
        Binding("full_stop", "run_speed(1)", "Faster", key_display=".", show=False),
        Binding("e", "settings", "Settings"),
        Binding("x", "race", "Race", show=False),  # in help: at 80 columns the footer has no room
        Binding("escape", "escape", "Leave", show=False),  # the lesson, or the race
        Binding("a", "lesson", "Lesson", show=False),  # the message line says it at the start: at 80
        # columns the footer has room for ? and q, not one key more
        Binding("pagedown", "lesson_page(1)", "Lesson: next step", key_display="pgdn", show=False),
        Binding("pageup", "lesson_page(-1)", "Lesson: step back", key_display="pgup", show=False),
        Binding("s", "code", "Code", show=False),  # in help and the lesson
        Binding("ctrl+l", "redraw", "Redraw the screen", show=False),  # ui/changed_cells.py
        Binding("w", "save", "Save", show=False),  # in help; the footer keeps room for q
        Binding("L", "load", "Load", show=False),
        Binding("c", "export_csv", "CSV", show=False),
        Binding("F", "export_fit", "Fit CSV", show=False),
        Binding("n", "next_sample", "Sample", show=False),
        Binding("l", "toggle_scale", "Log/linear", show=False),
        Binding("g", "toggle_gradient", "Gradient", show=False),
        Binding("m", "toggle_matrix", "Matrix", show=False),
        Binding("f", "toggle_function", "Function", show=False),
        Binding("v", "toggle_surface", "Surface", show=False),
        Binding("V", "export_surface", "Surface CSV", show=False),
        Binding("G", "toggle_matrix_gradients", "∂L/∂W", show=False),
        Binding("left", "select(0, -1)", "Select ←", show=False),
        Binding("right", "select(0, 1)", "Select →", show=False),
        Binding("up", "select(-1, 0)", "Select ↑", show=False),
        Binding("down", "select(1, 0)", "Select ↓", show=False),
        Binding("enter", "edit_number", "Type it", show=False),
        Binding("p", "probe", "Probe", show=False),
        Binding("left_square_bracket", "page_layer(-1)", "Layer ↓", key_display="[", show=False),
        Binding("right_square_bracket", "page_layer(1)", "Layer ↑", key_display="]", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    frame: var[Frame | None] = var(None, init=False)
    """The latest frame from the session; None while PyTorch loads. A `var`: the widgets
    repaint what changed, and a reactive on the App would repaint the whole screen."""

    def __init__(self, make_session: Callable[[], Any] | None = None, race: bool = False, *,
                 theme: ThemeChoice | None = None, lesson: int = 0,
                 **settings: Any) -> None:
        """Args:
            make_session: a Session factory to run on a thread of this process (tests);
                by default the session is built from `settings` in a child process.
            theme: the colour theme to start with, and how to remember the user's next choice.
            race: start in the race (`--race`): every optimizer from the session's weights.
            lesson: start in the lesson at this step (`--lesson N`); 0: not.
            settings: Session arguments (task, optimizer, lr, seed, device), or `resume` (a
                checkpoint's path, or `last`) and device.
        """
        super().__init__()
        self._theme_choice = theme or ThemeChoice()
        if self._theme_choice.name:
            self.theme = self._theme_choice.name
        self._light_theme_roles = LightThemeRoles(self)
        self._joined_styles = JoinedStyles()
        self._run_length = 0
        self._checkpoint_path = "scratchnn-tui.safetensors"
        self._last_note = ""
        self._init_frames()
        self._init_panel_room()
        self._editing = (0, 0, -1)  # the weight or bias the number field was opened on, and its layer
        self._shown_layer = -1  # the layer the panels show, counted from 0 at the inputs; −1: the output layer
        self._worker_started = False
        self._start_race = race
        self._start_lesson = lesson
        self._last_note_is_error = False
        self._unsaved_quit = UnsavedQuit()
        # Made now, before the app takes the terminal over: see stop_signals.
        self._stop_signals = StopSignals(lambda name: self.call_later(self.action_quit, name))
        self.worker: Worker = new_worker(self._deliver_frame, self._deliver_message,
                                         make_session, **settings)

    def get_line_filters(self):
        """Textual's filters (NO_COLOR's greys first), then inputs and weights recoloured for a
        light theme, then neighbouring cells of one style joined (fewer bytes to the terminal)."""
        return [*super().get_line_filters(), self._light_theme_roles, self._joined_styles]

    def _deliver_frame(self, frame: Frame) -> None:
        """The worker's callback, on its own thread or on this event loop. Each frame is
        complete, so one the screen has not reached before a newer one arrives is skipped
        rather than drawn late."""
        self._newest_seq = max(self._newest_seq, frame.seq)
        self.post_message(FrameReady(frame))

    def _deliver_message(self, text: str, is_error: bool) -> None:
        self._last_note = text  # read by action_quit, which waits while messages queue up
        self._last_note_is_error = is_error
        self.post_message(SessionNote(text, is_error))

    def compose(self) -> ComposeResult:
        yield Static("", id="too-small")
        # The panels share one container: Textual repaints a changed line by rendering every
        # widget whose container overlaps it, so the status line's changes, one a frame, then
        # skip the panels (docs/PERFORMANCE.md).
        # Stacked below WIDE_FROM columns, side by side from there (ui/panel_plan.py).
        with Vertical(id="panels"):
            with Vertical(id="left-column"):
                with Vertical(id="layer-panel"):
                    yield NeuronDiagram()
                    yield NumberField()
                with Vertical(id="matrix-panel"):
                    yield MatrixForm()
                with Vertical(id="gradient-panel"):
                    yield GradientPanel()
            with Vertical(id="right-column"):
                with Vertical(id="function-panel"):  # what the network computes (f)
                    yield FunctionPicture()
                with Vertical(id="surface-panel"):  # the loss over two parameters, and the path (v)
                    yield SurfacePicture()
                with Vertical(id="loss-panel"):
                    yield LossChart()
        with Vertical(id="race-panel"):  # instead of the panels while the optimizers race (x)
            yield RaceBoard()
            with Vertical(id="race-surface-panel"):  # every racer's path on one surface (v)
                yield SurfacePicture(id="race-surface")
        with Vertical(id="lesson-panel"):  # the lesson's step (a), under the panels or the race
            yield LessonPanel()
        yield StatusLine(id="status")
        yield Static("Press ? for help, a for the lesson.", id="message")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#layer-panel").border_title = "Layer"
        self.query_one("#matrix-panel").border_title = "Matrix form"
        self.query_one("#loss-panel").border_title = "Loss"
        self.query_one("#race-panel").border_title = "The race · space steps all · r runs · R restarts · x leaves"
        self.query_one("#gradient-panel").border_title = (
            "Gradient · ←→↑↓ selects · enter types it in · b steps back · g hides")
        self.query_one(StatusLine).show(None)
        self._theme_choice.attach(self, lambda text, is_error: self.post_message(SessionNote(text, is_error)))
        self._fit(self.size)
        if not self.is_headless:  # a real terminal: SIGTERM, SIGINT and SIGHUP quit as q does
            self._stop_signals.install(asyncio.get_running_loop())
        # After the first frame is on screen: torch then loads off the event loop and the screen.
        self.call_after_refresh(self._start_worker)
        if self.is_web:
            self.call_after_refresh(self._page_has_the_keyboard)

    def _start_worker(self) -> None:
        # A worker may deliver on this event loop (the child's frames are read on it: one
        # wake-up a frame, not two); one that does not need it ignores it.
        if not self._worker_started:  # once: a quit before the first frame may start it too
            self._worker_started = True
            self.worker.start(asyncio.get_running_loop())
            if self._start_race:
                self.worker.send(StartRace())
            if self._start_lesson:
                self.start_lesson(self._start_lesson)

    def on_app_focus(self) -> None:
        """The terminal has the keyboard again. The footer skips binding changes while the app
        is in the background, so it is brought up to date here; otherwise it stays empty until
        a key."""
        self.refresh_bindings()

    def _page_has_the_keyboard(self) -> None:
        """A browser tab (`--web`): Textual's web driver starts the app in the background, and
        the page's word that it took the keyboard (web_page/app_index.html focuses the terminal
        on its first bytes) can arrive before that start, and be undone by it. The page has
        the keyboard from its first screen, so the app starts in front, and the footer shows."""
        self.post_message(events.AppFocus())

    def on_unmount(self) -> None:
        self.worker.stop(timeout=5.0, autosave=True)

    # -- notes from the session (its frames: frames_on_screen.py) ------------------------

    def on_session_note(self, message: SessionNote) -> None:
        line = self.query_one("#message", Static)
        # Laid out anew each time: a message wraps onto as many lines as it needs (up to three),
        # and messages come one a key, not one a frame. Text, not markup: paths may hold [ ].
        # A refusal is marked in words as well as in red: NO_COLOR turns red into a grey.
        text = f"✗ {message.text}" if message.is_error else message.text
        line.update(Text(text), layout=True)
        line.set_class(message.is_error, "-error")
        self.plan_panels()  # its rows come out of the panels'
        if self.frame is not None and not self.worker.alive:  # it said why it ended: show it
            self.query_one(StatusLine).show(self.frame, alive=False)

    # -- keys (those that each send one request to the session: session_keys.py) -------

    def action_devices(self) -> None:
        """The device view: this network's epoch timed on every device, on a copy."""
        self.push_screen(DeviceScreen(self.worker.send))

    def action_next_sample(self) -> None:
        """Show the next sample of the batch in the diagram."""
        diagram = self.query_one(NeuronDiagram)
        diagram.next_sample()
        self.query_one(MatrixForm).show_sample(diagram.sample)
        self.plan_panels()
        self.notice_lesson()

    def action_toggle_scale(self) -> None:
        """Loss chart: log or linear scale."""
        self.query_one(LossChart).toggle_scale()

    def action_toggle_matrix_gradients(self) -> None:
        """∂L/∂Wᵀ and ∂L/∂b of the last stepped update beside W and b in the matrix form."""
        matrix = self.query_one(MatrixForm)
        matrix.show_gradients = not matrix.show_gradients
        self.plan_panels()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Below the smallest usable size only q, ? and resizing act: a key must not train an
        epoch nobody can see."""
        if self.screen_stack[0].has_class("-too-small") and action not in ("quit", "help"):
            return False
        lesson = self.lesson_allows(action)
        return self.race_allows(action) if lesson is None else lesson

    def action_code(self) -> None:
        """The code view (s): the core's lines behind the numbers on screen, values inline."""
        if self.frame is None:
            self.post_message(SessionNote("The code view opens once PyTorch has loaded", False))
            return
        snapshot = self.frame.snapshot
        selected = self.query_one(GradientPanel).selected
        screen = CodeScreen(self._layer_index(snapshot), selected, self.query_one(NeuronDiagram).sample)
        self.worker.send(ChooseCode(True))  # its frames then bring nn.Linear's check
        self.push_screen(screen, lambda _: self.worker.send(ChooseCode(False)))
        self.lesson_code_opened()

    def action_help(self) -> None:
        """Help: what each panel shows, and the keys."""
        self.push_screen(HelpScreen())

    async def action_quit(self, stopped_by: str = "") -> None:
        """Quit; unsaved progress is saved to the user's state folder first, and the line
        printed after the app closes says where. If that save fails, the first `q` stays open
        and says why (`unsaved_quit`); `stopped_by` names the signal that asked, which quits
        whatever happens."""
        message, code = None, 0
        self._start_worker()  # q before the first frame: the keys before it still count
        if self.worker.can_save:  # also while PyTorch still loads: keys pressed then count too
            # Pause (whatever the last frame says: it may be stale), then save; the worker
            # answers with where, or says nothing if there was nothing to save.
            self.worker.send(Pause())
            self._last_note, self._last_note_is_error = "", False
            self.worker.send(Autosave())
            # Loading PyTorch can take many seconds on a busy machine: wait for it, saying so,
            # rather than leave without the line that says where the keys' epochs went.
            loading = self.frame is None
            if loading:
                # Shown now, not posted: this handler holds the app's queue while it waits.
                self.on_session_note(SessionNote("Saving before quitting, once PyTorch has loaded…", False))
            deadline = time.monotonic() + (60 if loading else 10)
            while not self.worker.idle and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            message = self._last_note or None
            if message and self._last_note_is_error:  # the save failed: the session is not lost
                held = None if stopped_by else self._unsaved_quit.hold(message)
                if held:
                    self.post_message(SessionNote(held, True))
                    return
                message, code = UnsavedQuit.exit_line(message, stopped_by), 1 if stopped_by else 0
        if stopped_by:
            self._stop_signals.leave_if_hung_up(code)
        self.exit(return_code=code, message=message)
