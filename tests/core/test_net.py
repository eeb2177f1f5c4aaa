"""ScratchNet(sizes): layers of ScratchLinear in a row, ReLU after the hidden ones, and on the
output only for a single-layer net (the article's Net)."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from scratchnn_tui.core import INITS, SGD, ScratchNet, Solved, initialise, train_epoch


def _reference(sizes: list[int], relu_output: bool, seed: int) -> nn.Sequential:
    """The same network from torch's own parts, drawn from the same seed."""
    torch.manual_seed(seed)
    parts: list[nn.Module] = []
    for k, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        parts.append(nn.Linear(n_in, n_out))
        if k < len(sizes) - 2 or relu_output:
            parts.append(nn.ReLU())
    return nn.Sequential(*parts)


@pytest.mark.parametrize("sizes", [[2, 2], [1, 1], [1, 8, 1], [2, 4, 1], [3, 5, 4, 2]])
def test_equals_torchs_own_layers_in_a_row(sizes):
    torch.manual_seed(3)
    net = ScratchNet(sizes)
    reference = _reference(sizes, relu_output=len(sizes) == 2, seed=3)
    x = torch.randn(6, sizes[0]) * 3
    torch.testing.assert_close(net(x), reference(x), rtol=0, atol=1e-6)
    assert [name for name, _ in net.named_parameters()] == [
        f"layers.{k}.{kind}" for k in range(len(sizes) - 1) for kind in ("weight", "bias")]


def test_relu_after_every_hidden_layer_and_on_a_single_layers_output():
    assert ScratchNet([2, 2]).relu_after == (True,)
    assert ScratchNet([1, 8, 1]).relu_after == (True, False)
    assert ScratchNet([3, 4, 5, 2]).relu_after == (True, True, False)


def test_a_deep_nets_output_may_be_negative_a_single_layers_not():
    x = torch.linspace(-3, 3, 7).unsqueeze(1)
    single, deep = ScratchNet([1, 1]), ScratchNet([1, 4, 1])
    with torch.no_grad():
        single.layers[0].weight.fill_(-1.0)
        deep.layers[1].bias.fill_(-5.0)
    assert (single(x) >= 0).all()
    assert (deep(x) < 0).any()


def test_parts_are_each_layers_z_and_a():
    net = ScratchNet([2, 3, 1])
    x = torch.tensor([[1.0, -2.0], [0.5, 4.0]])
    (z0, a0), (z1, a1) = net.parts(x)
    torch.testing.assert_close(z0, x @ net.layers[0].weight.T + net.layers[0].bias)
    torch.testing.assert_close(a0, torch.relu(z0))
    torch.testing.assert_close(z1, a0 @ net.layers[1].weight.T + net.layers[1].bias)
    assert a1 is z1  # a linear output
    torch.testing.assert_close(a1, net(x))


def test_the_articles_figure():
    net = ScratchNet([2, 2])
    with torch.no_grad():
        net.layers[0].weight.copy_(torch.tensor([[5.0, 7.0], [6.0, 8.0]]))
        net.layers[0].bias.zero_()
    assert net(torch.tensor([[1.0, 2.0], [3.0, 4.0]])).tolist() == [[19.0, 22.0], [43.0, 50.0]]


@pytest.mark.parametrize("sizes", [[], [3], [2, 0]])
def test_too_few_sizes_or_an_empty_layer_is_refused(sizes):
    with pytest.raises(ValueError):
        ScratchNet(sizes)


# -- init ------------------------------------------------------------------------------------

TRIPLE_X = torch.tensor([[1.0], [2.0], [3.0], [4.0]])


def test_uniform_is_nn_linears_draw():
    net = ScratchNet([3, 4, 2])
    torch.manual_seed(11)
    initialise(net, "uniform")
    reference = _reference([3, 4, 2], relu_output=False, seed=11)
    for ours, theirs in zip(net.parameters(), reference.parameters()):
        assert torch.equal(ours, theirs)


def test_zero_init_never_learns_with_relu_yet_solved_lands_in_one_step():
    """z = 0 everywhere, relu′(0) = 0: no gradient flows, SGD cannot move a weight."""
    net = initialise(ScratchNet([1, 1]), "zero")
    assert all((p == 0).all() for p in net.parameters())
    optimizer = SGD(net.parameters(), lr=0.02)
    losses = [train_epoch(net, optimizer, TRIPLE_X, 3 * TRIPLE_X).item() for _ in range(20)]
    assert losses == [67.5] * 20
    assert all((p == 0).all() for p in net.parameters())
    solved = Solved(net.named_parameters(), {"layers.0.weight": [[3.0]], "layers.0.bias": [0.0]})
    train_epoch(net, solved, TRIPLE_X, 3 * TRIPLE_X)
    assert torch.nn.functional.mse_loss(net(TRIPLE_X), 3 * TRIPLE_X).item() == 0.0


def test_uniform_init_learns_the_same_task():
    torch.manual_seed(8)
    net = initialise(ScratchNet([1, 1]), "uniform")
    optimizer = SGD(net.parameters(), lr=0.02)
    losses = [train_epoch(net, optimizer, TRIPLE_X, 3 * TRIPLE_X).item() for _ in range(50)]
    assert losses[-1] < losses[0] / 10


def test_an_unknown_init_is_refused():
    assert INITS == ("uniform", "zero")
    with pytest.raises(ValueError, match="unknown initialisation"):
        initialise(ScratchNet([1, 1]), "ones")
