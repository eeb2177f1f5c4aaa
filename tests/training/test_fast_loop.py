"""The session's fast loop does what the textbook epoch does, bit for bit: the same weights, the
same optimizer state, the same losses."""

from __future__ import annotations

import pytest
import torch

from scratchnn_tui.core import ScratchNet, train_epoch
from scratchnn_tui.training.optimizers import OPTIMIZERS
from scratchnn_tui.training.session import Session
from scratchnn_tui.training.tasks import TASKS

EPOCHS = 40


def _textbook(task: str, optimizer: str, lr: float, seed: int) -> tuple[list[float], ScratchNet]:
    """The five lines, epoch after epoch, on a net drawn as the session draws it."""
    spec = TASKS[task]
    torch.manual_seed(seed)
    net = ScratchNet([spec.in_features, spec.out_features])
    x, y = torch.tensor(spec.inputs), torch.tensor(spec.targets)
    optim = OPTIMIZERS[optimizer].build(net.named_parameters(), lr, spec.answer)
    losses = [train_epoch(net, optim, x, y).item() for _ in range(EPOCHS)]
    with torch.no_grad():
        losses.append(torch.nn.functional.mse_loss(net(x), y).item())  # after the last epoch
    return losses, net


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("task", list(TASKS))
def test_the_session_trains_as_the_textbook_epoch(task, optimizer):
    if OPTIMIZERS[optimizer].needs_answer and TASKS[task].answer is None:
        pytest.skip("Solved needs a known answer")
    session = Session(task=task, optimizer=optimizer, seed=5)
    for burst in (1, 7, 32):  # bursts of any length, as the worker trains them
        session.train(burst)
    assert session.epoch == EPOCHS
    losses, net = _textbook(task, optimizer, session.lr, seed=5)
    assert session.losses == losses
    for ours, theirs in zip(session.model.parameters(), net.parameters()):
        assert torch.equal(ours, theirs)


def test_the_epoch_counts_as_it_goes():
    """`epoch` is current after every epoch, not only after a burst: a step hook sees it."""
    session = Session()
    seen = []
    session.optimizer.register_step_post_hook(lambda optimizer, args, kwargs: seen.append(session.epoch))
    session.train(5)
    assert seen == [0, 1, 2, 3, 4] and session.epoch == 5
