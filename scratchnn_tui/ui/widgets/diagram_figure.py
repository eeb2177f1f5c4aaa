"""The neuron diagram drawn as text, without an app: nodes, one edge per weight, the sums.

    inputs · sample 1/2  weights   outputs: Σ xᵢ×wᵢ + b → relu
    x₁ 1 ─┬─┄┄ -0.005294 ┄┄┬→ n₁   Σ = 1×(-0.005294) + 2×0.3793 - 0.2723 = 0.481
    x₂ 2 ─┼┬─── +0.3793 ───┘         → relu → 0.481  target 19
          └┼━━━ -0.582 ━━━━┬→ n₂   Σ = 1×(-0.582) + 2×(-0.5204) + 0.1896
           └━━━ -0.5204 ━━━┘  dead   = -1.433 → relu → 0  target 22
    edge ━ |w| ≥ ⅔ of the largest, ─ ≥ ⅓, ┄ less; dead: z ≤ 0 on every sample

Each input is drawn once; its wire (dim) runs down past every neuron's block and branches into
one edge per weight. An edge's line says its weight's size relative to the layer's largest |w|
(as TensorFlow Playground draws its links thicker) and its label says the value with its sign,
so the figure reads without colour. The edges of one neuron meet (┬ ┤ ┘) at its node, beside
its arithmetic. Layers whose figure would pass `FULL_ROWS` rows are summarised: the edges into
the selected neuron only (a window of its inputs around the selected weight), and one short
entry for each other neuron.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from ...training.snapshot import LayerView, ProbeView
from ..numbers import OUTPUT, WEIGHT, fmt, sub
from .diagram_sums import (DEAD, PICK, Case, arithmetic_tokens, case_of, input_text, is_dead,
                           neuron_text, number_style, pick, wrap)

__all__ = ["FULL_ROWS", "SMALL_ROWS", "PICK", "Block", "Figure", "figure", "edge_glyph", "edge_label",
           "input_text", "neuron_text", "wrap"]

SMALL_ROWS = 6   # the most rows for a layer of up to 2 inputs and 2 neurons: 80×24 keeps room
FULL_ROWS = 10   # the most rows for any layer
WINDOW = 5       # inputs drawn into the selected neuron when a layer is summarised
WIRE = "dim"
DEAD_NOTE = "dead: z ≤ 0 on every sample, so relu passes no gradient"


# -- edges --------------------------------------------------------------------------------

def edge_glyph(weight: float, largest: float) -> str:
    """━ for |w| at least ⅔ of the layer's largest |w|, ─ from ⅓, ┄ below (and for 0 or nan)."""
    if math.isinf(weight):
        return "━"
    if math.isnan(weight) or weight == 0 or not largest > 0:
        return "┄"
    share = abs(weight) / largest
    return "━" if share >= 2 / 3 else "─" if share >= 1 / 3 else "┄"


def edge_label(weight: float) -> str:
    """The weight with its sign always written: `+5`, `-0.5`, `0`."""
    return f"+{fmt(weight)}" if weight > 0 else fmt(weight)


def largest_weight(layer: LayerView) -> float:
    sizes = [abs(w) for row in layer.weight for w in row if math.isfinite(w)]
    return max(sizes, default=0.0)


def edge_text(weight: float, largest: float, label_width: int, neuron: int, index: int,
              selected: tuple[int, int] | None) -> Text:
    """`━━━ +5 ━━━`: the line in the weight's size, the label centred, both clickable."""
    glyph = edge_glyph(weight, largest)
    label = edge_label(weight)
    spare = label_width - len(label)
    click = pick(neuron, index)
    line = Style.parse(WEIGHT + (" dim" if weight < 0 else "")) + click
    text = Text()
    text.append(glyph * (2 + spare // 2) + " ", style=line)
    text.append(label, style=number_style(WEIGHT, neuron, index, selected))
    text.append(" " + glyph * (2 + spare - spare // 2), style=line)
    return text


def _bus(row_input: int, first_block: bool, block: int, blocks: int, width: int) -> Text:
    """The wires of the inputs on the row of input `row_input`'s edge in `block`: its own wire
    branches off (┬ ├ └), the wires of later inputs cross it (┼), earlier ones pass (│)."""
    text = Text()
    for wire in range(width):
        active = block < blocks - 1 if wire < row_input else (block > 0 if wire > row_input else True)
        if wire < row_input:
            char = ("┼" if active else "─") if first_block else ("│" if active else " ")
        elif wire == row_input:
            char = "┬" if block == 0 else "└" if block == blocks - 1 else "├"
        else:
            char = "┼" if active else "─"
        text.append(char, style=WIRE)
    return text


def _passing(block: int, blocks: int, width: int) -> Text:
    """The wires on a row below a block's edges: they go on down to later blocks."""
    return Text(("│" if block < blocks - 1 else " ") * width, style=WIRE)


# -- the figure ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Block:
    """One neuron's rows: its edges and node on the left, its arithmetic on the right."""

    neuron: int
    edges: Text       # lines joined by newlines, all `left_width` wide
    arithmetic: Text  # as many lines as `edges`, or fewer
    height: int


@dataclass(frozen=True)
class Figure:
    heading: Text
    blocks: tuple[Block, ...]
    others: Text | None  # the neurons not drawn, when the layer is summarised
    legend: Text | None
    left_width: int
    summarised: bool

    @property
    def height(self) -> int:
        return (1 + sum(block.height for block in self.blocks) + len(self.others.plain.splitlines() if self.others else ())
                + (1 if self.legend else 0))

    def lines(self) -> list[Text]:
        """The figure as the screen shows it, line by line (for tests and captures)."""
        out = [self.heading]
        for block in self.blocks:
            left = block.edges.split("\n", allow_blank=True)
            right = block.arithmetic.split("\n", allow_blank=True)
            for row in range(block.height):
                line = left[row].copy() if row < len(left) else Text(" " * self.left_width)
                line.append(" ")
                if row < len(right):
                    line.append_text(right[row])
                out.append(line)
        if self.others:
            out.extend(self.others.split("\n"))
        if self.legend:
            out.append(self.legend)
        return out


def _legend(width: int, any_dead: bool) -> Text | None:
    sizes = ("edge ━ |w| ≥ ⅔ of the largest, ─ ≥ ⅓, ┄ less; the label carries the sign",
             "edge ━ |w| ≥ ⅔ of the largest, ─ ≥ ⅓, ┄ less",
             "━ large |w|  ─ medium  ┄ small", "")
    dead = ("; " + DEAD_NOTE, "; dead: z ≤ 0 on every sample", "; dead: z ≤ 0 always") if any_dead else ("",)
    for size in sizes:
        for note in dead:
            text = (size + note).lstrip("; ")
            if text and len(text) <= width:
                return Text(text, style="dim")
    return None


def _heading(case: Case, weights_at: int, outputs_at: int, width: int, title: str) -> Text:
    text = Text(case.heading, style="dim")
    for label, at in ((title, weights_at), ("outputs", outputs_at)):
        at = max(at, text.cell_len + 2)
        text.append(" " * (at - text.cell_len) + label, style="dim")
    formula = f": Σ {case.symbol}ᵢ×wᵢ + b → {'relu' if case.relu else 'linear'}"
    if text.cell_len + len(formula) <= width:
        text.append(formula, style="dim")
    return text


def _blocks(layer: LayerView, case: Case, neurons: list[int], inputs: list[int], more: int,
            selected: tuple[int, int] | None, width: int, max_rows: int | None) -> tuple[list[Block], int, int, int]:
    """Blocks for `neurons` with edges from `inputs` (`more` inputs not drawn), the left part's
    width, and where the weights and the arithmetic columns start."""
    wired = len(neurons) > 1
    bus_width = len(inputs) if wired else 1
    nodes = [input_text(i, case.inputs[i], case.symbol) for i in inputs]
    node_width = max(node.cell_len for node in nodes)
    largest = largest_weight(layer)
    label_width = max(len(edge_label(layer.weight[n][i])) for n in neurons for i in inputs)
    dead = {n: is_dead(layer, n) for n in neurons}
    names = {n: f"n{sub(n + 1)}" for n in neurons}
    name_width = max([len(name) for name in names.values()] + [4 if any(dead.values()) else 0])
    weights_at = node_width + 2 + bus_width
    edge_width = label_width + 6
    left_width = weights_at + edge_width + 3 + name_width
    room = max(width - left_width - 1, 12)
    edge_rows = len(inputs) + (1 if more else 0)
    blocks = []
    for b, n in enumerate(neurons):
        tokens = arithmetic_tokens(layer.weight[n], layer.bias[n], case, n, selected)
        lines = wrap(tokens, room)
        if max_rows is not None and len(lines) > max(edge_rows, max_rows):
            lines = wrap(arithmetic_tokens(layer.weight[n], layer.bias[n], case, n, selected, set(inputs)), room)
        height = max(edge_rows, len(lines), 2 if dead[n] else 1)
        left = []
        for row in range(height):
            line = Text()
            if row < len(inputs):
                i = inputs[row]
                if b == 0:
                    line.append_text(nodes[row])
                    line.append(" " * (node_width - nodes[row].cell_len) + " ─", style=WIRE)
                else:
                    line.append(" " * (node_width + 2))
                line.append_text(_bus(row, b == 0, b, len(neurons), bus_width) if wired else Text("─", style=WIRE))
                line.append_text(edge_text(layer.weight[n][i], largest, label_width, n, i, selected))
                last = row == len(inputs) - 1 and not more
                connector = "─" if edge_rows == 1 else "┬" if row == 0 else "┘" if last else "┤"
            elif row < edge_rows:  # the inputs not drawn: a note across the empty columns
                room_left = node_width + 2 + bus_width + edge_width
                plural = "s" if more > 1 else ""
                notes = (f"⋮ {more} more input{plural}, ←→ moves along", f"⋮ {more} more input{plural}",
                         f"⋮ {more} more", "⋮")
                note = next(n for n in notes if len(n) <= room_left)
                line.append(note.ljust(room_left), style="dim")
                connector = "┘"
            else:
                line.append(" " * (node_width + 2))
                line.append_text(_passing(b, len(neurons), bus_width) if wired else Text(" "))
                line.append(" " * edge_width)
                connector = " "
            line.append(connector, style=WIRE)
            if row == 0:
                line.append("→ ", style=WIRE)
                line.append(names[n].ljust(name_width))
            elif row == 1 and dead[n]:
                line.append("  ")
                line.append("dead".ljust(name_width), style=DEAD)
            else:
                line.append(" " * (2 + name_width))
            left.append(line)
        blocks.append(Block(n, Text("\n").join(left), Text("\n").join(lines), height))
    return blocks, left_width, weights_at, left_width + 1


def _others(layer: LayerView, case: Case, shown: int, index: int, width: int, rows: int = 2) -> Text:
    """`other neurons (↑↓): n₁ 19 · n₂ 0 dead · …`: each one's output, clickable."""
    entries = []
    for n in range(layer.out_features):
        if n == shown:
            continue
        entry = Text(f"n{sub(n + 1)} ", style=pick(n, index))
        entry.append(fmt(case.outputs[n]), style=Style.parse(OUTPUT) + pick(n, index))
        if is_dead(layer, n):
            entry.append(" dead", style=Style.parse(DEAD) + pick(n, index))
        entries.append(entry)
    tokens = [Text("other neurons (↑↓):", style="dim")] + [Text(" ") + e if not k else Text(" · ") + e
                                                           for k, e in enumerate(entries)]
    lines = wrap(tokens, width)
    if len(lines) > rows:
        for keep in range(len(entries), -1, -1):
            cut = tokens[:1 + keep] + [Text(f" · … {len(entries) - keep} more", style="dim")]
            lines = wrap(cut, width)
            if len(lines) <= rows:
                break
    return Text("\n").join(lines)


def figure(layer: LayerView, sample: int = 0, selected: tuple[int, int] | None = None,
           probe: ProbeView | None = None, width: int = 76) -> Figure:
    """The diagram of `layer` for batch row `sample` (or for `probe`, a typed-in input) in
    `width` columns; the selected weight or bias (neuron, index) reversed wherever it appears."""
    case = case_of(layer, sample, probe)
    small = layer.in_features <= 2 and layer.out_features <= 2
    any_dead = any(is_dead(layer, n) for n in range(layer.out_features))
    if layer.in_features * layer.out_features + 1 > FULL_ROWS:  # an edge a row: cannot fit
        return _summary(layer, case, selected, width, any_dead)
    blocks, left_width, weights_at, outputs_at = _blocks(
        layer, case, list(range(layer.out_features)), list(range(layer.in_features)), 0, selected, width, None)
    drawn = 1 + sum(block.height for block in blocks)
    legend = _legend(width, any_dead)
    budget = SMALL_ROWS if small else FULL_ROWS
    if drawn + 1 > budget:
        legend = None
    if drawn <= budget or (small and drawn <= FULL_ROWS):
        heading = _heading(case, weights_at, outputs_at, width, "weights")
        return Figure(heading, tuple(blocks), None, legend, left_width, False)
    return _summary(layer, case, selected, width, any_dead)


def _summary(layer: LayerView, case: Case, selected: tuple[int, int] | None, width: int,
             any_dead: bool) -> Figure:
    """The selected neuron's edges from a window of its inputs around the selected weight, and
    the other neurons in a line or two; the window narrows until the figure fits FULL_ROWS."""
    neuron, index = selected if selected is not None else (0, 0)
    neuron = min(max(neuron, 0), layer.out_features - 1)
    k = layer.in_features
    others = _others(layer, case, neuron, min(index, k), width) if layer.out_features > 1 else None
    others_rows = len(others.plain.splitlines()) if others else 0
    max_rows = FULL_ROWS - 1 - others_rows
    title = f"weights into n{sub(neuron + 1)}" + (f" of {layer.out_features}" if others else "")
    result = None
    for window in range(min(k, WINDOW + 1 if k == WINDOW + 1 else WINDOW), 0, -1):
        start = min(max(min(index, k - 1) - window // 2, 0), k - window)
        inputs = list(range(start, start + window))
        blocks, left_width, weights_at, outputs_at = _blocks(
            layer, case, [neuron], inputs, k - window, selected, width, max_rows)
        heading = _heading(case, weights_at, outputs_at, width, title)
        result = Figure(heading, tuple(blocks), others, None, left_width, True)
        if result.height <= FULL_ROWS:
            break
    legend = _legend(width, any_dead)
    if result.height < FULL_ROWS and legend is not None:
        result = Figure(result.heading, result.blocks, others, legend, result.left_width, True)
    return result
