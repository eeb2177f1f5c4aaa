"""How the screen follows the session's frames: each part at its own pace while a run goes
faster than anyone reads (`paced`), every part at once for a watched run and a paused frame."""

from __future__ import annotations

import time

from textual.content import Content

from ..training.run_speed import DRAW_EVERY_EPOCH
from .layer_pages import panel_title
from .messages import FrameReady
from .paced import CHART_INTERVAL, GRADIENT_INTERVAL, PANELS_INTERVAL, STATUS_INTERVAL, SURFACE_INTERVAL, Pace
from .widgets.gradient_panel import GradientPanel
from .widgets.loss_chart import LossChart
from .widgets.matrix_form import MatrixForm
from .widgets.neuron_diagram import NeuronDiagram
from .widgets.status_line import StatusLine


class FramesOnScreen:
    """An App mixin: `on_frame_ready` hands the newest frame's plain numbers to the widgets."""

    def _init_frames(self) -> None:
        self._newest_seq = 0
        self._chart_pace = Pace(CHART_INTERVAL)
        self._surface_pace = Pace(SURFACE_INTERVAL)
        self._panels_pace = Pace(PANELS_INTERVAL)
        self._status_pace = Pace(STATUS_INTERVAL)
        self._gradient_pace = Pace(GRADIENT_INTERVAL)

    async def on_frame_ready(self, message: FrameReady) -> None:
        if message.frame.seq < self._newest_seq:
            return  # a newer frame is already on its way
        frame = self.frame = message.frame
        snapshot = frame.snapshot
        now = time.monotonic()
        # Running faster than anyone reads (not a watched run: `,` to 10/s or less), each part
        # follows the frames at its own pace (`paced`); a watched run and a paused frame reach
        # every part at once.
        watched = snapshot.run_speed is not None and snapshot.run_speed <= DRAW_EVERY_EPOCH
        quick = frame.running and not watched
        panels = frame.full and self._panels_pace.due(now, quick)
        status = self._status_pace.due(now, quick)
        with self.batch_update():
            if await self._show_race(frame, panels):  # the board stands in for the panels
                if status:
                    self.query_one(StatusLine).show(frame)
                self.lesson_frame(frame)
                return
            # A light frame brings the epoch and the loss alone; the rest follows full frames
            # (about five a second while running, and every paused one).
            if panels:
                # Plain content, not markup: a data file's name may hold brackets.
                shown = self._layer_index(snapshot)
                self.query_one("#layer-panel").border_title = Content(panel_title(snapshot, shown))
                update = None if snapshot.update is None else snapshot.update.at(shown)
                diagram, matrix = self.query_one(NeuronDiagram), self.query_one(MatrixForm)
                await diagram.show(snapshot.layer_at(shown), snapshot.probe_at(shown))
                matrix.update = update  # before the layer: one rebuild shows both
                matrix.layer_view = snapshot.layer_at(shown)
                matrix.show_sample(diagram.sample)
                if self._gradient_pace.due(now, quick):  # a derivation a second is all one reads
                    self.query_one(GradientPanel).show(update, snapshot.epoch)
                self._show_function(snapshot)
                self._show_surface(snapshot, self._surface_pace.due(now, quick))
                if self._chart_pace.due(now, quick):
                    self.query_one(LossChart).show(snapshot)
                self.plan_panels()
            if status:
                self.query_one(StatusLine).show(frame)
            self.lesson_frame(frame)
