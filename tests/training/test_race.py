"""The race: plain Sessions are the oracle for every racer; one start, one winner, a reset."""

from __future__ import annotations

import math

import pytest
import torch

from scratchnn_tui.training.history import LossHistory
from scratchnn_tui.training.race import ADAM_LR, Race
from scratchnn_tui.training.race_view import RaceRow, winner_index
from scratchnn_tui.training.session import Session


def oracle(key: str, lr: float, start: Session, **settings) -> Session:
    """A plain Session with optimizer `key`, its weights set to `start`'s."""
    session = Session(optimizer=key, lr=lr, **settings)
    session.model.load_state_dict(start.model.state_dict())
    session.resume_at(0, LossHistory())
    return session


def test_every_racer_trains_as_a_plain_session_from_the_same_weights():
    start = Session(task="triple", optimizer="sgd")
    start.step(7)  # mid-run: the race starts from these weights, not the seed's
    race = Race(start)
    view = race.step(40)
    assert [row.key for row in view.rows] == ["sgd", "momentum", "adam", "solved"]
    for row in view.rows:
        twin = oracle(row.key, row.lr if row.lr is not None else 0.02, start, task="triple")
        twin.train(40)
        assert row.losses == tuple(twin.losses)  # bit for bit, epoch by epoch
        assert row.loss == twin.loss and row.epoch == 40


def test_a_race_from_a_fresh_session_matches_fresh_sessions():
    race = Race(Session(task="seed-2x2"))
    view = race.step(25)
    for row in view.rows:
        twin = Session(task="seed-2x2", optimizer=row.key, **({"lr": row.lr} if row.lr else {}))
        twin.train(25)
        assert row.losses == tuple(twin.losses)


def test_all_racers_start_from_identical_weights_and_the_session_is_untouched():
    session = Session(task="triple")
    session.step(3)
    before = {k: v.clone() for k, v in session.model.state_dict().items()}
    race = Race(session)
    for racer in race.racers:
        for name, tensor in racer.session.model.state_dict().items():
            assert torch.equal(tensor, before[name])
        assert racer.session.model is not session.model
    race.step(10)
    assert all(torch.equal(v, before[k]) for k, v in session.model.state_dict().items())
    assert session.epoch == 3


def test_lrs_sgd_and_momentum_the_tasks_adam_its_own_solved_none():
    lrs = {row.key: row.lr for row in Race(Session(task="triple")).view().rows}
    assert lrs == {"sgd": 0.02, "momentum": 0.02, "adam": ADAM_LR, "solved": None}
    lrs = {row.key: row.lr for row in Race(Session(task="triple"), lr=0.005).view().rows}
    assert lrs["sgd"] == lrs["momentum"] == 0.005 and lrs["adam"] == ADAM_LR


def test_solved_is_at_zero_after_one_epoch_on_triple_and_wins():
    race = Race(Session(task="triple"))
    view = race.step(1)
    solved = next(row for row in view.rows if row.key == "solved")
    assert solved.loss == 0.0 and solved.epochs_to_target == 1
    assert view.winner is solved and race.winner == "solved"
    assert [row.winner for row in view.rows].count(True) == 1
    assert "Solved is below 0.001 after 1 epoch" in race.notes()


def test_epochs_to_target_is_the_first_epoch_below_1e_3():
    race = Race(Session(task="triple"))
    race.step(100)  # read after 100, then after 1,000: the crossing lies between the reads
    race.train(900)
    view = race.view()
    for row in view.rows:
        twin = Session(task="triple", optimizer=row.key, **({"lr": row.lr} if row.lr else {}))
        twin.train(1000)
        losses = twin.losses
        expected = next((k for k, loss in enumerate(losses) if loss < 1e-3), None)
        assert row.epochs_to_target == expected
    assert next(row for row in view.rows if row.key == "sgd").epochs_to_target is not None


def test_solved_sits_out_where_it_does_not_apply_and_says_why():
    race = Race(Session(task="xor", hidden=(4,)))
    assert [row.key for row in race.view().rows] == ["sgd", "momentum", "adam"]
    assert race.omitted.startswith("Solved is unavailable") and "sits this race out" in race.omitted
    view = race.step(5)
    assert all(row.epoch == 5 for row in view.rows)
    assert Race(Session(task="triple", hidden=(3,))).omitted.startswith("Solved is unavailable with hidden")


def test_hidden_layers_race_like_sessions():
    start = Session(task="square", hidden=(8,))
    race = Race(start)
    view = race.step(30)
    for row in view.rows:
        twin = oracle(row.key, row.lr, start, task="square", hidden=(8,))
        twin.train(30)
        assert row.losses == tuple(twin.losses)


def test_reset_goes_back_to_the_common_start():
    race = Race(Session(task="triple"))
    first = race.step(20)
    race.reset()
    assert race.epoch == 0 and all(row.epoch == 0 for row in race.view().rows)
    again = race.step(20)
    assert again.rows == first.rows


def test_a_diverged_racer_stops_and_says_so_while_the_others_race_on():
    race = Race(Session(task="triple"))
    sgd = race.racers[0].session
    with torch.no_grad():  # ReLU layers rarely blow up by themselves (DESIGN.md): make it so
        sgd.model.layers[0].weight.fill_(float("inf"))
    view = race.step(10)
    rows = {row.key: row for row in view.rows}
    assert rows["sgd"].diverged and "loss became" in rows["sgd"].diverged
    assert rows["sgd"].epoch == 0  # back where its loss was last finite
    assert all(math.isfinite(v) for row in view.rows for v in row.losses)
    assert rows["solved"].diverged is None and rows["solved"].epoch == 10 and rows["solved"].winner
    assert any("SGD diverged" in note for note in race.notes())
    assert race.step(5).rows[0].epoch == 0  # it sits out the rest


def test_the_winner_without_anyone_below_the_line_is_the_lowest_loss():
    def row(key, loss, epochs_to=None, epoch=5):
        return RaceRow(key, key, 0.1, epoch, loss, (loss,), epochs_to)

    assert winner_index([row("a", 0.5), row("b", 0.2), row("c", 0.3)]) == 1
    assert winner_index([row("a", 1e-9, 40), row("b", 1e-4, 30)]) == 1  # first below wins
    assert winner_index([row("a", 0.5, epoch=0), row("b", 0.5, epoch=0)]) is None  # not started
    assert winner_index([row("a", 67.5), row("b", 67.5)]) is None  # a dead heat


def test_the_view_holds_plain_numbers_only():
    view = Race(Session(task="triple")).step(3)
    for row in view.rows:
        assert all(type(v) is float for v in row.losses)
        assert type(row.loss) is float


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_the_race_runs_on_the_sessions_device():
    start = Session(task="triple", device="cuda")
    race = Race(start)
    view = race.step(50)
    assert all(racer.session.device == "cuda" for racer in race.racers)
    assert next(row for row in view.rows if row.key == "solved").epochs_to_target == 1
