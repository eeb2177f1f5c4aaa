"""The race on the main screen (x): its board instead of the panels, its keys, and the
requests that start and leave it. Mixed into ScratchApp; the board itself is
`widgets/race_board.py`, which keys act while racing is `race_keys.py`."""

from __future__ import annotations

import time

from textual import events

from ..runtime.requests import Pause, StopRace, ToggleRace
from ..training.snapshot import Frame
from .messages import SessionNote
from .race_keys import RACE_ACTIONS, race_refusal
from .widgets.race_board import RaceBoard
from .widgets.surface_view import SurfacePicture


class RaceView:
    """Mixed into ScratchApp: `race_allows` for its check_action, `_show_race` for its frames."""

    def race_allows(self, action: str) -> bool:
        """While racing, the race's keys alone act (escape: `LessonKeys.lesson_allows`)."""
        racing = self.screen_stack[0].has_class("-racing")
        return not racing or action in RACE_ACTIONS

    def on_key(self, event: events.Key) -> None:
        """A key the race holds back says why (`race_keys`), where it would do nothing."""
        if (refusal := race_refusal(self, event.key)) is not None:
            self.post_message(SessionNote(refusal, True))

    async def _show_race(self, frame: Frame, draw: bool = True) -> bool:
        """While the optimizers race, the race board instead of the panels (redrawn when `draw`:
        a full frame at the panels' pace); whether they race."""
        race = frame.snapshot.race
        main = self.screen_stack[0]
        if main.has_class("-racing") != (race is not None):
            main.set_class(race is not None, "-racing")
            self.refresh_bindings()  # the footer shows the race's keys alone
            if race is None:
                await self.query_one(RaceBoard).clear()
        if race is not None and frame.full and draw:
            await self.query_one(RaceBoard).show(race)
            self._show_race_surface(frame)
        return race is not None

    def _show_race_surface(self, frame: Frame) -> None:
        """With the surface view on (v), every racer's path on one map beside the board (twice
        a second while the race runs, as the main screen's: `paced`)."""
        snapshot = frame.snapshot
        surface = snapshot.surface if self.surface_wanted else None
        panel = self.query_one("#race-panel")
        panel.set_class(surface is not None, "-with-surface")
        picture = self.query_one("#race-surface", SurfacePicture)
        if surface is None or picture.view is None or self._surface_pace.due(time.monotonic(), frame.running):
            picture.show(surface)
        if surface is not None:
            self.query_one("#race-surface-panel").border_title = "Surface · every path, one start · v hides"
        self._show_surface(snapshot)  # asks for the surface while v wants it

    def action_race(self) -> None:
        """The race (x): every optimizer from the session's weights; x again leaves it."""
        self.worker.send(Pause())
        self.worker.send(ToggleRace())

    def action_leave_race(self) -> None:
        self.worker.send(Pause())
        self.worker.send(StopRace())
