"""The code view (s): the core's own lines, exactly as in the installed files, with the numbers
of this moment beside them; escape closes it."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import scratchnn_tui.core as core
from scratchnn_tui.core.layer import ScratchLinear
from scratchnn_tui.core.optim import SGD
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.code_lines import code_sections, function_source
from scratchnn_tui.ui.numbers import fmt
from scratchnn_tui.ui.scenes import settle, wait_until
from scratchnn_tui.ui.screens.code_view import CodeScreen
from screen_text import screen_lines

CORE = Path(core.__file__).parent
CODE_ROW = re.compile(r"^ *(\d+) │ (.*?)(?:   +◂ .*)?$")


def docstring_lines(lines: list[str], first: int) -> set[int]:
    """The line numbers of a function's docstring, found by its quotes: from the first line
    that opens one to the line that closes it."""
    opened = next(i for i, line in enumerate(lines) if line.strip().startswith(('"""', 'r"""')))
    closes = opened if lines[opened].count('"""') == 2 else next(
        i for i in range(opened + 1, len(lines)) if '"""' in lines[i])
    return set(range(first + opened, first + closes + 1))


def test_a_function_is_its_lines_in_the_file_without_the_docstring():
    for function, file, name in ((ScratchLinear.forward, "layer.py", "ScratchLinear.forward"),
                                 (SGD.step, "optim.py", "SGD.step"), (ScratchLinear.reset_parameters, "layer.py",
                                                                      "ScratchLinear.reset_parameters")):
        lines, first = inspect.getsourcelines(function)  # the oracle: Python's own reading of the file
        skipped = docstring_lines(lines, first) if function.__doc__ else set()  # its own, not inherited
        expected = [(first + i, line.rstrip("\n")) for i, line in enumerate(lines) if first + i not in skipped]
        shown_first, numbered = function_source(file, name)
        assert shown_first == first and numbered == expected
    assert len(docstring_lines(*inspect.getsourcelines(ScratchLinear.reset_parameters))) > 1  # a docstring was left out


async def test_on_triple_after_one_space_s_shows_the_installed_lines_with_this_epochs_numbers():
    app = ScratchApp(task="triple")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, CodeScreen) and app.frame.snapshot.linear_checks)
        await settle(pilot)
        await pilot.pause()
        snapshot = app.frame.snapshot
        lines = screen_lines(app)
        assert "epoch 1" in lines[0] and "triple" in lines[0]
        files = {"layer.py": (CORE / "layer.py").read_text().splitlines()}
        assert any("core/layer.py · ScratchLinear.forward" in line for line in lines)
        rows = [CODE_ROW.match(line) for line in lines]
        code_rows = [(int(m.group(1)), m.group(2).rstrip()) for m in rows if m]
        assert len(code_rows) >= 5
        for number, code in code_rows[:5]:  # the forward pass, as it is in the installed file
            assert files["layer.py"][number - 1].rstrip() == code
        text = "\n".join(lines)
        weight, bias = snapshot.layer.weight[0][0], snapshot.layer.bias[0]
        assert f"weight = [[{fmt(weight)}]]" in text and f"bias = [{fmt(bias)}]" in text
        z = ", ".join(f"[{fmt(row[0])}]" for row in snapshot.layer.pre_activation)
        assert f"z = [{z}]" in text
        assert "the same numbers" in text or "the same to" in text  # nn.Linear's check
        # the update of epoch 0: the gradient by hand and SGD's step, for w₁₁
        grad = snapshot.update.weight[0][0]
        assert f"= {fmt(grad.by_hand)}  (autograd: {fmt(grad.autograd)})" in text
        await pilot.press("end")  # the optimizer's step is below: the view scrolls
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "core/optim.py · SGD.step" in text and "p.add_(g, alpha=-lr)" in text
        assert f"w₁₁: {fmt(grad.before)} → {fmt(grad.after)}" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, CodeScreen)
        await settle(pilot)
        assert app.frame.snapshot.linear_checks == ()  # closed: no longer computed


def test_sections_follow_the_optimizer_of_the_last_update():
    from scratchnn_tui.training.session import Session

    for key, name in (("sgd", "SGD.step"), ("momentum", "SGD.step"), ("adam", "Adam.step"), ("solved", "Solved.step")):
        session = Session(task="triple", optimizer=key)
        session.step(2)
        sections = code_sections(session.snapshot(), 0, (0, 0), 0)
        assert [section.name for section in sections] == ["ScratchLinear.forward", "backward", "_slope", name]
        step = sections[-1]
        update = session.snapshot().update.weight[0][0]
        assert any(f"{fmt(update.before)} → {fmt(update.after)}" in line.value for line in step.lines)
        if key == "momentum":
            buffer = dict(update.state_after)["momentum_buffer"]
            assert any(line.value == f"buf = {fmt(buffer)}" for line in step.lines)
        if key == "adam":
            assert any(line.value == f"m = {fmt(dict(update.state_after)['exp_avg'])}" for line in step.lines)
