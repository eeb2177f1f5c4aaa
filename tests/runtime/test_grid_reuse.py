"""A full frame leaves out the surface's grid when it is the one the last frame carried, and the
receiving side puts it back: what the UI gets is what the session made, frame for frame, in
fewer bytes."""

from __future__ import annotations

import pickle

from scratchnn_tui.runtime.grid_reuse import GridReceiver, GridSender
from scratchnn_tui.training.session import Session
from scratchnn_tui.training.snapshot import Frame
from scratchnn_tui.training.surface_view import SurfaceChoice


def test_an_unchanged_grid_crosses_once_and_every_frame_arrives_as_it_was_made():
    session = Session(task="triple")
    session.choose_surface(SurfaceChoice(shown=True))
    sender, receiver = GridSender(), GridReceiver()
    sizes = []
    for seq in range(4):
        frame = Frame(snapshot=session.snapshot(), running=True, seq=seq)
        sent = pickle.dumps(sender.strip(frame))
        sizes.append(len(sent))
        got = receiver.fill(pickle.loads(sent))
        assert got == frame
        session.step(1)  # the path moves inside the window: the same exact grid
    assert sizes[1] < sizes[0] - 15_000 and max(sizes[1:]) < sizes[0] - 15_000


def test_a_new_window_or_a_slice_sends_its_grid_and_frames_without_a_surface_pass():
    sender, receiver = GridSender(), GridReceiver()
    session = Session(task="xor", hidden=(4,))  # a slice: its grid is made anew each frame
    plain = Frame(snapshot=session.snapshot(), running=False, seq=0)
    assert receiver.fill(pickle.loads(pickle.dumps(sender.strip(plain)))) == plain
    session.choose_surface(SurfaceChoice(shown=True))
    for seq in range(1, 3):
        frame = Frame(snapshot=session.snapshot(), running=False, seq=seq)
        stripped = sender.strip(frame)
        assert stripped.snapshot.surface.losses is not None
        assert receiver.fill(pickle.loads(pickle.dumps(stripped))) == frame
        session.step(1)
