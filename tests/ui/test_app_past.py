"""The keys that change the past and the present by hand: b (step back), enter (type a weight
or bias in), p (probe an input not in the batch), and a click on a weight."""

from __future__ import annotations

import struct

from textual.widgets import Input, Label, Static

from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import settle
from scratchnn_tui.ui.widgets.number_field import NumberField
from scratchnn_tui.ui.widgets.status_line import StatusLine

SIZE = (120, 40)


def message(app) -> str:
    return str(app.query_one("#message", Static).render())


async def test_b_after_three_steps_shows_epoch_two_and_space_repeats_epoch_three_exactly():
    app = ScratchApp(task="triple", optimizer="adam")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        losses = []
        for _ in range(3):
            await pilot.press("space")
            await settle(pilot)
            losses.append(app.frame.snapshot.loss)
        await pilot.press("b")
        await settle(pilot)
        snapshot = app.frame.snapshot
        assert snapshot.epoch == 2 and snapshot.loss == losses[1]
        oracle = Session(task="triple", optimizer="adam")
        oracle.step(2)
        assert snapshot.losses == tuple(oracle.losses)
        assert "Epoch 2" in str(app.query_one(StatusLine).render())
        assert "Back to epoch 2" in message(app)
        await pilot.press("space")
        await settle(pilot)
        assert app.frame.snapshot.epoch == 3 and app.frame.snapshot.loss == losses[2]


async def test_b_at_the_start_says_there_is_nothing_earlier():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert "nothing earlier" in message(app)
        assert app.frame.snapshot.epoch == 0


async def test_typing_weight_3_and_bias_0_on_triple_gives_loss_0():
    app = ScratchApp(task="triple")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        field = app.query_one(NumberField)
        assert field.is_open
        # prefilled with 9 significant digits: as a float32 (the weight's type) exactly the weight
        prefilled = struct.unpack("f", struct.pack("f", float(app.query_one(Input).value)))[0]
        assert prefilled == app.frame.snapshot.layer.weight[0][0]
        await pilot.press("3", "enter")
        await settle(pilot)
        assert not field.is_open
        assert app.frame.snapshot.layer.weight[0][0] == 3.0
        await pilot.press("right", "enter")
        await pilot.pause()
        await pilot.press("0", "enter")
        await settle(pilot)
        snapshot = app.frame.snapshot
        assert snapshot.layer.bias[0] == 0.0 and snapshot.loss == 0.0
        assert snapshot.layer.outputs == ((3.0,), (6.0,), (9.0,), (12.0,))
        assert "loss 0" in str(app.query_one(StatusLine).render())
        await pilot.press("b")  # undoes the bias
        await settle(pilot)
        assert app.frame.snapshot.layer.bias[0] != 0.0 and "Undid the edit b₁" in message(app)


async def test_a_bad_number_is_refused_in_place_with_the_reason_and_escape_changes_nothing():
    app = ScratchApp(task="triple")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.frame.snapshot
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("a", "b", "c", "enter")
        await pilot.pause()
        field = app.query_one(NumberField)
        assert field.is_open
        assert "must be a number" in str(field.query_one(".reason", Label).render())
        await pilot.press("escape")
        await settle(pilot)
        assert not field.is_open
        assert app.frame.snapshot.layer == before.layer and app.frame.snapshot.epoch == 0
        await pilot.press("space")  # keys reach the app again
        await settle(pilot)
        assert app.frame.snapshot.epoch == 1


async def test_p_probes_an_input_not_in_the_batch():
    app = ScratchApp(task="triple", optimizer="solved")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "p")
        await pilot.pause()
        await pilot.press("1", "0", "enter")
        await settle(pilot)
        probe = app.frame.snapshot.probe
        assert probe is not None and probe.inputs == (10.0,) and probe.outputs == (30.0,)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("backspace", "enter")  # the value is selected: empty, back to the batch
        await settle(pilot)
        assert app.frame.snapshot.probe is None


async def test_a_click_on_a_weight_in_the_diagram_selects_it_everywhere():
    from scratchnn_tui.ui.widgets.gradient_panel import GradientPanel
    from scratchnn_tui.ui.widgets.matrix_form import MatrixForm
    from scratchnn_tui.ui.widgets.neuron_diagram import NeuronDiagram

    app = ScratchApp(task="seed-2x2")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        diagram = app.query_one(NeuronDiagram)
        # what the diagram posts when a click lands on neuron 2's bias (its own test clicks)
        diagram.post_message(NeuronDiagram.Selected(1, 2))
        await pilot.pause()
        assert diagram.selected == (1, 2)
        assert app.query_one(GradientPanel).selected == (1, 2)
        assert app.query_one(MatrixForm).selected == (1, 2)
        await pilot.press("enter")
        await pilot.pause()
        assert "b₂ =" in str(app.query_one(NumberField).query_one(".prompt", Label).render())
