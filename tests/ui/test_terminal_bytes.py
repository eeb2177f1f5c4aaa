"""What the screen sends the terminal while training runs: parts follow the frames at their own
pace (`Pace` itself: test_widgets), a picture repaints only the rows that changed, and cells of one style go as one run."""

from __future__ import annotations

import dataclasses

from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.color import Color

from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.joined_styles import JoinedStyles
from scratchnn_tui.ui.messages import FrameReady
from scratchnn_tui.ui.paced import STATUS_INTERVAL
from scratchnn_tui.ui.scenes import settle
from scratchnn_tui.ui.widgets.picture import Picture
from scratchnn_tui.ui.widgets.status_line import StatusLine


def test_cells_of_one_style_are_joined_and_the_picture_stays_the_same():
    bar, blank = Style(color="#ff8700"), Style(color="#ffffff")
    cells = [Segment("█", bar)] * 5 + [Segment(" ", blank)] * 3 + [Segment("▂", bar)]
    joined = JoinedStyles().apply(cells, Color(0, 0, 0))
    assert joined == [Segment("█████", bar), Segment("   ", blank), Segment("▂", bar)]
    assert "".join(s.text for s in joined) == "".join(s.text for s in cells)


class Rows(Picture):
    """A picture of given rows, to see which rows a new view repaints."""

    def draw_rows(self, width, height):
        return [[(text.ljust(width), "words")] for text in self.view]

    def rows_for(self, width):
        return 4

    def least_for(self, width):
        return 4


class OnePicture(App):
    def compose(self):
        yield Rows(id="rows")


async def test_a_picture_repaints_only_the_rows_that_changed():
    app = OnePicture()
    async with app.run_test(size=(30, 6)) as pilot:
        picture = app.query_one(Rows)
        picture.show(("a", "b", "c", "d"))
        await pilot.pause()
        assert picture.picture_rows()[2].startswith("c")
        repainted = []
        refresh = picture.refresh
        picture.refresh = lambda *regions, **kw: (repainted.append(regions), refresh(*regions, **kw))[1]
        picture.show(("a", "b", "C", "d"))
        assert [tuple(region.y for region in regions) for regions in repainted] == [(2,)]
        await pilot.pause()
        assert picture.picture_rows()[2].startswith("C") and picture.picture_rows()[3].startswith("d")


async def test_a_quick_run_moves_the_status_line_a_few_times_a_second_a_watched_one_every_frame():
    app = ScratchApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        frame = app.frame
        status = app.query_one(StatusLine)
        shown = []
        draw = status.show
        status.show = lambda f, *a, **kw: (shown.append(f.snapshot.epoch), draw(f, *a, **kw))[1]

        def running(epoch, seq, run_speed=None):
            moved = dataclasses.replace(frame.snapshot.progressed(epoch, 0.5, True), run_speed=run_speed)
            return dataclasses.replace(frame, snapshot=moved, seq=seq, running=True, full=False)

        for k in range(1, 9):  # eight frames in far less than STATUS_INTERVAL: as fast as a run sends them
            app.post_message(FrameReady(running(frame.snapshot.epoch + k, frame.seq + k)))
        await pilot.pause()
        assert shown == [frame.snapshot.epoch + 1]  # the run's first frame, then its pace
        assert STATUS_INTERVAL <= 0.25
        shown.clear()
        for k in range(9, 13):  # a run at 5 epochs a second (`,`): every epoch drawn
            app.post_message(FrameReady(running(frame.snapshot.epoch + k, frame.seq + k, run_speed=5)))
        await pilot.pause()
        assert shown == [frame.snapshot.epoch + k for k in range(9, 13)]
