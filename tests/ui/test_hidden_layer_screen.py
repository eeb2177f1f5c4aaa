"""A deeper network on screen: the diagram, the matrix form and the gradient panel page through
its layers with [ and ]; a hidden weight's gradient is the chain rule through the layer above;
the settings dialog changes the hidden layers."""

from __future__ import annotations

from textual.widgets import Input, Static

from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import settle
from scratchnn_tui.ui.widgets.diagram_figure import figure
from scratchnn_tui.ui.widgets.gradient_panel import GradientPanel, gradient_text
from scratchnn_tui.ui.widgets.matrix_form import MatrixForm, flow, matrix_form_blocks
from scratchnn_tui.ui.widgets.neuron_diagram import NeuronDiagram
from scratchnn_tui.ui.numbers import fmt

SIZE = (120, 40)


def _xor(steps: int = 1):
    session = Session(task="xor", hidden="3", optimizer="sgd", lr=0.1, seed=1)
    session.step(steps)
    return session.snapshot()


def test_a_hidden_weights_gradient_comes_down_through_the_layer_above_with_its_numbers():
    snapshot = _xor()
    update = snapshot.update.at(0)
    text = gradient_text(update, 1, 0, snapshot.epoch).plain
    lines = text.splitlines()
    assert lines[0].startswith("w₂₁ of layer 1, the update of epoch 0 (SGD)")
    assert lines[1].startswith("∂L/∂w₂₁ = Σ ∂L/∂a₂·relu′(z)·x = ")
    assert lines[1].endswith(f" = {fmt(update.weight[1][0].by_hand)}")
    # where ∂L/∂a₂ of sample 1 came from: layer 2's ∂L/∂z′ times its weight from neuron 2
    above = update.above
    term = f"{fmt(above.d_pre[0][0])}×{fmt(above.weight[0][1].before)}"
    assert lines[2] == (f"∂L/∂a₂ comes down from layer 2: Σₘ ∂L/∂z′ₘ·w′ₘ₂; sample 1: {term} = "
                        f"{fmt(update.layers[0].d_outputs[0][1])}")
    assert "difference 0 ✓" in text or "✓" in lines[3]
    # the output layer of a deeper net is linear: its slope is 1
    assert "∂L/∂w₁₁ = Σ 2(a − y)·1·x / 4" in gradient_text(snapshot.update, 0, 0, snapshot.epoch).plain


def test_the_diagram_and_matrix_form_name_a_hidden_layers_inputs_and_a_linear_output():
    snapshot = _xor()
    hidden = "\n".join(line.plain for line in figure(snapshot.layer_at(0), 0, (0, 0), width=110).lines())
    assert "x₁ 0" in hidden and "→ relu →" in hidden and "target" not in hidden
    output = "\n".join(line.plain for line in figure(snapshot.layer_at(1), 0, (0, 0), width=110).lines())
    assert "layer 1's outputs" in output and "a₁ " in output and "→ linear →" in output
    assert "target 0" in output and "dead" not in output
    matrix = flow(matrix_form_blocks(snapshot.layer_at(1)), 200).plain
    assert "A₁ (layer 1)" in matrix and "A = Z (linear)" in matrix and "Y target" in matrix
    assert "Y target" not in flow(matrix_form_blocks(snapshot.layer_at(0)), 200).plain


def _title(app) -> str:
    return str(app.query_one("#layer-panel").border_title)


async def test_brackets_page_through_the_layers_and_enter_types_a_hidden_weight_in():
    app = ScratchApp(make_session=lambda: Session(task="xor", hidden="3", seed=1))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert _title(app).startswith("Layer 2 of 2 (output, 3→1) · [ ] pages")
        await pilot.press("space", "left_square_bracket")
        await settle(pilot)
        assert _title(app).startswith("Layer 1 of 2 (hidden, 2→3)")
        snapshot = app.frame.snapshot
        assert app.query_one(NeuronDiagram).layer_view == snapshot.layer_at(0)
        assert app.query_one(MatrixForm).layer_view == snapshot.layer_at(0)
        assert "of layer 1" in str(app.query_one(GradientPanel).render())
        await pilot.press("down", "down", "down", "down")  # stops at the hidden layer's 3rd neuron
        await pilot.pause()
        assert app.query_one(GradientPanel).selected == (2, 0)
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one(Input).value == f"{snapshot.layer_at(0).weight[2][0]:.9g}"
        await pilot.press("ctrl+u", "1", ".", "5", "enter")
        await settle(pilot)
        assert app.frame.snapshot.layer_at(0).weight[2][0] == 1.5
        assert "w₃₁ of layer 1" in str(app.query_one("#message", Static).render())
        await pilot.press("right_square_bracket", "right_square_bracket")  # stops at the top
        await settle(pilot)
        assert _title(app).startswith("Layer 2 of 2 (output")
        assert app.query_one(GradientPanel).selected == (0, 0)  # clamped to the one output neuron


async def test_the_settings_dialog_gives_the_network_hidden_layers_and_says_it_starts_again():
    app = ScratchApp(make_session=lambda: Session(task="square"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert _title(app).startswith("Layer ·")
        await pilot.press("space", "e")
        await pilot.pause()
        field = app.screen.query_one("#hidden", Input)
        assert field.value == ""
        field.focus()
        await pilot.press("8", "enter")
        await settle(pilot)
        snapshot = app.frame.snapshot
        assert snapshot.sizes == (1, 8, 1) and snapshot.epoch == 0
        assert "Network 1→8→1: weights re-drawn" in str(app.query_one("#message", Static).render())
        assert _title(app).startswith("Layer 2 of 2 (output, 8→1)")
