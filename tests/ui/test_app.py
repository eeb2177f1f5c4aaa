"""The app driven by its keys with `run_test` and `Pilot.press`, checked on session and screen."""

from __future__ import annotations

import dataclasses
import threading

import pytest
import torch

from scratchnn_tui.training.devices import NO_GPU
from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.messages import FrameReady
from scratchnn_tui.ui.screens.help import HelpScreen
from scratchnn_tui.ui.scenes import settle, wait_until
from scratchnn_tui.ui.widgets.loss_chart import LossChart
from scratchnn_tui.ui.widgets.matrix_form import MatrixForm
from scratchnn_tui.ui.widgets.neuron_diagram import NeuronDiagram, OutputNeuron
from scratchnn_tui.ui.widgets.status_line import StatusLine
from textual.widgets import Sparkline, Static

from epoch_hooks import on_epochs

SIZE = (100, 30)


def text_of(widget) -> str:
    return str(widget.render())


def status(app) -> str:
    return text_of(app.query_one(StatusLine))


def light_after(frame, snapshot):
    """A running light frame showing `snapshot`, as the worker would send after `frame`."""
    return dataclasses.replace(frame, snapshot=snapshot, seq=frame.seq + 1, running=True, full=False)


def neurons(app) -> str:
    return "\n".join(text_of(node) for node in app.query(OutputNeuron))


def message(app) -> str:
    return text_of(app.query_one("#message", Static))


async def test_first_frame_then_session_loaded():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Epoch 0" in status(app)
        assert "SGD" in status(app) and "cpu" in status(app) and "lr 0.02" in status(app)
        assert "loss" in status(app)


async def test_five_quick_spaces_make_exactly_five_epochs():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*["space"] * 5)
        await settle(pilot)
        snapshot = app.frame.snapshot
        assert snapshot.epoch == 5
        assert len(snapshot.losses) == 6
        assert "Epoch 5" in status(app)
        oracle = Session()
        oracle.step(5)
        assert snapshot.losses == tuple(oracle.losses)
        assert f"loss {snapshot.loss:.4g}" in status(app)


async def test_keys_pressed_while_torch_loads_are_kept():
    release = threading.Event()

    def slow_session():
        release.wait(10)
        return Session()

    app = ScratchApp(make_session=slow_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Loading PyTorch" in status(app)
        await pilot.press("space", "space", "space")
        release.set()
        await settle(pilot)
        assert app.frame.snapshot.epoch == 3


async def test_r_runs_and_pauses():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.frame.running and app.frame.snapshot.epoch > 20)
        assert app.frame.running and "running" in status(app)
        await pilot.press("r")
        await settle(pilot)
        stopped_at = app.frame.snapshot.epoch
        assert stopped_at > 20 and not app.frame.running and "paused" in status(app)
        await pilot.pause(0.2)
        await settle(pilot)
        assert app.frame.snapshot.epoch == stopped_at


async def test_R_resets_to_epoch_zero_and_initial_weights():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        initial = app.frame.snapshot
        await pilot.press("space", "space", "R")
        await settle(pilot)
        assert app.frame.snapshot == initial
        assert "Epoch 0" in status(app)


async def test_o_cycles_optimizers_and_solved_reaches_zero_loss():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        labels = []
        for _ in range(3):
            await pilot.press("o")
            await settle(pilot)
            labels.append(app.frame.snapshot.optimizer)
        assert labels == ["SGD+momentum", "Adam", "Solved"]
        assert "Solved" in status(app) and "Solved" in message(app)
        await pilot.press("space")
        await settle(pilot)
        snapshot = app.frame.snapshot
        assert snapshot.loss == 0.0
        assert snapshot.layer.weight == ((3.0,),) and snapshot.layer.bias == (0.0,)
        neuron = text_of(app.query_one(OutputNeuron))
        assert "1×3 + 0 = 3 → relu → 3" in neuron
        await pilot.press("o")
        await settle(pilot)
        assert app.frame.snapshot.optimizer == "SGD"


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message shown without a GPU")
async def test_d_without_gpu_says_so_and_stays_on_cpu():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "d", "space")
        await settle(pilot)
        assert app.frame.snapshot.device == "cpu"
        assert app.frame.snapshot.epoch == 2  # the refused switch cost nothing
        assert NO_GPU in message(app)
        assert app.query_one("#message").has_class("-error")


async def test_d_with_two_gpus_injected_moves_the_session(monkeypatch):
    """The device key drives Session.move_to; with a fake GPU list it asks for cuda:0."""
    moves = []
    monkeypatch.setattr("scratchnn_tui.training.session.next_device", lambda current: "cuda:0")
    monkeypatch.setattr(Session, "move_to", lambda self, device: moves.append(device) or f"Device: {device}")
    app = ScratchApp(make_session=Session)  # in this process, where the patches are
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert moves == ["cuda:0"]
        assert "Device: cuda:0" in message(app)


async def test_t_cycles_tasks_and_the_seed_figure_appears():
    app = ScratchApp(optimizer="solved")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t", "space")
        await settle(pilot)
        snapshot = app.frame.snapshot
        assert snapshot.task == "seed-2x2"
        assert snapshot.layer.outputs == ((19.0, 22.0), (43.0, 50.0))
        neurons = [text_of(node) for node in app.query(OutputNeuron)]
        assert "1×5 + 2×7 + 0 = 19 → relu → 19" in neurons[0]
        assert "1×6 + 2×8 + 0 = 22 → relu → 22" in neurons[1]
        matrix = text_of(app.query_one(MatrixForm))
        for number in ("19", "22", "43", "50"):
            assert number in matrix
        await pilot.press("t")
        await settle(pilot)
        assert app.frame.snapshot.task == "square"
        assert app.frame.snapshot.optimizer == "SGD"  # Solved has no answer for square
        assert "no known answer here, so SGD instead of Solved" in message(app)


async def test_a_light_frame_moves_the_status_line_and_leaves_the_numbers_to_full_ones():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        frame = app.frame
        shown = frame.snapshot.layer
        # A layer the screen has not shown, to tell whether a frame reached the numbers.
        other = dataclasses.replace(shown, weight=((9.5,),), bias=(-1.25,))
        moved = dataclasses.replace(frame.snapshot.progressed(frame.snapshot.epoch + 7, 0.125, True), layer=other)
        light = light_after(frame, moved)
        app.post_message(FrameReady(light))
        await pilot.pause()
        assert f"Epoch {frame.snapshot.epoch + 7} " in status(app)
        assert app.query_one(MatrixForm).layer_view is shown
        assert "9.5" not in neurons(app)
        app.post_message(FrameReady(dataclasses.replace(light, seq=light.seq + 1, full=True)))
        await pilot.pause()
        assert app.query_one(MatrixForm).layer_view is other
        assert "9.5" in neurons(app)


async def test_a_status_line_change_repaints_no_panel():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rendered = []
        panels = "#layer-panel, #matrix-panel, #loss-panel"
        inside = ", ".join(f"{panel} *" for panel in panels.split(", "))
        watched = [*app.query(f"{panels}, {inside}")]
        assert len(watched) > 6
        for widget in [*watched, app.query_one(StatusLine)]:
            draw = widget.render_lines
            widget.render_lines = lambda crop, draw=draw, widget=widget: (rendered.append(widget), draw(crop))[1]
        frame = app.frame
        moved = frame.snapshot.progressed(frame.snapshot.epoch + 3, 0.5, True)
        app.post_message(FrameReady(light_after(frame, moved)))
        await pilot.pause()
        await pilot.pause()
        assert rendered == [app.query_one(StatusLine)]


async def test_plus_and_minus_double_and_halve_the_learning_rate():
    app = ScratchApp(lr=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("plus")
        await settle(pilot)
        assert app.frame.snapshot.lr == pytest.approx(0.2) and "lr 0.2" in status(app)
        await pilot.press("minus", "minus")
        await settle(pilot)
        assert app.frame.snapshot.lr == pytest.approx(0.05) and "lr 0.05" in status(app)


async def test_question_mark_opens_help_and_escape_closes_it():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("space")  # keys go to the help screen, not to training
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await settle(pilot)
        assert app.frame.snapshot.epoch == 0


async def test_q_quits():
    app = ScratchApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_n_shows_the_next_sample():
    app = ScratchApp(optimizer="solved")
    async with app.run_test(size=SIZE) as pilot:
        await play_keys(pilot, "space", "n")
        assert app.query_one(NeuronDiagram).sample == 1
        assert "2×3 + 0 = 6 → relu → 6" in text_of(app.query_one(OutputNeuron))


async def test_l_toggles_the_loss_scale():
    app = ScratchApp(optimizer="solved")
    async with app.run_test(size=SIZE) as pilot:
        await play_keys(pilot, "space")
        chart = app.query_one(LossChart)
        log_data = list(app.query_one(Sparkline).data)
        await pilot.press("l")
        await pilot.pause()
        assert not chart.log_scale
        assert list(app.query_one(Sparkline).data) == list(app.frame.snapshot.losses)
        assert list(app.query_one(Sparkline).data) != log_data


def exploding_session() -> Session:
    """A session whose weights blow up with the fifth epoch's update (ReLU layers here rarely
    diverge by themselves: a too-large step kills the neuron instead)."""

    def explode(session, done):
        if done == 5:
            session.model.layers[0].weight.data.fill_(float("inf"))

    return on_epochs(Session(), after=explode)


async def test_diverging_run_pauses_and_keeps_sparkline_finite():
    app = ScratchApp(make_session=exploding_session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.worker.idle)
        await settle(pilot)
        assert not app.frame.running
        assert message(app) == ("✗ Paused: loss became inf at epoch 5: learning rate 0.02 is too high "
                                "for this task; press - to lower it or R to reset")
        data = app.query_one(Sparkline).data
        assert len(data) == 5  # the losses after epochs 0 to 4
        assert all(value == value and abs(value) != float("inf") for value in data)
        # the last finite weights stay on screen, and the session goes on from them
        snapshot = app.frame.snapshot
        assert snapshot.epoch == 4 and all(w == w and abs(w) < 1e6 for w in snapshot.layer.weight[0])
        assert "Epoch 4" in status(app)
        await pilot.press("minus", "R", "space")
        await settle(pilot)
        assert app.frame.snapshot.epoch == 1 and app.frame.snapshot.lr == pytest.approx(0.01)


async def play_keys(pilot, *keys):
    await settle(pilot)
    await pilot.press(*keys)
    await settle(pilot)


async def test_a_stale_frame_arriving_late_is_not_drawn():
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await play_keys(pilot, "space", "space")
        newest = app.frame
        older = dataclasses.replace(newest, seq=newest.seq - 1,
                                    snapshot=dataclasses.replace(newest.snapshot, epoch=1))
        app.post_message(FrameReady(older))  # as the worker's callback posts each frame
        await pilot.pause()
        assert app.frame is newest and "Epoch 2" in status(app)


async def test_running_shows_steps_per_second_for_the_device():
    app = ScratchApp(make_session=Session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.frame.running and app.frame.steps_per_second)
        assert "steps/s" in status(app) and "cpu" in status(app)
        await pilot.press("r")
        await settle(pilot)
        assert "steps/s" not in status(app)
