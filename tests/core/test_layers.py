"""ScratchLinear against torch.nn.Linear, the oracle: same init, same outputs, same gradients."""

from __future__ import annotations

import ast
import io
import math
import re
import tokenize
from pathlib import Path

import pytest
import torch
from torch import nn

from scratchnn_tui.core.layer import ScratchLinear

LAYERS_SOURCE = Path(__file__).resolve().parents[2] / "scratchnn_tui" / "core" / "layer.py"

# (in_features, out_features, bias, input shape)
SHAPES = [
    (1, 1, True, (4, 1)),
    (2, 2, True, (2, 2)),
    (3, 5, True, (7, 3)),
    (4, 3, False, (6, 4)),
    (3, 2, True, (2, 5, 3)),   # batched 3-D input
    (5, 4, False, (3, 2, 5)),  # batched 3-D input, no bias
    (6, 1, True, (6,)),        # a single unbatched sample
]


def _pair(in_features: int, out_features: int, bias: bool, seed: int = 0):
    torch.manual_seed(seed)
    scratch = ScratchLinear(in_features, out_features, bias=bias)
    torch.manual_seed(seed)
    oracle = nn.Linear(in_features, out_features, bias=bias)
    return scratch, oracle


@pytest.mark.parametrize("in_features,out_features,bias,_shape", SHAPES)
def test_same_seed_gives_nn_linear_initial_weights(in_features, out_features, bias, _shape):
    scratch, oracle = _pair(in_features, out_features, bias, seed=1234)
    assert scratch.weight.shape == (out_features, in_features)
    assert torch.equal(scratch.weight, oracle.weight)
    if bias:
        assert scratch.bias.shape == (out_features,)
        assert torch.equal(scratch.bias, oracle.bias)
    else:
        assert scratch.bias is None
    # The RNG was consumed by exactly as much as nn.Linear consumes: the next draw agrees too.
    torch.manual_seed(1234)
    ScratchLinear(in_features, out_features, bias=bias)
    after_scratch = torch.rand(3)
    torch.manual_seed(1234)
    nn.Linear(in_features, out_features, bias=bias)
    after_oracle = torch.rand(3)
    assert torch.equal(after_scratch, after_oracle)


def test_parameters_are_registered_like_nn_linear():
    scratch, oracle = _pair(3, 2, True)
    assert [name for name, _ in scratch.named_parameters()] == [name for name, _ in oracle.named_parameters()]
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in scratch.parameters())
    no_bias, oracle_no_bias = _pair(3, 2, False)
    assert [n for n, _ in no_bias.named_parameters()] == [n for n, _ in oracle_no_bias.named_parameters()] == ["weight"]


@pytest.mark.parametrize("in_features,out_features,bias,shape", SHAPES)
def test_copied_weights_give_same_outputs_and_gradients(in_features, out_features, bias, shape):
    scratch, oracle = _pair(in_features, out_features, bias, seed=7)
    with torch.no_grad():  # different values from the init, copied into both
        oracle.weight.copy_(torch.randn(out_features, in_features))
        scratch.weight.copy_(oracle.weight)
        if bias:
            oracle.bias.copy_(torch.randn(out_features))
            scratch.bias.copy_(oracle.bias)

    torch.manual_seed(11)
    x = torch.randn(*shape)
    x_scratch = x.clone().requires_grad_(True)
    x_oracle = x.clone().requires_grad_(True)
    upstream = torch.randn(*shape[:-1], out_features)

    out_scratch = scratch(x_scratch)
    out_oracle = oracle(x_oracle)
    assert out_scratch.shape == out_oracle.shape == (*shape[:-1], out_features)
    torch.testing.assert_close(out_scratch, out_oracle, rtol=1e-5, atol=1e-6)

    (out_scratch * upstream).sum().backward()
    (out_oracle * upstream).sum().backward()
    torch.testing.assert_close(scratch.weight.grad, oracle.weight.grad, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(x_scratch.grad, x_oracle.grad, rtol=1e-5, atol=1e-6)
    if bias:
        torch.testing.assert_close(scratch.bias.grad, oracle.bias.grad, rtol=1e-5, atol=1e-6)


def test_matrix_form_is_x_times_w_transposed_plus_b():
    """The article's figure: X = [[1,2],[3,4]], W = [[5,7],[6,8]] (out × in) gives [[19,22],[43,50]]."""
    layer = ScratchLinear(2, 2)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[5.0, 7.0], [6.0, 8.0]]))
        layer.bias.zero_()
    out = layer(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert out.tolist() == [[19.0, 22.0], [43.0, 50.0]]
    with torch.no_grad():
        layer.bias.copy_(torch.tensor([1.0, -2.0]))
    assert layer(torch.tensor([[1.0, 2.0], [3.0, 4.0]])).tolist() == [[20.0, 20.0], [44.0, 48.0]]


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4)])
def test_gradcheck_float64(bias, shape):
    torch.manual_seed(3)
    layer = ScratchLinear(4, 3, bias=bias, dtype=torch.float64)
    assert layer.weight.dtype == torch.float64
    x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    # Gradients with respect to the input ...
    assert torch.autograd.gradcheck(layer, (x,), eps=1e-6, atol=1e-5)
    # ... and with respect to the parameters, passed in as inputs.
    weight = layer.weight.detach().clone().requires_grad_(True)
    inputs = [x, weight]
    if bias:
        b = layer.bias.detach().clone().requires_grad_(True)
        inputs.append(b)

    def run(x, weight, *rest):
        values = {"weight": weight}
        if rest:
            values["bias"] = rest[0]
        return torch.func.functional_call(layer, values, (x,))

    assert torch.autograd.gradcheck(run, tuple(inputs), eps=1e-6, atol=1e-5)


def test_init_bounds_over_a_larger_layer():
    in_features, out_features = 400, 300
    torch.manual_seed(0)
    layer = ScratchLinear(in_features, out_features)
    bound = 1 / math.sqrt(in_features)
    weight, bias = layer.weight.detach(), layer.bias.detach()
    assert weight.abs().max().item() <= bound
    assert bias.abs().max().item() <= bound
    # Uniform over the whole range, not a narrower or constant init.
    assert weight.abs().max().item() > 0.95 * bound
    assert weight.min().item() < -0.95 * bound
    assert abs(weight.mean().item()) < 0.05 * bound
    assert weight.std().item() == pytest.approx(bound / math.sqrt(3), rel=0.05)
    assert bias.abs().max().item() > 0.8 * bound


def test_reset_parameters_redraws():
    torch.manual_seed(0)
    layer = ScratchLinear(3, 2)
    first = layer.weight.detach().clone(), layer.bias.detach().clone()
    torch.manual_seed(0)
    layer.reset_parameters()
    assert torch.equal(layer.weight, first[0]) and torch.equal(layer.bias, first[1])
    layer.reset_parameters()
    assert not torch.equal(layer.weight, first[0])


def test_dtype_and_device_arguments():
    layer = ScratchLinear(2, 3, dtype=torch.float64, device="cpu")
    assert layer.weight.dtype == layer.bias.dtype == torch.float64
    assert layer.weight.device.type == "cpu"


@pytest.mark.parametrize("in_features,out_features", [(0, 1), (1, 0), (-1, 2)])
def test_rejects_empty_layers(in_features, out_features):
    with pytest.raises(ValueError):
        ScratchLinear(in_features, out_features)


@pytest.mark.parametrize("bias", [True, False])
def test_extra_repr_matches_nn_linear(bias):
    scratch, oracle = _pair(3, 2, bias)
    assert scratch.extra_repr() == oracle.extra_repr()
    assert scratch.extra_repr() == f"in_features=3, out_features=2, bias={bias}"
    assert repr(scratch) == f"ScratchLinear(in_features=3, out_features=2, bias={bias})"


def _code_without_strings_and_comments(source: str) -> str:
    kept = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.COMMENT, tokenize.STRING):
            continue
        kept.append(token.string)
    return " ".join(kept)


def test_source_does_not_use_nn_linear_or_f_linear():
    source = LAYERS_SOURCE.read_text(encoding="utf-8")
    code = _code_without_strings_and_comments(source).replace(" ", "")
    for pattern in ("nn.Linear", "F.linear", "functional.linear", "linear(", "addmm"):
        assert pattern not in code, f"layers.py uses {pattern}"
    assert re.search(r"\bLinear\(", code) is None  # a bare imported Linear(...)
    # The same, by the syntax tree: no attribute or name `linear`/`Linear`, no import of one.
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"Linear", "linear", "addmm", "LazyLinear"}, node.attr
        elif isinstance(node, ast.Name):
            assert node.id not in {"Linear", "linear"}, node.id
        elif isinstance(node, ast.ImportFrom):
            assert not any(alias.name.lower() == "linear" for alias in node.names)
    # The check itself can fail: it finds the call in code that has one.
    assert "nn.Linear(" in _code_without_strings_and_comments("x = nn.Linear(2, 3)").replace(" ", "")


def test_forward_runs_without_f_linear(monkeypatch):
    """At run time too: forward works with torch's linear functions out of reach."""

    def forbidden(*args, **kwargs):
        raise AssertionError("ScratchLinear called a torch linear function")

    monkeypatch.setattr(torch.nn.functional, "linear", forbidden)
    monkeypatch.setattr(torch, "addmm", forbidden)
    torch.manual_seed(0)
    layer = ScratchLinear(3, 2)
    x = torch.randn(4, 3, requires_grad=True)
    out = layer(x)
    out.sum().backward()
    expected = x.detach() @ layer.weight.detach().T + layer.bias.detach()
    torch.testing.assert_close(out.detach(), expected)
