"""Screens compared with accepted SVGs (pytest-textual-snapshot). Regenerate after a deliberate
change with `pytest tests/test_snapshots.py --snapshot-update`, then look at the report."""

from __future__ import annotations

import pytest

from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import SCENES, play, settle

pytestmark = pytest.mark.usefixtures("one_kernel_path")  # the same numbers on every machine (conftest)

SIZES = [(80, 24), (120, 36)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", [name for name in SCENES if not name.startswith(("function", "surface", "lesson", "code"))])  # below
def test_scene(snap_compare, name, size):
    scene = SCENES[name]

    async def run_before(pilot):
        await play(pilot, scene)

    assert snap_compare(ScratchApp(**scene.settings), terminal_size=size, run_before=run_before)


def test_help_screen(snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")

    assert snap_compare(ScratchApp(), terminal_size=(80, 24), run_before=run_before)


# The screens a new user once found squeezed (a panel down to its title line), at their sizes:
# now every panel on them is whole, and a panel with no room is named with its key.
SQUEEZED = {
    "seed-2x2-lr1e6-100x30": (dict(task="seed-2x2", lr=1e6), ("space", "space"), (100, 30)),
    "xor-hidden-layer1-100x30": (dict(task="xor", hidden=(4,)), ("left_square_bracket",), (100, 30)),
    "square-hidden-120x40": (dict(task="square", hidden=(8,)), ("space",), (120, 40)),
    "triple-gradient-80x24": (dict(task="triple"), ("space", "g"), (80, 24)),
}


@pytest.mark.parametrize("name", list(SQUEEZED))
def test_once_squeezed(snap_compare, name):
    settings, keys, size = SQUEEZED[name]

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    assert snap_compare(ScratchApp(**settings), terminal_size=size, run_before=run_before)


# The function view (f) of each kind: the hinges of square --hidden 8 and the heat map of xor
# --hidden 4, beside the layer at 120×40, in place of it at 80×24 (after f), and under NO_COLOR.
FUNCTION = {
    "square-120x40": ("function-square", (120, 40), ()),
    "square-80x24-f": ("function-square", (80, 24), ("f",)),
    "xor-120x40": ("function-xor", (120, 40), ()),
    "xor-80x24-f": ("function-xor", (80, 24), ("f",)),
}


@pytest.mark.parametrize("name", list(FUNCTION))
def test_function_view(snap_compare, name):
    scene_name, size, keys = FUNCTION[name]
    scene = SCENES[scene_name]

    async def run_before(pilot):
        await play(pilot, scene)
        await pilot.press(*keys)
        await settle(pilot)

    assert snap_compare(ScratchApp(**scene.settings), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("scene_name", ["function-square", "function-xor"])
def test_function_view_no_color(snap_compare, monkeypatch, scene_name):
    monkeypatch.setenv("NO_COLOR", "1")
    scene = SCENES[scene_name]

    async def run_before(pilot):
        await play(pilot, scene)

    assert snap_compare(ScratchApp(**scene.settings), terminal_size=(120, 40), run_before=run_before)


# The surface view (v): SGD alone on triple's whole loss at 120×40 and at 80×24 (in place of the
# layer), the race's four paths on one map, and SGD's under NO_COLOR.
SURFACE = {
    "sgd-120x40": ("surface-sgd", (120, 40)),
    "sgd-80x24": ("surface-sgd", (80, 24)),
    "race-120x40": ("surface-race", (120, 40)),
}


@pytest.mark.parametrize("name", list(SURFACE))
def test_surface_view(snap_compare, name):
    scene_name, size = SURFACE[name]
    scene = SCENES[scene_name]

    async def run_before(pilot):
        await play(pilot, scene)

    assert snap_compare(ScratchApp(**scene.settings), terminal_size=size, run_before=run_before)


def test_surface_view_no_color(snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    scene = SCENES["surface-sgd"]

    async def run_before(pilot):
        await play(pilot, scene)

    assert snap_compare(ScratchApp(**scene.settings), terminal_size=(120, 40), run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", ["lesson-batch", "lesson-solved", "code-view"])
def test_lesson_and_code_view(snap_compare, name, size):
    """Two steps of the lesson and the code view, at the smallest size and a roomy one."""
    scene = SCENES[name]

    async def run_before(pilot):
        await play(pilot, scene)

    assert snap_compare(ScratchApp(**scene.settings), terminal_size=size, run_before=run_before)
