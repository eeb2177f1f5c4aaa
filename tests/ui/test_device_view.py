"""The device view (D): it times the session's network on every device, on a copy, and the
session does not move."""

from __future__ import annotations

import threading

import torch

from scratchnn_tui.training.device_speeds import DeviceSpeed, DeviceSpeeds
from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import settle, wait_until
from scratchnn_tui.ui.screens.devices import DeviceScreen, device_table
from textual.widgets import Static


def _state(session: Session) -> tuple:
    """Everything a measurement must leave alone, as copies."""
    optimizer = [(key, value.clone()) for state in session.optimizer.state.values()
                 for key, value in sorted(state.items()) if isinstance(value, torch.Tensor)]
    return (session.epoch, [p.detach().clone() for p in session.model.parameters()], optimizer,
            list(session.losses), torch.random.get_rng_state())


def _same(before: tuple, after: tuple) -> bool:
    epoch, weights, optimizer, losses, rng = before
    epoch2, weights2, optimizer2, losses2, rng2 = after
    return (epoch == epoch2 and losses == losses2 and torch.equal(rng, rng2)
            and all(torch.equal(a, b) for a, b in zip(weights, weights2, strict=True))
            and len(optimizer) == len(optimizer2) > 0
            and all(k == k2 and torch.equal(a, b) for (k, a), (k2, b) in zip(optimizer, optimizer2)))


def table(app) -> str:
    return str(app.screen.query_one("#device-table", Static).render())


async def test_D_shows_the_cpu_steps_per_second_of_this_network_and_escape_closes():
    session = Session(task="seed-2x2", optimizer="momentum")
    session.step(5)  # momentum has a velocity to keep
    go = threading.Event()  # the measurement waits for it: the view is seen while it measures
    measure = session.measure_devices
    session.measure_devices = lambda token: (go.wait(10), measure(token))[1]
    app = ScratchApp(make_session=lambda: session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = _state(session)
        await pilot.press("D")
        screen = app.screen
        assert isinstance(screen, DeviceScreen)
        assert table(app).startswith("Measuring an epoch on each device")
        go.set()
        await settle(pilot)
        await wait_until(pilot, lambda: not screen.measuring)
        text = table(app)
        assert "Measuring" not in text and "2 → 2, batch 2, SGD+momentum" in text
        row = next(line.split() for line in text.splitlines() if line.split()[:1] == ["cpu"])
        assert float(row[1].replace(",", "")) > 0 and "training here" in " ".join(row)
        assert _same(before, _state(session))
        await pilot.press("escape")
        assert not isinstance(app.screen, DeviceScreen)
        await pilot.press("space")  # the session trains on from where it was
        await settle(pilot)
        assert app.frame.snapshot.epoch == 6


def test_measuring_changes_nothing_of_the_session_but_its_figures():
    session = Session(task="seed-2x2", optimizer="adam")
    session.step(3)
    before = _state(session)
    assert session.snapshot().device_speeds is None
    session.measure_devices(token=7)
    assert _same(before, _state(session))
    speeds = session.snapshot().device_speeds
    assert speeds.token == 7 and speeds.sizes == (2, 2) and speeds.batch == 2 and speeds.current == "cpu"
    assert [speed.device for speed in speeds.speeds][0] == "cpu"
    assert all(speed.steps_per_s > 0 and speed.error is None for speed in speeds.speeds)
    session.step(1)  # and trains on exactly as a session that never measured
    twin = Session(task="seed-2x2", optimizer="adam")
    twin.step(4)
    assert all(torch.equal(a, b) for a, b in zip(session.model.parameters(), twin.model.parameters()))


def test_a_network_with_hidden_layers_is_measured_whole():
    session = Session(task="xor", hidden=(4,), optimizer="momentum")
    session.train(3)
    before = _state(session)
    session.measure_devices(token=1)
    assert _same(before, _state(session))
    assert session.device_speeds.sizes == (2, 4, 1) and session.device_speeds.batch == 4
    assert session.device_speeds.speeds[0].steps_per_s > 0


def test_the_table_says_when_it_measures_and_that_there_is_no_gpu():
    speeds = DeviceSpeeds(token=1, sizes=(1, 1), batch=4, optimizer="SGD", current="cpu",
                          speeds=(DeviceSpeed("cpu", 6812.4),))
    assert device_table(None, measuring=True).startswith("Measuring")
    text = device_table(speeds, measuring=False)
    assert "1 → 1, batch 4, SGD" in text and "6,812" in text and "no GPU here" in text
    assert "Last measured" in device_table(speeds, measuring=True)
    failed = speeds._replace(speeds=(DeviceSpeed("cpu", 10.0), DeviceSpeed("cuda:0", None, "out of memory")))
    text = device_table(failed, measuring=False)
    assert "✗ out of memory" in text and "no GPU here" not in text
    assert all(len(line) <= 76 for line in device_table(speeds, False).splitlines())


def test_a_gpu_that_fails_is_named_with_its_reason_beside_the_cpu(monkeypatch):
    from scratchnn_tui.training import device_cost
    from scratchnn_tui.training.errors import SessionError

    def broken():
        raise SessionError("the GPU failed to initialise: driver too old")

    monkeypatch.setattr(device_cost, "available_devices", broken)
    session = Session()
    session.measure_devices(token=2)
    cpu, cuda = session.device_speeds.speeds
    assert cpu.device == "cpu" and cpu.steps_per_s > 0
    assert cuda == DeviceSpeed("cuda", None, "the GPU failed to initialise: driver too old")
    assert "✗ the GPU failed to initialise" in device_table(session.device_speeds, measuring=False)
