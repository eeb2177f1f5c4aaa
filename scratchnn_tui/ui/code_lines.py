"""The code view's content: the core's own lines behind the numbers on screen, each with the
numbers it produced at this moment beside it, as a debugger shows values inline.

The lines are read from the installed package's `core/` files at run time (parsed with `ast`,
never imported: importing core would load torch into the UI process), so they are always the
code that ran. The numbers are the frame's plain floats: the diagram's forward pass, the last
stepped update's chain rule for the selected weight, that update's optimizer state. A line whose
code a rule names (a fragment of it) gets that rule's numbers; a line no rule names gets none,
so a changed core file still shows whole, only less annotated.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from ..training.snapshot import LayerView, Matrix, NumberUpdate, Snapshot, UpdateView, number_name
from .numbers import fmt

CORE = Path(__file__).resolve().parent.parent / "core"
"""The installed package's core: the files whose lines the view shows."""
MOST_ROWS = 4  # a matrix of more rows is shown by its sample's row alone


@dataclass(frozen=True)
class CodeLine:
    """One source line: its number in the file, its text exactly, and what it computed now."""

    number: int
    code: str
    value: str = ""


@dataclass(frozen=True)
class CodeSection:
    """A function's lines from one core file, and what they explain."""

    path: str  # relative to the package, e.g. core/layer.py
    name: str  # e.g. ScratchLinear.forward
    about: str  # what on screen it computed
    lines: tuple[CodeLine, ...]
    after: tuple[str, ...] = ()  # lines of numbers under the code (nn.Linear's check)


def function_source(file: str, qualname: str) -> tuple[int, list[str]]:
    """The first line number and the lines of `qualname` (`Class.method` or a function) in
    core's `file`, its docstring left out (the lesson is in the numbers beside the code)."""
    text = (CORE / file).read_text(encoding="utf-8")
    node: ast.AST = ast.parse(text)
    for part in qualname.split("."):
        node = next(child for child in ast.iter_child_nodes(node)
                    if isinstance(child, (ast.ClassDef, ast.FunctionDef)) and child.name == part)
    lines = text.splitlines()
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    skip: set[int] = set()
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        skip = set(range(body[0].lineno, body[0].end_lineno + 1))
    numbered = [(n, lines[n - 1]) for n in range(first, node.end_lineno + 1) if n not in skip]
    return first, numbered


def _section(file: str, qualname: str, about: str, rules: list[tuple[str, str]],
             after: tuple[str, ...] = (), between: tuple[str, str] | None = None) -> CodeSection:
    """The function's lines (only those from the line holding `between[0]` to the one holding
    `between[1]`, where given and found), each annotated by the first rule whose fragment it
    holds."""
    _, numbered = function_source(file, qualname)
    if between is not None:
        starts = [i for i, (_, code) in enumerate(numbered) if between[0] in code]
        ends = [i for i, (_, code) in enumerate(numbered) if between[1] in code]
        if starts and ends and starts[0] <= ends[-1]:
            numbered = numbered[starts[0]:ends[-1] + 1]
    found = []
    for number, code in numbered:
        value = next((text for fragment, text in rules if fragment in code and text), "")
        found.append(CodeLine(number, code, value))
    return CodeSection(f"core/{file}", qualname, about, tuple(found), after)


def matrix_text(rows: Matrix, sample: int = 0) -> str:
    """`[[19, 22], [43, 50]]`; a long batch by the sample's row: `[3, 4] (row 2 of 40)`."""
    if len(rows) > MOST_ROWS:
        row = rows[min(sample, len(rows) - 1)]
        return f"[{', '.join(fmt(v) for v in row)}] (row {sample + 1} of {len(rows)})"
    return "[" + ", ".join("[" + ", ".join(fmt(v) for v in row) + "]" for row in rows) + "]"


def column_text(rows: Matrix, column: int) -> str:
    return "[" + ", ".join(fmt(row[column]) for row in rows[:8]) + (", …" if len(rows) > 8 else "") + "]"


def forward_section(layer: LayerView, sample: int, check: Matrix | None) -> CodeSection:
    """`ScratchLinear.forward` with the layer's X, W, b and Z, and nn.Linear's Z beside it."""
    sums = tuple(tuple(z - b for z, b in zip(row, layer.bias)) for row in layer.pre_activation)
    x_name = "x" if layer.position == 0 else f"x (layer {layer.position}'s A)"
    rules = [
        ("def forward", f"{x_name} = {matrix_text(layer.inputs, sample)}"),
        ("z = x @ self.weight.T", f"weight = {matrix_text(layer.weight)} → z = {matrix_text(sums, sample)}"),
        ("z = z + self.bias", f"bias = [{', '.join(fmt(b) for b in layer.bias)}] → z = "
                              f"{matrix_text(layer.pre_activation, sample)}"),
        ("return z", f"z = {matrix_text(layer.pre_activation, sample)}"
                     + (", then relu: a = " + matrix_text(layer.outputs, sample) if layer.relu else "")),
    ]
    if check is None:
        after = ("nn.Linear, given this weight and bias: on the next frame",)
    else:
        gap = max((abs(a - b) for row, ref in zip(layer.pre_activation, check) for a, b in zip(row, ref)),
                  default=0.0)
        verdict = "the same numbers" if gap == 0 else f"the same to {gap:.1g}"
        after = (f"nn.Linear({layer.in_features}, {layer.out_features}), given this weight and bias: "
                 f"{matrix_text(check, sample)}, {verdict}",)
    return _section("layer.py", "ScratchLinear.forward", "the diagram's sums, Z = X Wᵀ + b", rules, after)


def backward_section(update: UpdateView, selected: tuple[int, int]) -> CodeSection:
    """`backward` (and `_slope`) with the chain rule's numbers for the selected weight."""
    neuron, index = selected
    n_in = len(update.inputs[0])
    layer = update.layers[update.shown]
    number = update.bias[neuron] if index == n_in else update.weight[neuron][index]
    name = number_name(neuron, index, n_in)
    column = f"[:, {neuron}]"
    dz_terms = ", ".join(fmt(row[neuron]) for row in layer.d_pre[:8])
    rules = [
        ("da = 2 * (out - y) / y.numel()",
         f"da{column} = {column_text(layer.d_outputs, neuron)}" if update.is_output else ""),
        ("dz = da * _slope(z, relu)", f"dz{column} = {column_text(layer.d_pre, neuron)}"),
        ("grads[f\"layers.{k}.weight\"] = dz.T @ x_k",
         "" if index == n_in else
         f"∂L/∂{name} = Σ dz{column}·x[:, {index}] = {fmt(number.by_hand)}  (autograd: {fmt(number.autograd)})"),
        ("grads[f\"layers.{k}.bias\"] = dz.sum(dim=0)",
         "" if index != n_in else
         f"∂L/∂{name} = Σ [{dz_terms}] = {fmt(number.by_hand)}  (autograd: {fmt(number.autograd)})"),
        ("da = dz @ layer.weight", "" if update.layer_index == 0 else "passed down to the layer below"),
    ]
    about = f"∂L/∂{name} of epoch {update.epoch}'s update, by the chain rule"
    # The lines from the loss to the step down a layer: those that compute the gradient.
    return _section("backward.py", "backward", about, rules, between=("loss = ", "da = dz @ layer.weight"))


def slope_section(update: UpdateView, neuron: int) -> CodeSection:
    layer = update.layers[update.shown]
    slopes = [1.0 if not layer.relu or row[neuron] > 0 else 0.0 for row in layer.pre_activation[:8]]
    rules = [("return (z > 0)", f"z[:, {neuron}] = {column_text(layer.pre_activation, neuron)} → "
                                f"relu′ = [{', '.join(fmt(s) for s in slopes)}]")]
    return _section("backward.py", "_slope", "relu′(z): 1 where z > 0, else 0", rules)


OPTIMIZER_STEPS = {"sgd": "SGD.step", "momentum": "SGD.step", "adam": "Adam.step", "solved": "Solved.step"}


def step_section(update: UpdateView, selected: tuple[int, int]) -> CodeSection:
    """The optimizer's `step` with the selected number before and after it, and its state."""
    neuron, index = selected
    n_in = len(update.inputs[0])
    number: NumberUpdate = update.bias[neuron] if index == n_in else update.weight[neuron][index]
    name = number_name(neuron, index, n_in)
    settings = dict(update.settings)
    state = dict(number.state_after)
    moved = f"{name}: {fmt(number.before)} → {fmt(number.after)}"
    rules = [
        ("lr, momentum = group", f"lr = {fmt(settings.get('lr', 0))}, momentum = {fmt(settings.get('momentum', 0))}"),
        ("lr, (beta1, beta2), eps = group", f"lr = {fmt(settings.get('lr', 0))}, β₁ = {fmt(settings.get('beta1', 0))}, "
                                            f"β₂ = {fmt(settings.get('beta2', 0))}"),
        ("g = p.grad", f"g = {fmt(number.autograd)} for {name}"),
        ("buf.mul_(momentum).add_(g)", f"buf = {fmt(state['momentum_buffer'])}" if "momentum_buffer" in state else ""),
        ("buf = state[\"momentum_buffer\"] = g", f"buf = {fmt(state['momentum_buffer'])}" if "momentum_buffer" in state else ""),
        ("t = state[\"step\"].item()", f"t = {fmt(state['step'])}" if "step" in state else ""),
        ("m.lerp_(g, 1 - beta1)", f"m = {fmt(state['exp_avg'])}" if "exp_avg" in state else ""),
        ("v.mul_(beta2)", f"v = {fmt(state['exp_avg_sq'])}" if "exp_avg_sq" in state else ""),
        ("p.add_(g, alpha=-lr)", moved),
        ("p.addcdiv_(m, denom", moved),
        ("param.copy_(self.answer[name])", f"{moved}: the answer, whatever the gradient"),
    ]
    qualname = OPTIMIZER_STEPS.get(update.optimizer_key, "SGD.step")
    return _section("optim.py", qualname, f"{update.optimizer}'s update of epoch {update.epoch}, for {name}", rules)


def code_sections(snapshot: Snapshot, layer_index: int, selected: tuple[int, int], sample: int) -> list[CodeSection]:
    """What the code view shows for this moment: the forward pass of the layer on screen, and,
    once an update was stepped, its gradient by hand for the selected number and its step."""
    layer = snapshot.layer_at(layer_index)
    checks = snapshot.linear_checks
    check = checks[layer.position] if layer.position < len(checks) else None
    sections = [forward_section(layer, sample, check)]
    if snapshot.update is not None:
        update = snapshot.update.at(layer_index)
        sections += [backward_section(update, selected), slope_section(update, selected[0]),
                     step_section(update, selected)]
    return sections
