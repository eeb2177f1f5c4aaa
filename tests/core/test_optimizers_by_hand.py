"""The hand-written SGD and Adam against torch.optim, the oracle: the same bits, step after step.

Each test trains two identical copies of a network, one with ours and one with torch's
(`foreach=False`, the single-tensor path the core writes out), and compares the parameters bit
for bit. Float32 parameters are compared as their int32 bit patterns, so even a NaN or a
signed zero must match.
"""

from __future__ import annotations

import copy
import io
import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional as F

from scratchnn_tui.core.net import ScratchNet
from scratchnn_tui.core.optim import SGD, Adam, Solved
from scratchnn_tui.training.optimizers import OPTIMIZERS


def _same_bits(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.dtype == b.dtype == torch.float32 and torch.equal(a.view(torch.int32), b.view(torch.int32))


def _assert_same_parameters(net: ScratchNet, twin: ScratchNet, when: str = "") -> None:
    for (name, p), (twin_name, q) in zip(net.named_parameters(), twin.named_parameters(), strict=True):
        assert name == twin_name
        assert _same_bits(p, q), f"{name} differs {when}: {p.tolist()} vs {q.tolist()}"


def _data(sizes, batch: int, seed: int):
    generator = torch.Generator().manual_seed(seed)
    x = torch.rand(batch, sizes[0], generator=generator) * 4 - 2
    y = torch.rand(batch, sizes[-1], generator=generator) * 4 - 2
    return x, y


def _train_step(net, optimizer, x, y) -> None:
    optimizer.zero_grad()
    F.mse_loss(net(x), y).backward()
    optimizer.step()


def _twins(sizes, seed: int = 0):
    torch.manual_seed(seed)
    net = ScratchNet(sizes)
    return net, copy.deepcopy(net)


# (ours, torch's) for each optimizer, given lr; torch's forced onto its single-tensor path.
PAIRS = {
    "sgd": (lambda params, lr: SGD(params, lr),
            lambda params, lr: torch.optim.SGD(params, lr, foreach=False)),
    "momentum": (lambda params, lr: SGD(params, lr, momentum=0.9),
                 lambda params, lr: torch.optim.SGD(params, lr, momentum=0.9, foreach=False)),
    "adam": (lambda params, lr: Adam(params, lr),
             lambda params, lr: torch.optim.Adam(params, lr, foreach=False)),
}

sizes_strategy = st.lists(st.integers(1, 5), min_size=2, max_size=4)  # depth 1–3, widths 1–5
momentum_strategy = st.one_of(st.sampled_from([0.0, 0.9]), st.floats(0.0, 0.99))
beta_strategy = st.one_of(st.sampled_from([0.0, 0.9, 0.999]), st.floats(0.0, 0.9999))


# -- bit for bit, over random networks --------------------------------------------------------


@settings(deadline=None, max_examples=40)
@given(sizes=sizes_strategy, batch=st.integers(1, 6), seed=st.integers(0, 2**16), lr=st.floats(1e-4, 0.2),
       momentum=momentum_strategy, named=st.booleans(), steps=st.integers(1, 8))
def test_sgd_matches_torch_bit_for_bit(sizes, batch, seed, lr, momentum, named, steps):
    net, twin = _twins(sizes, seed)
    x, y = _data(sizes, batch, seed)
    ours = SGD(net.named_parameters() if named else net.parameters(), lr, momentum=momentum)
    theirs = torch.optim.SGD(twin.parameters(), lr, momentum=momentum, foreach=False)
    for step in range(steps):
        _train_step(net, ours, x, y)
        _train_step(twin, theirs, x, y)
        _assert_same_parameters(net, twin, f"after step {step + 1}")


@settings(deadline=None, max_examples=40)
@given(sizes=sizes_strategy, batch=st.integers(1, 6), seed=st.integers(0, 2**16), lr=st.floats(1e-4, 0.2),
       beta1=beta_strategy, beta2=beta_strategy, eps=st.sampled_from([1e-8, 1e-6, 1e-3]),
       named=st.booleans(), steps=st.integers(1, 8))
def test_adam_matches_torch_bit_for_bit(sizes, batch, seed, lr, beta1, beta2, eps, named, steps):
    net, twin = _twins(sizes, seed)
    x, y = _data(sizes, batch, seed)
    ours = Adam(net.named_parameters() if named else net.parameters(), lr, betas=(beta1, beta2), eps=eps)
    theirs = torch.optim.Adam(twin.parameters(), lr, betas=(beta1, beta2), eps=eps, foreach=False)
    for step in range(steps):
        _train_step(net, ours, x, y)
        _train_step(twin, theirs, x, y)
        _assert_same_parameters(net, twin, f"after step {step + 1}")


@pytest.mark.parametrize("key,lr", [("sgd", 0.05), ("momentum", 0.02), ("adam", 0.01)])
def test_a_long_run_stays_identical(key, lr):
    """300 steps on a 2→4→3→1 net: no drift at all, not merely float32 rounding."""
    make_ours, make_theirs = PAIRS[key]
    net, twin = _twins([2, 4, 3, 1], seed=3)
    x, y = _data([2, 4, 3, 1], batch=8, seed=3)
    ours, theirs = make_ours(net.named_parameters(), lr), make_theirs(twin.parameters(), lr)
    start = [p.detach().clone() for p in net.parameters()]
    for _ in range(300):
        _train_step(net, ours, x, y)
        _train_step(twin, theirs, x, y)
    for p, q in zip(net.parameters(), twin.parameters()):
        torch.testing.assert_close(p, q)  # within float32 rounding
        assert torch.equal(p, q)  # and in fact identical
    assert not all(torch.equal(p, s) for p, s in zip(net.parameters(), start))  # it did train


# -- state under torch's names ----------------------------------------------------------------


def _after_steps(key, steps=3, lr=0.05):
    make_ours, make_theirs = PAIRS[key]
    net, twin = _twins([3, 4, 2], seed=1)
    x, y = _data([3, 4, 2], batch=5, seed=1)
    ours, theirs = make_ours(net.named_parameters(), lr), make_theirs(twin.parameters(), lr)
    for _ in range(steps):
        _train_step(net, ours, x, y)
        _train_step(twin, theirs, x, y)
    return net, twin, ours, theirs


@pytest.mark.parametrize("key", ["momentum", "adam"])
def test_state_has_torchs_names_and_values(key):
    net, twin, ours, theirs = _after_steps(key)
    for p, q in zip(net.parameters(), twin.parameters()):
        mine, torchs = ours.state[p], theirs.state[q]
        assert sorted(mine) == sorted(torchs) == (["momentum_buffer"] if key == "momentum"
                                                   else ["exp_avg", "exp_avg_sq", "step"])
        for name in mine:
            assert mine[name].dtype == torchs[name].dtype and mine[name].device == torchs[name].device
            assert mine[name].shape == torchs[name].shape
            assert _same_bits(mine[name], torchs[name]), name
    if key == "adam":
        step = ours.state[next(net.parameters())]["step"]
        assert step.dtype == torch.float32 and step.device.type == "cpu" and step.shape == ()
        assert step.item() == 3.0
    # The state dicts have the same layout: parameter index → the same keys.
    assert {i: sorted(s) for i, s in ours.state_dict()["state"].items()} == \
           {i: sorted(s) for i, s in theirs.state_dict()["state"].items()}


def test_plain_sgd_keeps_no_state():
    _, _, ours, theirs = _after_steps("sgd")
    assert len(ours.state) == len(theirs.state) == 0
    assert ours.state_dict()["state"] == {}


def test_momentum_buffer_is_not_the_gradient():
    """The first step copies g into the velocity; later steps must not write into p.grad."""
    net, _, ours, _ = _after_steps("momentum", steps=1)
    for p in net.parameters():
        buf = ours.state[p]["momentum_buffer"]
        assert buf.data_ptr() != p.grad.data_ptr() and not buf.requires_grad


# -- a torch state dict, loaded mid-run ------------------------------------------------------


def _through_a_file(state_dict):
    buffer = io.BytesIO()
    torch.save(state_dict, buffer)
    buffer.seek(0)
    return torch.load(buffer, weights_only=True)


@pytest.mark.parametrize("key", ["momentum", "adam"])
@pytest.mark.parametrize("groups_from", ["torch", "ours"])
def test_torch_state_dict_loads_and_continues_bit_for_bit(key, groups_from):
    """torch trains 5 steps and saves; ours loads that state into a copy of the network and
    continues 10 steps beside torch: the same bits after each. `groups_from="ours"` is how the
    app's checkpoints load (their settings from this program's optimizer, state from the file)."""
    make_ours, make_theirs = PAIRS[key]
    lr = 0.03
    torch.manual_seed(2)
    twin = ScratchNet([2, 5, 3, 1])
    x, y = _data([2, 5, 3, 1], batch=6, seed=2)
    theirs = make_theirs(twin.parameters(), lr)
    for _ in range(5):
        _train_step(twin, theirs, x, y)
    saved = _through_a_file(theirs.state_dict())

    net = copy.deepcopy(twin)
    ours = make_ours(net.named_parameters(), lr)
    if groups_from == "ours":
        saved = {"state": saved["state"], "param_groups": ours.state_dict()["param_groups"]}
    ours.load_state_dict(saved)
    assert ours.param_groups[0]["param_names"] == [name for name, _ in net.named_parameters()]
    if key == "adam":
        step = ours.state[next(net.parameters())]["step"]
        assert step.dtype == torch.float32 and step.device.type == "cpu" and step.item() == 5.0
    for step in range(10):
        _train_step(net, ours, x, y)
        _train_step(twin, theirs, x, y)
        _assert_same_parameters(net, twin, f"{step + 1} steps after loading")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_adam_moved_to_cuda_matches_torch_and_keeps_step_on_the_cpu():
    """The app's device switch: move the net, rebuild the optimizer, load the old state."""
    net, twin, ours, theirs = _after_steps("adam")
    net.cuda(), twin.cuda()
    make_ours, make_theirs = PAIRS["adam"]
    moved_ours, moved_theirs = make_ours(net.named_parameters(), 0.05), make_theirs(twin.parameters(), 0.05)
    moved_ours.load_state_dict(ours.state_dict())
    moved_theirs.load_state_dict(theirs.state_dict())
    x, y = (t.cuda() for t in _data([3, 4, 2], batch=5, seed=1))
    for _ in range(5):
        _train_step(net, moved_ours, x, y)
        _train_step(twin, moved_theirs, x, y)
    for p in net.parameters():
        assert moved_ours.state[p]["exp_avg"].device == p.device
        assert moved_ours.state[p]["step"].device.type == "cpu"
    _assert_same_parameters(net, twin, "on cuda")


# -- arguments, missing gradients, closures ---------------------------------------------------


def _params():
    torch.manual_seed(0)
    return ScratchNet([2, 1]).parameters()


@pytest.mark.parametrize("build", [
    lambda: SGD(_params(), lr=0.0),
    lambda: SGD(_params(), lr=-0.1),
    lambda: SGD(_params(), lr=math.nan),
    lambda: SGD(_params(), lr=math.inf),
    lambda: SGD(_params(), lr=0.1, momentum=-0.5),
    lambda: SGD(_params(), lr=0.1, momentum=math.nan),
    lambda: Adam(_params(), lr=0.0),
    lambda: Adam(_params(), lr=-1e-3),
    lambda: Adam(_params(), lr=math.inf),
    lambda: Adam(_params(), lr=math.nan),
    lambda: Adam(_params(), lr=1e-3, betas=(1.0, 0.999)),
    lambda: Adam(_params(), lr=1e-3, betas=(0.9, 1.0)),
    lambda: Adam(_params(), lr=1e-3, betas=(-0.1, 0.999)),
    lambda: Adam(_params(), lr=1e-3, betas=(0.9, math.nan)),
    lambda: Adam(_params(), lr=1e-3, eps=-1e-8),
    lambda: Adam(_params(), lr=1e-3, eps=math.nan),
], ids=["sgd-lr0", "sgd-lr-neg", "sgd-lr-nan", "sgd-lr-inf", "sgd-mom-neg", "sgd-mom-nan",
        "adam-lr0", "adam-lr-neg", "adam-lr-inf", "adam-lr-nan", "adam-beta1-1", "adam-beta2-1",
        "adam-beta1-neg", "adam-beta2-nan", "adam-eps-neg", "adam-eps-nan"])
def test_bad_arguments_raise_value_error(build):
    with pytest.raises(ValueError, match="learning rate|momentum|betas|eps"):
        build()


def test_edge_arguments_are_accepted():
    SGD(_params(), lr=1e-12, momentum=0.0)
    group = Adam(_params(), lr=1.0, betas=(0.0, 0.0), eps=0.0).param_groups[0]
    assert group["betas"] == (0.0, 0.0) and group["eps"] == 0.0 and group["lr"] == 1.0


@pytest.mark.parametrize("key", ["sgd", "momentum", "adam"])
def test_parameters_without_a_gradient_are_skipped(key):
    torch.manual_seed(4)
    net = ScratchNet([2, 3, 1])
    optimizer = PAIRS[key][0](net.named_parameters(), 0.1)
    x, y = _data([2, 3, 1], batch=4, seed=4)
    F.mse_loss(net(x), y).backward()
    frozen = net.layers[0].weight
    frozen.grad = None
    before = {name: p.detach().clone() for name, p in net.named_parameters()}
    optimizer.step()
    assert torch.equal(frozen, before["layers.0.weight"])
    assert frozen not in optimizer.state
    changed = [name for name, p in net.named_parameters() if not torch.equal(p, before[name])]
    assert changed == ["layers.0.bias", "layers.1.weight", "layers.1.bias"]
    assert len(optimizer.state) == (0 if key == "sgd" else 3)


@pytest.mark.parametrize("key", ["sgd", "momentum", "adam"])
def test_step_calls_the_closure_with_grad_and_returns_its_loss(key):
    make_ours, make_theirs = PAIRS[key]
    net, twin = _twins([2, 3, 1], seed=5)
    x, y = _data([2, 3, 1], batch=4, seed=5)
    ours, theirs = make_ours(net.parameters(), 0.05), make_theirs(twin.parameters(), 0.05)
    seen = []

    def closure(model, optimizer):
        def run():
            seen.append(torch.is_grad_enabled())
            optimizer.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            return loss
        return run

    for _ in range(3):
        run = closure(net, ours)
        returned = ours.step(run)
        assert isinstance(returned, torch.Tensor) and returned.grad_fn is not None
        assert _same_bits(returned.detach(), theirs.step(closure(twin, theirs)).detach())
        _assert_same_parameters(net, twin)
    assert seen == [True] * 6
    assert ours.step() is None  # no closure, no loss


# -- the registry builds these, and Solved reaches names at any depth -------------------------


def test_registry_builds_the_hand_written_optimizers():
    torch.manual_seed(0)
    net = ScratchNet([1, 4, 1])
    built = {key: OPTIMIZERS[key].build(net.named_parameters(), 0.125, None) for key in PAIRS}
    assert type(built["sgd"]) is SGD and built["sgd"].param_groups[0]["momentum"] == 0
    assert type(built["momentum"]) is SGD and built["momentum"].param_groups[0]["momentum"] == 0.9
    assert type(built["adam"]) is Adam
    for optimizer in built.values():
        group = optimizer.param_groups[0]
        assert group["lr"] == 0.125
        assert group["param_names"] == [f"layers.{k}.{kind}" for k in (0, 1) for kind in ("weight", "bias")]


def test_solved_finds_parameters_by_name_at_any_depth():
    torch.manual_seed(0)
    net = ScratchNet([2, 3, 1])
    answer = {"layers.0.weight": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "layers.0.bias": [0.0, 1.0, 2.0],
              "layers.1.weight": [[1.0, -1.0, 0.5]], "layers.1.bias": [0.25]}
    Solved(net.named_parameters(), answer).step()
    assert {name: p.tolist() for name, p in net.named_parameters()} == answer
