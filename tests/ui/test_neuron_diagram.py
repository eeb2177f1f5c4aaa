"""The neuron diagram: its pure figure (nodes, one edge per weight, the sums) and, in a bare app,
the widget's pieces and its clicks."""

from __future__ import annotations

import random

from scratchnn_tui.training.snapshot import LayerView, ProbeView
from scratchnn_tui.ui.numbers import WEIGHT
from scratchnn_tui.ui.widgets.diagram_figure import (FULL_ROWS, SMALL_ROWS, edge_glyph, edge_label,
                                                     figure, wrap)
from scratchnn_tui.ui.widgets.neuron_diagram import NeuronDiagram, OutputNeuron
from textual.app import App, ComposeResult

from layer_figures import FIGURE


# seed-2x2 with seed 0's initial weights: negative weights, a small one, and neuron 2 dead.
SEED0 = LayerView(
    inputs=((1.0, 2.0), (3.0, 4.0)),
    weight=((-0.005294, 0.3793), (-0.582, -0.5204)),
    bias=(-0.2723, 0.1896),
    pre_activation=((0.481, -1.433), (1.229, -3.638)),
    outputs=((0.481, 0.0), (1.229, 0.0)),
    targets=((19.0, 22.0), (43.0, 50.0)),
)

TRIPLE = LayerView(
    inputs=((1.0,), (2.0,), (3.0,), (4.0,)),
    weight=((-0.007487,),), bias=(0.5364,),
    pre_activation=((0.529,), (0.5215,), (0.514,), (0.5065,)),
    outputs=((0.529,), (0.5215,), (0.514,), (0.5065,)),
    targets=((3.0,), (6.0,), (9.0,), (12.0,)),
)


def random_layer(n_in: int, n_out: int, batch: int = 3, seed: int = 1) -> LayerView:
    rng = random.Random(seed)
    x = tuple(tuple(round(rng.uniform(-2, 2), 3) for _ in range(n_in)) for _ in range(batch))
    w = tuple(tuple(round(rng.uniform(-1, 1), 4) for _ in range(n_in)) for _ in range(n_out))
    b = tuple(round(rng.uniform(-1, 1), 4) for _ in range(n_out))
    z = tuple(tuple(sum(xi * wi for xi, wi in zip(row, wr)) + bi for wr, bi in zip(w, b)) for row in x)
    a = tuple(tuple(max(0.0, v) for v in row) for row in z)
    return LayerView(x, w, b, z, a, a)


def plain(fig) -> list[str]:
    return [line.plain for line in fig.lines()]


def reversed_pieces(fig) -> list[str]:
    return [line.plain[span.start:span.end] for line in fig.lines()
            for span in sorted(line.spans, key=lambda span: span.start) if "reverse" in str(span.style)]


def test_the_seed_figure_has_headings_nodes_edges_and_the_arithmetic():
    lines = plain(figure(FIGURE, width=76))
    heading = lines[0]
    for word in ("inputs", "weights", "outputs"):
        assert word in heading
    assert "sample 1/2" in heading
    text = "\n".join(lines)
    assert "x₁ 1" in text and "x₂ 2" in text  # each input node once
    assert text.count("x₁") == 1 and text.count("x₂") == 1
    for label in ("+5", "+7", "+6", "+8"):  # one edge per weight, labelled with its value and sign
        assert text.count(f" {label} ") == 1
    assert "Σ = 1×5 + 2×7 + 0 = 19 → relu → 19" in text
    assert "Σ = 1×6 + 2×8 + 0 = 22 → relu → 22" in text
    assert "target 19" in text and "target 22" in text
    assert "n₁" in text and "n₂" in text and "dead" not in text


def test_an_edge_shows_its_weights_size_and_sign_without_colour():
    assert edge_glyph(8.0, 8.0) == "━" and edge_glyph(-6.0, 8.0) == "━"
    assert edge_glyph(3.0, 8.0) == "─" and edge_glyph(-0.5, 8.0) == "┄" and edge_glyph(0.0, 0.0) == "┄"
    assert edge_glyph(float("nan"), 1.0) == "┄"
    assert edge_label(5.0) == "+5" and edge_label(-0.5) == "-0.5" and edge_label(0.0) == "0"
    lines = plain(figure(SEED0, width=76))
    row = {label: line for line in lines for label in ("-0.005294", "+0.3793", "-0.582", "-0.5204")
           if f" {label} " in line}
    assert "┄┄ -0.005294 ┄┄" in row["-0.005294"]  # tiny beside the largest |w|, 0.582
    assert "── +0.3793 ──" in row["+0.3793"]
    assert "━━ -0.582 ━━" in row["-0.582"] and "━━ -0.5204 ━━" in row["-0.5204"]
    # the edges and the numbers in the sums are the weights' green; negative edges' lines dimmer
    fig = figure(SEED0, width=76)
    styles = {line.plain[s.start:s.end].strip(): str(s.style) for line in fig.lines() for s in line.spans}
    assert WEIGHT in styles["-0.582"] and WEIGHT in styles["0.3793"]


def test_the_2x2_figure_with_negative_weights_and_a_dead_neuron_fits_80_columns_in_6_rows():
    fig = figure(SEED0, width=76)  # 80 columns less the panel's border and padding
    lines = plain(fig)
    assert fig.height == len(lines) <= SMALL_ROWS
    assert all(len(line) <= 76 for line in lines)
    text = "\n".join(lines)
    # nothing cut: each sum whole (wrapped between terms), the targets and the dead mark there
    assert "Σ = 1×(-0.005294) + 2×0.3793 - 0.2723" in text.replace("\n", " ") or \
        "Σ = 1×(-0.005294) + 2×0.3793 - 0.2723 = 0.481" in text
    assert "= 0.481" in text and "→ relu → 0.481" in text and "target 19" in text
    assert "Σ = 1×(-0.582) + 2×(-0.5204) + 0.1896" in text and "= -1.433 → relu → 0" in text
    assert "target 22" in text
    assert "dead" in text and "z ≤ 0 on every sample" in text
    dead_row = next(line for line in lines if "dead" in line and "━" in line)
    assert "-0.5204" in dead_row  # the mark sits in neuron 2's rows


def test_the_1x1_figure_is_small_and_names_the_sample():
    fig = figure(TRIPLE, sample=1, width=76)
    lines = plain(fig)
    assert fig.height <= SMALL_ROWS and all(len(line) <= 76 for line in lines)
    assert "sample 2/4" in lines[0]
    text = "\n".join(lines)
    assert "x₁ 2" in text and " -0.007487 " in text
    assert "2×(-0.007487) + 0.5364" in text and "target 6" in text


def test_the_app_test_sees_triples_arithmetic_on_one_line_at_100_columns():
    layer = LayerView(inputs=TRIPLE.inputs, weight=((3.0,),), bias=(0.0,),
                      pre_activation=((3.0,), (6.0,), (9.0,), (12.0,)),
                      outputs=((3.0,), (6.0,), (9.0,), (12.0,)), targets=TRIPLE.targets)
    block = figure(layer, sample=1, width=96).blocks[0]
    assert "2×3 + 0 = 6 → relu → 6" in block.arithmetic.plain


def test_the_probe_shows_its_own_numbers_and_no_target():
    probe = ProbeView(inputs=(0.5, -1.0), pre_activation=(-0.38, 0.86), outputs=(0.0, 0.86))
    fig = figure(SEED0, probe=probe, width=76)
    lines = plain(fig)
    text = "\n".join(lines)
    assert "probe (not in the batch)" in lines[0] and "sample" not in lines[0]
    assert "x₁ 0.5" in text and "x₂ -1" in text
    assert "0.5×(-0.005294) + (-1)×0.3793 - 0.2723" in text.replace("\n        ", " ").replace("\n", " ") \
        or "0.5×(-0.005294)" in text
    assert "= -0.38" in text and "= 0.86 → relu → 0.86" in text
    assert "target" not in text
    assert "dead" in text  # neuron 2 is dead over the batch, whatever the probe gives
    assert all(len(line) <= 76 for line in lines) and fig.height <= SMALL_ROWS


def test_the_selected_weight_or_bias_is_reversed_on_its_edge_and_in_its_sum():
    def marked(layer, selected):
        return sorted(reversed_pieces(figure(layer, selected=selected, width=76)))

    assert marked(FIGURE, (0, 1)) == ["+7", "7"]  # its edge, and its number in n₁'s sum
    assert marked(FIGURE, (1, 0)) == ["+6", "6"]
    assert marked(FIGURE, (1, 2)) == ["0"]  # neuron 2's bias: in its sum only
    assert marked(SEED0, (1, 1)) == ["(-0.5204)", "-0.5204"]


def test_wrapping_breaks_between_terms_only():
    fig = figure(SEED0, width=56)  # the narrowest the app allows
    for line in plain(fig):
        assert len(line) <= 56
    right = "\n".join(block.arithmetic.plain for block in fig.blocks)
    for number in ("(-0.005294)", "0.3793", "0.2723", "(-0.582)", "(-0.5204)", "0.1896", "-1.433"):
        assert number in right


def test_a_middling_layer_is_drawn_whole_within_the_row_bound():
    fig = figure(random_layer(3, 3), width=76)
    assert not fig.summarised and fig.height <= FULL_ROWS
    assert all(len(line) <= 76 for line in plain(fig))
    assert len(fig.blocks) == 3


def test_large_layers_are_summarised_within_bounds_at_any_width():
    for n_in, n_out in ((16, 16), (16, 1), (1, 16), (4, 3), (8, 8)):
        layer = random_layer(n_in, n_out)
        for width in (56, 76, 116):
            for selected in ((0, 0), (n_out - 1, n_in), (n_out // 2, n_in // 2)):
                fig = figure(layer, selected=selected, width=width)
                lines = plain(fig)
                assert fig.height == len(lines) <= FULL_ROWS, (n_in, n_out, width)
                assert all(len(line) <= width for line in lines), (n_in, n_out, width, lines)
    fig = figure(random_layer(16, 16), selected=(3, 9), width=76)
    text = "\n".join(plain(fig))
    assert fig.summarised and "weights into n₄ of 16" in text
    assert "x₁₀" in text and "more inputs" in text and "other neurons" in text
    assert reversed_pieces(fig)[0].strip("+-") in text  # the selected weight is among the drawn


def test_wrap_keeps_tokens_whole():
    from rich.text import Text
    lines = wrap([Text("Σ = 1×5"), Text(" + 2×7"), Text(" + 0"), Text(" = 19")], 10)
    assert [line.plain for line in lines] == ["Σ = 1×5", "  + 2×7", "  + 0 = 19"]


class DiagramApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.picked: list[tuple[int, int]] = []

    def compose(self) -> ComposeResult:
        yield NeuronDiagram()

    def on_neuron_diagram_selected(self, message: NeuronDiagram.Selected) -> None:
        self.picked.append((message.neuron, message.index))


def _cell_of(fig, piece: str, occurrence: int = 0) -> tuple[int, int]:
    """(x, y) in the figure of the `occurrence`th appearance of `piece`."""
    seen = 0
    for y, line in enumerate(fig.lines()):
        start = 0
        while (x := line.plain.find(piece, start)) >= 0:
            if seen == occurrence:
                return x, y
            seen += 1
            start = x + 1
    raise AssertionError(piece)


async def test_the_widget_shows_the_figure_and_posts_selected_on_a_click():
    app = DiagramApp()
    async with app.run_test(size=(80, 24)) as pilot:
        diagram = app.query_one(NeuronDiagram)
        await diagram.show(FIGURE)
        await pilot.pause()
        neurons = [str(node.render()) for node in app.query(OutputNeuron)]
        assert len(neurons) == 2 and "1×5 + 2×7 + 0 = 19 → relu → 19" in neurons[0]
        fig = diagram.figure
        x, y = _cell_of(fig, "+7")  # the edge of w₁₂
        await pilot.click(NeuronDiagram, offset=(x + 1, y))
        x, y = _cell_of(fig, "×8")  # w₂₂ in neuron 2's sum
        await pilot.click(NeuronDiagram, offset=(x + 1, y))
        x, y = _cell_of(fig, " + 0", 1)  # neuron 2's bias
        await pilot.click(NeuronDiagram, offset=(x + 3, y))
        x, y = _cell_of(fig, "x₁")  # an input: not a weight
        await pilot.click(NeuronDiagram, offset=(x, y))
        await pilot.pause()
        assert app.picked == [(0, 1), (1, 1), (1, 2)]

        # the next sample and the selection update the text; a bigger layer rebuilds the rows
        diagram.selected = (1, 0)
        diagram.next_sample()
        await pilot.pause()
        assert "3×6 + 4×8 + 0 = 50 → relu → 50" in str(app.query(OutputNeuron)[1].render())
        await diagram.show(random_layer(3, 3))
        await pilot.pause()
        assert len(app.query(OutputNeuron)) == 3
        assert diagram.sample == 1
        await diagram.show(random_layer(16, 16))
        await pilot.pause()
        assert len(app.query(OutputNeuron)) == 1
        assert diagram.region.height <= FULL_ROWS
        probe = ProbeView(inputs=(0.5, -1.0), pre_activation=(-0.38, 0.86), outputs=(0.0, 0.86))
        await diagram.show(SEED0, probe)
        await pilot.pause()
        shown = "\n".join(str(node.render()) for node in app.query(OutputNeuron))
        assert "0.86 → relu → 0.86" in shown and "target" not in shown
        assert diagram.region.height <= SMALL_ROWS
