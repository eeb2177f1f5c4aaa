"""The neuron diagram's sums, as text: `Σ = 1×5 + 2×7 + 0 = 19 → relu → 19  target 19`.

A sum is a list of tokens that a line may break between, never inside a number, so a neuron's
arithmetic wraps in a narrow terminal instead of being cut. Each weight and bias carries its
(neuron, index) in its style's meta (`PICK`): the widget turns a click on it into a selection.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from ...training.snapshot import LayerView, ProbeView
from ..numbers import INPUT, OUTPUT, TARGET, WEIGHT, fmt, sub, term

DEAD = "bold yellow"
PICK = "scratchnn.pick"  # the style meta key a clickable number carries


@dataclass(frozen=True)
class Case:
    """What the diagram computes with: one input vector, each neuron's z and a, and the targets
    (None for a probe, which nobody labelled)."""

    inputs: tuple[float, ...]
    pre_activation: tuple[float, ...]
    outputs: tuple[float, ...]
    targets: tuple[float, ...] | None
    heading: str  # `inputs`, `inputs · sample 1/4` or `inputs · probe (not in the batch)`
    relu: bool = True  # False: a linear layer, whose output is z itself
    symbol: str = "x"  # what the inputs are called: x, or a (the outputs of the layer below)


def inputs_word(layer: LayerView) -> str:
    """`inputs`, or for a layer above the first, whose inputs are the outputs of the one below:
    `layer 1's outputs`."""
    return "inputs" if layer.position == 0 else f"layer {layer.position}'s outputs"


def case_of(layer: LayerView, sample: int, probe: ProbeView | None = None) -> Case:
    word = inputs_word(layer)
    if probe is not None:
        return Case(tuple(probe.inputs), tuple(probe.pre_activation), tuple(probe.outputs), None,
                    f"{word} · probe (not in the batch)", layer.relu, layer.input_symbol)
    heading = f"{word} · sample {sample + 1}/{layer.batch_size}" if layer.batch_size > 1 else word
    targets = None if layer.targets is None else layer.targets[sample]
    return Case(layer.inputs[sample], layer.pre_activation[sample], layer.outputs[sample],
                targets, heading, layer.relu, layer.input_symbol)


def is_dead(layer: LayerView, neuron: int) -> bool:
    """relu's slope is 0 for z ≤ 0: with every sample of the batch there, no gradient reaches
    this neuron (a probe does not count: it is not trained on). A linear neuron cannot die."""
    return layer.relu and all(row[neuron] <= 0 for row in layer.pre_activation)


def pick(neuron: int, index: int) -> Style:
    """A click on this text selects weight (neuron, index), or the bias when index is the input
    count: the widget reads `PICK` from the style under the mouse and posts `Selected`. (Not an
    `@click` action: Textual paints those in the link colour, and the weights must stay green.)"""
    return Style(meta={PICK: (neuron, index)})


def number_style(style: str, neuron: int, index: int, selected: tuple[int, int] | None) -> Style:
    chosen = selected == (neuron, index)
    return Style.parse(style + (" reverse" if chosen else "")) + pick(neuron, index)


def arithmetic_tokens(weights: tuple[float, ...], bias: float, case: Case, neuron: int,
                      selected: tuple[int, int] | None, shown: set[int] | None = None,
                      lead: str = "Σ = ") -> list[Text]:
    """`Σ = 1×5`, ` + 2×7`, ` + 0`, ` = 19`, ` → relu → 19`, `  target 19`: pieces that a line
    may break between (never inside a number). Inputs left out of `shown` become ` + …`."""
    tokens: list[Text] = []
    skipped = False
    for i, (xi, wi) in enumerate(zip(case.inputs, weights)):
        if shown is not None and i not in shown:
            if not skipped:
                tokens.append(Text(" + …" if tokens else "…"))
            skipped = True
            continue
        skipped = False
        piece = Text(" + " if tokens else "")
        piece.append_text(term(xi, INPUT))
        piece.append("×")
        piece.append(term(wi, "").plain, style=number_style(WEIGHT, neuron, i, selected))
        tokens.append(piece)
    bias_piece = Text(" - " if bias < 0 else " + ")
    bias_piece.append(fmt(abs(bias)), style=number_style(WEIGHT, neuron, len(weights), selected))
    tokens.append(bias_piece)
    z, a = case.pre_activation[neuron], case.outputs[neuron]
    tokens.append(Text(f" = {fmt(z)}"))
    tokens.append(Text.assemble(" → relu → " if case.relu else " → linear → ", (fmt(a), OUTPUT)))
    if case.targets is not None:
        tokens.append(Text(f"  target {fmt(case.targets[neuron])}", style=TARGET))
    tokens[0] = Text(lead) + tokens[0]
    return tokens


def wrap(tokens: list[Text], width: int, indent: int = 2) -> list[Text]:
    """Tokens laid onto lines of at most `width` cells, breaking only between tokens; a
    continuation line drops its token's leading spaces and is indented."""
    lines: list[Text] = []
    line = Text()
    for token in tokens:
        if line.cell_len and line.cell_len + token.cell_len > width:
            lines.append(line)
            stripped = token[len(token.plain) - len(token.plain.lstrip(" ")):]
            line = Text(" " * indent) + stripped
        else:
            line = line + token
    lines.append(line)
    return lines


def neuron_text(layer: LayerView, neuron: int, sample: int, selected: tuple[int, int] | None = None) -> Text:
    """`n₁  1×5 + 2×7 + 0 = 19 → relu → 19  target 19` on one line, with the dead mark: the
    neuron's arithmetic for `sample`, the selected weight or bias (neuron, index) reversed."""
    tokens = arithmetic_tokens(layer.weight[neuron], layer.bias[neuron], case_of(layer, sample),
                               neuron, selected, lead=f"n{sub(neuron + 1)}  ")
    text = Text().join(tokens)
    if is_dead(layer, neuron):
        text.append("  dead: z ≤ 0 on every sample", style=DEAD)
    return text


def input_text(index: int, value: float, symbol: str = "x") -> Text:
    return Text.assemble(f"{symbol}{sub(index + 1)} ", (fmt(value), INPUT))
