"""The lesson in the app, as a learner meets it: --lesson opens step 1 with its indicator and 19;
pagedown and pageup walk the steps; each step's try is ticked when done; escape brings the
user's session back; the indicator and the keys show at 80×24."""

from __future__ import annotations

import re

import pytest

from scratchnn_tui.training.lesson import STEPS
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import settle, wait_until
from scratchnn_tui.ui.widgets.lesson_panel import LESSON_KEYS, LESSON_MOST_ROWS, lesson_text
from scratchnn_tui.ui.widgets.status_line import StatusLine
from screen_text import screen_lines, screen_text

N = len(STEPS)


def status(app) -> str:
    return str(app.query_one(StatusLine).render())


async def go_to(pilot, number: int) -> None:
    await settle(pilot)
    await wait_until(pilot, lambda: pilot.app.frame.snapshot.lesson == pilot.app.lesson_step)
    await settle(pilot)


async def test_lesson_opens_on_step_1_showing_19_and_pages_through_the_batch_step():
    app = ScratchApp(lesson=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await go_to(pilot, 1)
        text = screen_text(app)
        assert f"Lesson 1/{N}" in text and "1×5 + 2×7 + 0 = 19" in text and LESSON_KEYS in text
        await pilot.press("pagedown", "pagedown")
        await go_to(pilot, 3)
        text = screen_text(app)
        assert f"Lesson 3/{N} · A batch of two" in text
        matrix = [line for line in screen_lines(app) if "⎣" in line or "⎡" in line]
        # the matrix form holds Z and A for both samples: 19, 22 on one row, 43, 50 below
        assert any(re.search(r"⎡ 19  22 ⎤.*⎡ 19  22 ⎤", line) for line in matrix)
        assert any(re.search(r"⎣ 43  50 ⎦.*⎣ 43  50 ⎦", line) for line in matrix)
        await pilot.press("pageup")
        await go_to(pilot, 2)
        assert f"Lesson 2/{N} · Two neurons" in screen_text(app)


async def test_the_fake_optimizer_step_gives_loss_0_on_space_and_its_tick():
    app = ScratchApp(lesson=6)
    async with app.run_test(size=(120, 40)) as pilot:
        await go_to(pilot, 6)
        assert "Try: space" in screen_text(app) and not app.lesson_done
        await pilot.press("space")
        await settle(pilot)
        assert "loss 0 │" in status(app) and "Epoch 1" in status(app)
        assert app.lesson_done and "✓ done: space" in screen_text(app)


async def test_tries_that_are_keys_on_the_screen_tick_too():
    app = ScratchApp(lesson=2)
    async with app.run_test(size=(120, 40)) as pilot:
        await go_to(pilot, 2)
        await pilot.press("down")  # the second neuron's weights
        assert app.lesson_done
        await pilot.press("pagedown")
        await go_to(pilot, 3)
        assert not app.lesson_done
        await pilot.press("n")  # the second sample: 3×5 + 4×7 = 43
        assert app.lesson_done and "3×5 + 4×7 + 0 = 43" in screen_text(app)
        await pilot.press("pagedown", "pagedown")
        await go_to(pilot, 5)
        await pilot.press("s")
        assert app.lesson_done
        await pilot.press("escape")  # closes the code view; the lesson stays
        assert app.lesson_step == 5


async def test_escape_leaves_the_lesson_and_the_session_from_before_is_back():
    app = ScratchApp(task="triple")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "space")
        await settle(pilot)
        before = app.frame.snapshot
        await pilot.press("a")
        await go_to(pilot, 1)
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown", "pagedown")  # step 6
        await go_to(pilot, 6)
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.lesson_step == 0 and not app.query_one("#lesson-panel").display
        assert app.frame.snapshot == before
        assert "your session is back as it was: triple, epoch 3" in screen_text(app)
        await pilot.press("a")  # opens where it was left
        await go_to(pilot, 6)
        assert f"Lesson 6/{N}" in screen_text(app)


async def test_at_80x24_the_indicator_and_the_keys_show_on_every_step():
    app = ScratchApp(lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        for number in range(1, N + 1):
            await go_to(pilot, number)
            lines = screen_lines(app)
            assert any(f"Lesson {number}/{N}" in line for line in lines)
            assert any(LESSON_KEYS in line for line in lines)
            assert STEPS[number - 1].try_this.split()[-1] in screen_text(app)  # the try's last word: not cut
            await pilot.press("pagedown")
        assert "the last step" in screen_text(app)


@pytest.mark.parametrize("done", [False, True])
def test_every_step_fits_whole_at_80_columns(done):
    from rich.console import Console

    inside = 80 - 4  # the borders and the padding
    for step in STEPS:
        assert len(lesson_text(step, done).wrap(Console(width=inside), inside)) <= LESSON_MOST_ROWS


async def test_stored_w_beside_its_transpose_after_solved_on_the_article_figure():
    app = ScratchApp(task="seed-2x2", optimizer="solved")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        lines = screen_lines(app)
        at = next(i for i, line in enumerate(lines) if "W (stored)" in line)
        assert "nn.Linear stores it" in lines[at]
        assert "⎡ 5  7 ⎤" in lines[at + 1] and "⎣ 6  8 ⎦" in lines[at + 2]  # W as stored: rows are neurons
        transposed = next(i for i, line in enumerate(lines) if "Wᵀ" in line and i > at + 2)
        assert "⎡ 5  6 ⎤" in lines[transposed + 1] and "⎣ 7  8 ⎦" in lines[transposed + 2]
