"""The gradient panel: the chain rule and the update of the selected weight with the real
numbers; shown from 100×30 up, `g` toggles it, the arrows move the selection."""

from __future__ import annotations

from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import settle
from scratchnn_tui.ui.widgets.gradient_panel import GradientPanel, gradient_text


def _after(optimizer: str = "sgd", steps: int = 1, task: str = "triple") -> tuple:
    session = Session(task=task, optimizer=optimizer)
    for _ in range(steps):
        session.step()
    return session.snapshot().update, session.epoch


def test_triples_first_epoch_as_the_issue_writes_it():
    text = gradient_text(*_after()[:1], 0, 0, 1).plain
    assert "∂L/∂w₁₁ = Σ 2(a − y)·relu′(z)·x / 4 = (2·(0.8864 − 3)·1·1 + 2·(1.082 − 6)·1·2" in text
    assert ")/4 = -38.61" in text
    assert "autograd's .grad -38.61 · difference 0 ✓" in text
    assert "SGD: Δw₁₁ = −lr·∂L/∂w₁₁ = −0.02 × (-38.61) = +0.7722" in text
    assert "w₁₁ 0.1959 → 0.968" in text


def test_the_panel_says_where_2_a_minus_y_and_the_divisor_come_from():
    update, epoch = _after()
    assert "2(a − y) is the slope of (a − y)²; /4: L is the mean of 4 squares" in gradient_text(update, 0, 0, epoch).plain
    update, epoch = _after(task="seed-2x2")  # two samples, two outputs: four squares
    assert "/4: L is the mean of 2·2 = 4 squares" in gradient_text(update, 1, 0, epoch).plain
    hidden = Session(task="xor", hidden=(4,))
    hidden.step()
    below = hidden.snapshot().update.at(0)  # a hidden layer: its ∂L/∂a comes down from above instead
    assert "slope of (a − y)²" not in gradient_text(below, 0, 0, hidden.epoch).plain


def test_the_bias_the_other_optimizers_and_a_stale_update():
    update, epoch = _after()
    assert "∂L/∂b₁ = Σ 2(a − y)·relu′(z)·1 / 4" in gradient_text(update, 0, 1, epoch).plain
    assert "more epochs ran since: space shows the next" in gradient_text(update, 0, 0, epoch + 4).plain
    update, epoch = _after("momentum", steps=2)
    assert "velocity b = μ·b′ + ∂L/∂w₁₁ = 0.9 × (-38.61) + (-25.76) = -60.51" in gradient_text(update, 0, 0, epoch).plain
    update, epoch = _after("adam")
    assert "m̂ = m/(1 − β₁ᵗ) = -38.61" in gradient_text(update, 0, 0, epoch).plain
    update, epoch = _after("solved")
    assert "Solved ignores the gradient: w₁₁ ← 3" in gradient_text(update, 0, 0, epoch).plain
    update, epoch = _after(task="seed-2x2")
    assert "∂L/∂w₂₁ = Σ 2(a − y)·relu′(z)·x / (2·2)" in gradient_text(update, 1, 0, epoch).plain
    assert "Press space" in gradient_text(None, 0, 0, 0).plain


def panel_text(app) -> str:
    return str(app.query_one(GradientPanel).render())


async def test_shown_from_100x30_toggled_by_g_and_the_arrows_select():
    app = ScratchApp(make_session=lambda: Session(task="seed-2x2"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        panel = app.query_one("#gradient-panel")
        assert panel.display and "Press space" in panel_text(app)
        await pilot.press("space")
        await settle(pilot)
        assert panel_text(app).startswith("w₁₁, the update of epoch 0")
        await pilot.press("right", "right", "right")  # past the last weight: the bias, and it stops
        assert panel_text(app).startswith("b₁,")
        await pilot.press("down", "down", "left")
        assert panel_text(app).startswith("w₂₂,")
        await pilot.press("g")
        await pilot.pause()
        assert not panel.display
        await pilot.press("g")
        await pilot.pause()
        assert panel.display


async def test_hidden_below_100x30_until_g():
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.query_one("#gradient-panel")
        assert not panel.display
        await pilot.press("g")
        await pilot.pause()
        assert panel.display


def _reversed(text) -> list[str]:
    """The pieces of `text` drawn in reverse: the selected number."""
    return [text.plain[span.start:span.end] for span in text.spans if "reverse" in str(span.style)]


def test_the_selected_number_is_reversed_in_the_diagram_and_the_matrices():
    from scratchnn_tui.ui.widgets.matrix_form import matrix_form_blocks
    from scratchnn_tui.ui.widgets.neuron_diagram import neuron_text

    session = Session(task="seed-2x2", optimizer="solved")
    session.step()
    layer = session.snapshot().layer  # W = [[5, 7], [6, 8]], b = 0
    assert _reversed(neuron_text(layer, 0, 0, (0, 1))) == ["7"]
    assert _reversed(neuron_text(layer, 1, 0, (0, 1))) == []  # another neuron's weight
    assert _reversed(neuron_text(layer, 1, 0, (1, 2))) == ["0"]  # the bias of neuron 2
    blocks = matrix_form_blocks(layer, selected=(1, 0))  # W[1, 0] = 6: row 0, column 1 of Wᵀ
    marked = [piece for block in blocks for line in block for piece in _reversed(line)]
    assert marked == ["6"]


def test_the_matrix_forms_gradients_are_the_updates_laid_out_as_w_transposed():
    from scratchnn_tui.ui.widgets.matrix_form import gradient_blocks

    update, _ = _after(task="seed-2x2")
    blocks = gradient_blocks(update, (1, 0))
    assert blocks[0][0].plain.strip() == "∂L/∂Wᵀ (epoch 0)" and blocks[1][0].plain.strip() == "∂L/∂b"
    rows = [line.plain for line in blocks[0][1:]]
    by_hand = [[n.by_hand for n in row] for row in update.weight]  # out × in
    from scratchnn_tui.ui.numbers import fmt
    assert fmt(by_hand[1][0]) in rows[0] and fmt(by_hand[0][1]) in rows[1]  # Wᵀ[i][j] = W[j][i]
    assert _reversed(blocks[0][1]) == [fmt(by_hand[1][0])]  # the selected one


async def test_capital_g_lays_the_gradients_beside_w_and_b():
    from scratchnn_tui.ui.widgets.matrix_form import MatrixForm

    app = ScratchApp(make_session=Session)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("space", "G")
        await settle(pilot)
        await pilot.pause()
        text = str(app.query_one(MatrixForm).render())
        assert "∂L/∂Wᵀ (epoch 0)" in text and "-38.61" in text and "-12.64" in text
        await pilot.press("G")
        await pilot.pause()
        assert "∂L/∂Wᵀ" not in str(app.query_one(MatrixForm).render())
