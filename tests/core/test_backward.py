"""The hand-written backward pass against autograd, the oracle: the same gradients, no autograd used."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from scratchnn_tui.core.backward import Backward, LayerTrace, backward, gradients
from scratchnn_tui.core.layer import ScratchLinear
from scratchnn_tui.core.net import ScratchNet

# float32 within 1e-5, as asked of the app; float64 far tighter, so a small slip cannot hide.
TOLERANCE = {torch.float32: dict(atol=1e-5, rtol=1e-5), torch.float64: dict(atol=1e-12, rtol=1e-10)}


def _autograd(net: ScratchNet, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
    """What `loss.backward()` puts in each parameter's `.grad`."""
    net.zero_grad(set_to_none=True)
    F.mse_loss(net(x), y).backward()
    found = {name: p.grad.clone() for name, p in net.named_parameters()}
    net.zero_grad(set_to_none=True)
    return found


def _assert_matches_autograd(net: ScratchNet, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
    ours = gradients(net, x, y)
    expected = _autograd(net, x, y)
    assert list(ours) == [name for name, _ in net.named_parameters()]
    for name, grad in expected.items():
        torch.testing.assert_close(ours[name], grad, **TOLERANCE[grad.dtype], msg=name)
    return ours


def _set(layer: ScratchLinear, weight: list, bias: list | None = None) -> None:
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(weight))
        if bias is not None:
            layer.bias.copy_(torch.tensor(bias))


def _article_net(w: float, b: float) -> tuple[ScratchNet, torch.Tensor, torch.Tensor]:
    """The seed article's single neuron on x = 1, 2, 3, 4 and y = 3x."""
    net = ScratchNet([1, 1])
    _set(net.layers[0], [[w]], [b])
    x = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
    return net, x, 3 * x


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5), batch=st.integers(1, 6),
       seed=st.integers(0, 2**31 - 1), inputs=st.sampled_from(["normal", "zeros", "negative", "some zeros"]),
       dtype=st.sampled_from([torch.float32, torch.float64]))
def test_gradients_equal_autograd(sizes, batch, seed, inputs, dtype):
    torch.manual_seed(seed)
    net = ScratchNet(sizes).to(dtype)
    x = torch.randn(batch, sizes[0], dtype=dtype)
    if inputs == "zeros":
        x.zero_()
    elif inputs == "negative":
        x = -x.abs()
    elif inputs == "some zeros":
        x[torch.rand(x.shape) < 0.5] = 0.0
    y = torch.randn(batch, sizes[-1], dtype=dtype)
    ours = _assert_matches_autograd(net, x, y)
    assert set(ours) == {name for name, _ in net.named_parameters()}
    for name, p in net.named_parameters():
        assert ours[name].dtype == dtype and ours[name].shape == p.shape, name


def test_dead_units_pass_no_gradient_and_relu_slope_at_zero_is_zero():
    """Hidden neuron 0 sums to exactly 0 on every sample, neuron 1 is negative, neuron 2 alive."""
    net = ScratchNet([2, 3, 1])
    _set(net.layers[0], [[0.0, 0.0], [0.1, -0.1], [0.5, 0.5]], [0.0, -5.0, 2.0])
    _set(net.layers[1], [[1.0, 1.0, 1.0]], [0.5])  # every hidden neuron reaches the output
    x = torch.tensor([[1.0, 2.0], [-3.0, 0.5], [0.0, 0.0], [2.0, -1.0]])
    y = torch.tensor([[1.0], [-2.0], [4.0], [0.0]])
    hidden = backward(net, x, y).layers[0]
    assert (hidden.z[:, 0] == 0).all() and (hidden.z[:, 1] < 0).all() and (hidden.z[:, 2] > 0).all()
    assert (hidden.da != 0).all()  # the loss does pull on the dead neurons' outputs ...
    assert torch.equal(hidden.slope, torch.tensor([[0.0, 0.0, 1.0]]).expand(4, 3))
    ours = _assert_matches_autograd(net, x, y)
    # ... but no gradient gets through to their weights, z = 0 included (relu′(0) = 0).
    assert (ours["layers.0.weight"][:2] == 0).all() and (ours["layers.0.bias"][:2] == 0).all()
    assert (ours["layers.0.weight"][2] != 0).any() and ours["layers.0.bias"][2] != 0


def test_single_layer_output_relu_at_zero_and_below():
    """A single-layer net keeps ReLU on its output: samples with z ≤ 0 contribute nothing."""
    net = ScratchNet([1, 1])
    _set(net.layers[0], [[1.0]], [0.0])
    x = torch.tensor([[-2.0], [0.0], [1.0], [3.0]])
    y = torch.tensor([[1.0], [1.0], [3.0], [1.0]])
    ours = _assert_matches_autograd(net, x, y)
    # Only z = 1 and z = 3 count: ∂L/∂w = (2(1 − 3)·1 + 2(3 − 1)·3) / 4 = 2, ∂L/∂b = (−4 + 4) / 4 = 0.
    assert ours["layers.0.weight"].item() == 2.0 and ours["layers.0.bias"].item() == 0.0


def test_article_answer_has_zero_gradient():
    net, x, y = _article_net(3.0, 0.0)
    found = backward(net, x, y)
    assert found.loss.item() == 0.0
    assert torch.equal(found.grads["layers.0.weight"], torch.zeros(1, 1))
    assert torch.equal(found.grads["layers.0.bias"], torch.zeros(1))


def test_article_numbers_by_hand():
    net, x, y = _article_net(0.5, 0.0)
    xs = [1.0, 2.0, 3.0, 4.0]
    # a = relu(0.5x) = 0.5x, all z > 0: ∂L/∂w = mean of 2(a − y)·x, ∂L/∂b = mean of 2(a − y).
    dw = sum(2 * (0.5 * v - 3 * v) * v for v in xs) / len(xs)
    db = sum(2 * (0.5 * v - 3 * v) for v in xs) / len(xs)
    assert (dw, db) == (-37.5, -12.5)
    found = backward(net, x, y)
    assert found.grads["layers.0.weight"].item() == pytest.approx(dw)
    assert found.grads["layers.0.bias"].item() == pytest.approx(db)
    assert found.loss.item() == pytest.approx(sum((0.5 * v - 3 * v) ** 2 for v in xs) / len(xs))
    # The chain for w, term by term, as the next feature shows it.
    trace = found.layers[0]
    assert trace.relu and trace.slope.tolist() == [[1.0]] * 4
    assert trace.da.flatten().tolist() == pytest.approx([2 * (0.5 * v - 3 * v) / 4 for v in xs])
    assert (trace.da * trace.slope * trace.x).sum().item() == pytest.approx(dw)


def test_uses_no_autograd_and_changes_nothing(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("the hand-written backward pass called autograd")

    monkeypatch.setattr(torch.autograd, "backward", forbidden)  # Tensor.backward goes through it
    monkeypatch.setattr(torch.autograd, "grad", forbidden)
    torch.manual_seed(5)
    net = ScratchNet([3, 4, 2])
    before = {name: p.detach().clone() for name, p in net.named_parameters()}
    x = torch.randn(5, 3, requires_grad=True)
    y = torch.randn(5, 2)
    assert all(p.requires_grad for p in net.parameters())
    for context in (torch.no_grad(), torch.enable_grad()):
        with context:
            found = backward(net, x, y)
        tensors = [found.loss, *found.grads.values()]
        tensors += [t for trace in found.layers for t in (trace.x, trace.z, trace.a, trace.da, trace.dz)]
        assert not any(t.requires_grad for t in tensors)
        assert x.grad is None and all(p.grad is None for p in net.parameters())
        # Fresh tensors: writing into the results leaves the parameters as they were.
        for grad in found.grads.values():
            grad.add_(1.0)
        for name, p in net.named_parameters():
            assert torch.equal(p, before[name]), name


def test_traces_agree_with_the_forward_pass_and_with_autograd():
    torch.manual_seed(2)
    net = ScratchNet([3, 5, 4, 2])
    x = torch.randn(6, 3)
    y = torch.randn(6, 2)
    found = backward(net, x, y)
    assert isinstance(found, Backward) and all(isinstance(t, LayerTrace) for t in found.layers)
    assert len(found.layers) == len(net.layers)
    assert [t.relu for t in found.layers] == list(net.relu_after) == [True, True, False]
    parts = net.parts(x)  # autograd records these: the oracle for ∂L/∂A and ∂L/∂Z
    for z, a in parts:
        z.retain_grad()
        a.retain_grad()
    out = parts[-1][1]
    loss = F.mse_loss(out, y)
    loss.backward()
    torch.testing.assert_close(found.loss, loss.detach(), atol=1e-6, rtol=1e-6)
    torch.testing.assert_close(found.layers[-1].da, 2 * (out.detach() - y) / y.numel())
    below = x
    for trace, (z, a) in zip(found.layers, parts):
        assert torch.equal(trace.x, below)
        assert torch.equal(trace.z, z.detach()) and torch.equal(trace.a, a.detach())
        torch.testing.assert_close(trace.da, a.grad, atol=1e-6, rtol=1e-5)
        torch.testing.assert_close(trace.dz, z.grad, atol=1e-6, rtol=1e-5)
        assert torch.equal(trace.dz, trace.da * trace.slope)
        below = a.detach()


def test_layer_without_bias():
    torch.manual_seed(4)
    net = ScratchNet([2, 3, 1])
    net.layers[1] = ScratchLinear(3, 1, bias=False)
    ours = _assert_matches_autograd(net, torch.randn(4, 2), torch.randn(4, 1))
    assert "layers.1.bias" not in ours and "layers.0.bias" in ours


def test_targets_must_match_the_output_shape():
    net = ScratchNet([2, 3])
    with pytest.raises(ValueError, match="targets"):
        gradients(net, torch.randn(4, 2), torch.randn(4, 1))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_gradients_on_the_net_device():
    torch.manual_seed(6)
    net = ScratchNet([2, 4, 3]).to("cuda", torch.float64)
    x = torch.randn(5, 2, device="cuda", dtype=torch.float64)
    y = torch.randn(5, 3, device="cuda", dtype=torch.float64)
    ours = _assert_matches_autograd(net, x, y)
    assert all(grad.device.type == "cuda" for grad in ours.values())
