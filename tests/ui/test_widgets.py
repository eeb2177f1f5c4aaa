"""The widgets' pure renderers, checked without an app or torch."""

from __future__ import annotations

import math

from scratchnn_tui.training.snapshot import Frame, LayerView, Snapshot
from scratchnn_tui.ui.numbers import INPUT, WEIGHT, fmt, sub
from scratchnn_tui.ui.widgets.loss_chart import (GAP, LOG_FLOOR, caption, chart_layout, chart_values,
                                                 drawn_losses, epoch_axis, epoch_span, value_labels)
from scratchnn_tui.ui.widgets.matrix_form import flow, matrix_block, matrix_form_blocks
from scratchnn_tui.ui.widgets.neuron_diagram import input_text, neuron_text
from scratchnn_tui.ui.widgets.status_line import status_text

from layer_figures import FIGURE

def snapshot(**changes) -> Snapshot:
    fields = dict(task="seed-2x2", task_title="figure", optimizer="SGD", optimizer_key="sgd",
                  lr=0.005, device="cpu", seed=8, epoch=3, loss=0.25, losses=(4.0, 1.0, 0.5, 0.25),
                  loss_bucket=1, loss_first=4.0, loss_lowest=0.25, layer=FIGURE, solved_available=True)
    fields.update(changes)
    return Snapshot(**fields)


def test_fmt_is_short_and_exact_for_whole_numbers():
    assert fmt(19.0) == "19"
    assert fmt(-3.0) == "-3"
    assert fmt(0.123456) == "0.1235"
    assert fmt(float("nan")) == "nan" and fmt(float("inf")) == "inf"
    assert fmt(2.5e7) == "2.5e+07"
    assert sub(12) == "₁₂"


def test_neuron_text_is_the_seed_arithmetic_with_colours():
    top = neuron_text(FIGURE, 0, 0)
    assert top.plain.startswith("n₁  1×5 + 2×7 + 0 = 19 → relu → 19")
    lower = neuron_text(FIGURE, 1, 0)
    assert "1×6 + 2×8 + 0 = 22 → relu → 22" in lower.plain
    styles = {top.plain[span.start:span.end]: str(span.style) for span in top.spans}
    assert styles["1"] == INPUT and styles["5"] == WEIGHT and "bold" in styles["19"]
    assert str(input_text(0, 1.0).spans[0].style) == INPUT


def test_neuron_text_writes_negative_numbers_unambiguously_and_flags_a_dead_neuron():
    layer = LayerView(inputs=((2.0,),), weight=((-0.5,),), bias=(-1.0,), pre_activation=((-2.0,),),
                      outputs=((0.0,),), targets=((6.0,),))
    text = neuron_text(layer, 0, 0).plain
    assert "2×(-0.5) - 1 = -2 → relu → 0" in text
    assert "dead" in text
    assert "dead" not in neuron_text(FIGURE, 0, 0).plain


def test_matrix_form_shows_transposed_weights_and_the_figure_results():
    text = flow(matrix_form_blocks(FIGURE), width=200).plain
    lines = text.splitlines()
    assert len(lines) == 3  # titles and two rows: everything fits on one band
    assert "Wᵀ" in lines[0] and "Z = XWᵀ+b" in lines[0] and "A = relu(Z)" in lines[0]
    # Wᵀ's first row is W's first column: 5 6, then 7 8.
    assert "⎡ 5  6 ⎤" in lines[1] and "⎣ 7  8 ⎦" in lines[2]
    assert "⎡ 19  22 ⎤" in lines[1] and "⎣ 43  50 ⎦" in lines[2]


def test_matrix_form_wraps_when_narrow_and_keeps_operators_with_their_matrix():
    narrow = flow(matrix_form_blocks(FIGURE), width=40).plain.splitlines()
    assert len(narrow) > 3
    assert all(len(line) <= 40 for line in narrow)
    assert not any(line.rstrip().endswith(("·", "+", "=", "→")) for line in narrow)


def test_matrix_block_brackets():
    single = matrix_block("b", ((1.0, 2.0),), "")
    assert single[1].plain == "[ 1  2 ]"
    tall = matrix_block("X", ((1.0,), (2.0,), (3.0,)), "")
    assert [line.plain[0] for line in tall[1:]] == ["⎡", "⎢", "⎣"]


def test_chart_values_drop_non_finite_and_use_log_scale():
    losses = [100.0, float("nan"), 1.0, float("inf"), 0.0]
    assert chart_values(losses, log_scale=False) == [100.0, 1.0, 0.0]
    assert chart_values(losses, log_scale=True) == [2.0, 0.0, -1.0]  # 0: a decade below the lowest
    assert chart_values([0.0, 0.0], log_scale=True) == [math.log10(LOG_FLOOR)] * 2
    text = caption(snapshot(losses=tuple(losses), epoch=4, loss=0.0, loss_first=100.0, loss_lowest=0.0), True)
    assert "2 non-finite not drawn" in text
    assert "first 100  min 0  last 0" in text
    assert text.startswith("log scale, 4 epochs")
    assert "worst of" not in text
    short = caption(snapshot(losses=(3.0, 1.0), epoch=1, loss=1.0, loss_first=3.0, loss_lowest=1.0), False)
    assert short.startswith("linear scale, 1 epoch ·")
    long = caption(snapshot(epoch=10**6, loss_bucket=512), True)
    assert "a point is the worst of 512 epochs" in long


def test_status_line_names_epoch_loss_optimizer_lr_and_device():
    text = status_text(Frame(snapshot(), running=False, seq=1)).plain
    for part in ("Epoch 3", "loss 0.25", "SGD lr 0.005", "cpu", "paused"):
        assert part in text
    running = status_text(Frame(snapshot(device="cuda:0", optimizer="Solved"), running=True, seq=2)).plain
    assert "running" in running and "cuda:0" in running and "Solved" in running
    assert "Loading PyTorch" in status_text(None).plain
    assert len(text) <= 78  # fits an 80-column terminal inside its padding


def test_chart_values_bucket_exactly_as_textual_sparkline_does():
    from textual.renderables.sparkline import Sparkline as SparklineRenderable

    data = [float((k * 37) % 101) for k in range(1000)]
    for width in (7, 96, 999):
        expected = [max(bucket) for bucket in SparklineRenderable._buckets(data, width)]
        assert chart_values(data, log_scale=False, width=width) == expected
    assert chart_values(data[:5], log_scale=False, width=96) == data[:5]  # short data untouched


def test_chart_layout_gives_each_point_one_column_while_they_fit():
    layout = chart_layout(snapshot(), log_scale=True, width=80, height=8)
    assert layout.columns == 4 and not layout.fill  # the losses after epochs 0 to 3
    assert layout.values == chart_values((4.0, 1.0, 0.5, 0.25), log_scale=True)
    # the caption, six rows of bars, the epochs; the real losses beside the top and bottom rows
    assert layout.labels == ["   4", *["    "] * 4, "0.25"]
    assert layout.axis == "epochs 0–3" and layout.indent == 4 + GAP  # too narrow for two labels


def test_chart_layout_fills_the_room_and_buckets_once_points_outnumber_columns():
    from textual.renderables.sparkline import Sparkline as SparklineRenderable

    losses = tuple(50.0 / (1 + k) + (k % 7) / 100 for k in range(1000))
    layout = chart_layout(snapshot(losses=losses, epoch=999, loss_lowest=min(losses)), True, 60, 6)
    label_width = len(layout.labels[0])
    assert layout.fill and layout.columns == 60 - label_width - GAP == len(layout.values)
    assert layout.labels[0] == "50".rjust(label_width)  # the real loss, not its logarithm
    assert layout.labels[-1].strip() == fmt(min(drawn_losses(losses, layout.columns)))
    assert layout.indent == label_width + GAP and layout.axis.startswith("epoch 0 ")
    assert layout.axis.endswith(" epoch 999") and len(layout.axis) == layout.columns  # to the last

    # one value a column: Textual's Sparkline, cutting them into that many buckets, keeps each alone
    buckets = SparklineRenderable._buckets(layout.values, layout.columns)
    assert [list(bucket) for bucket in buckets] == [[value] for value in layout.values]


def test_chart_layout_keeps_non_finite_losses_from_the_sparkline_and_the_labels():
    losses = (float("nan"), 8.0, float("inf"), 2.0, float("-inf"))
    layout = chart_layout(snapshot(losses=losses, epoch=4), log_scale=False, width=80, height=5)
    assert layout.values == [8.0, 2.0] and layout.columns == 2
    assert [line.strip() for line in layout.labels] == ["8", "", "2"]
    assert layout.axis == "epochs 1–3"  # the drawn points' epochs
    empty = chart_layout(snapshot(losses=(), epoch=0), log_scale=True, width=80, height=5)
    assert empty.values == [] and empty.columns == 0 and empty.axis == ""


def test_chart_layout_labels_line_up_at_every_width():
    losses = tuple(10.0 if k % 2 == 0 else 1 + k / 1000 for k in range(300))
    for width in range(12, 120, 7):
        for height in (2, 3, 4, 9):
            layout = chart_layout(snapshot(losses=losses, epoch=299), True, width, height)
            label_width = len(layout.labels[0])
            assert {len(line) for line in layout.labels} == {label_width}
            assert len(layout.labels) == max(height - 1 - (height >= 4), 1)
            assert label_width + GAP + layout.columns <= width
            assert (layout.axis is None) == (height < 4)
            assert len(layout.values) == layout.columns
            drawn = drawn_losses(losses, layout.columns)
            assert layout.labels[-1].strip() == fmt(min(drawn))
            if height > 2 and min(drawn) != max(drawn):
                assert layout.labels[0].strip() == "10"


def test_value_labels_mark_the_top_and_bottom_rows_with_real_losses():
    assert value_labels([100.0, 1.0, 0.0], rows=4) == ["100", "   ", "   ", "  0"]
    assert value_labels([49.77], rows=3) == ["49.77", "     ", "     "]  # one full-height bar
    assert value_labels([0.5, 0.5], rows=3) == ["   ", "   ", "0.5"]  # equal: all on the bottom
    assert value_labels([3.0, 1.0], rows=1) == ["3"]
    assert value_labels([], rows=2) == ["", ""]


def test_epoch_span_covers_the_run_and_epoch_axis_writes_it():
    assert epoch_span((4.0, 2.0, 1.0), bucket=1, epoch=2) == (0, 2)
    assert epoch_span((4.0, 2.0, 1.0), bucket=512, epoch=1100) == (0, 1100)  # down-sampled
    assert epoch_span((float("nan"), 2.0, 1.0, float("nan")), bucket=4, epoch=15) == (4, 11)
    assert epoch_span((float("nan"),), bucket=1, epoch=0) is None
    assert epoch_axis((0, 0), columns=1, room=50) == "epoch 0"
    assert epoch_axis((0, 2), columns=3, room=50) == "epochs 0–2"
    assert epoch_axis((0, 25), columns=26, room=50) == "epoch 0" + " " * 11 + "epoch 25"
    assert epoch_axis((0, 1100), columns=5, room=8) == "epochs 0"
    assert epoch_axis(None, columns=0, room=50) == ""


def test_status_line_shows_steps_per_second_only_while_running():
    running = status_text(Frame(snapshot(), running=True, seq=3, steps_per_second=2468.4)).plain
    assert "cpu 2,468 steps/s" in running
    assert "steps/s" not in status_text(Frame(snapshot(), running=False, seq=4)).plain


def test_pace_lets_a_running_part_through_once_per_interval_and_a_paused_one_or_a_runs_first_always():
    from scratchnn_tui.ui.paced import Pace

    pace = Pace(0.1)
    assert pace.due(0.0, running=True)
    assert not pace.due(0.05, running=True)
    assert pace.due(0.05, running=False)
    assert pace.due(0.06, running=True)  # the first frame of a run follows a key at once
    assert not pace.due(0.1, running=True)
    assert pace.due(0.161, running=True)
