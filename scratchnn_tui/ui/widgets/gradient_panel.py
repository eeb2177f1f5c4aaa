"""The gradient panel: why the selected weight moved, with the real numbers of the last update.

For the selected weight w = W[j, i] (or bias b[j]) and the last update a user stepped:
- the chain rule, sample by sample: ∂L/∂w = Σ 2(a − y)·relu′(z)·x / numel (and, in a line, why
  2(a − y) and the divisor: the derivative of a mean of squares), the x being 1 for a
  bias, then the gradient autograd left in `.grad` beside it and their difference;
- the update the optimizer made from it: SGD's Δw = −lr·∂L/∂w, momentum's velocity, Adam's
  moments, or `Solved`, which ignores the gradient;
- the weight before and after.
Every number comes from the snapshot (`UpdateView`): the widget only writes them out.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ...training.snapshot import NumberUpdate, UpdateView, number_name
from ..numbers import INPUT, OUTPUT, TARGET, WEIGHT, fmt, sub

MAX_TERMS = 4  # samples written out in the chain rule; the rest are "…"
AGREE = 1e-6   # hand and autograd agree below this difference


def signed(value: float) -> str:
    return ("+" if value > 0 else "") + fmt(value)


def factor(value: float) -> str:
    """A number as a factor: negative ones in brackets, `× (-38.61)`."""
    return f"({fmt(value)})" if value < 0 else fmt(value)


def selected_name(update: UpdateView, neuron: int, index: int) -> str:
    """`w₁₂` (neuron 1's weight on input 2) or `b₁`, counting from 1."""
    return number_name(neuron, index, len(update.inputs[0]))


def number_of(update: UpdateView, neuron: int, index: int) -> NumberUpdate:
    n_in = len(update.inputs[0])
    return update.bias[neuron] if index >= n_in else update.weight[neuron][index]


def chain_rule(update: UpdateView, neuron: int, index: int) -> Text:
    """`∂L/∂w₁₁ = Σ 2(a − y)·relu′(z)·x / 4 = (2·(0.886 − 3)·1·1 + …)/4 = −38.61`; for a layer
    below the output, the chain through the layers above (`hidden_chain_rule`)."""
    if not update.is_output:
        return hidden_chain_rule(update, neuron, index)
    name = selected_name(update, neuron, index)
    is_bias = index >= len(update.inputs[0])
    batch, outputs = len(update.inputs), len(update.targets[0])
    numel = batch * outputs
    divisor = f"{numel}" if outputs == 1 else f"({batch}·{outputs})"
    slope = "relu′(z)" if update.relu else "1"
    text = Text(f"∂L/∂{name} = Σ 2(a − y)·{slope}·{'1' if is_bias else 'x'} / {divisor} = (")
    for s in range(min(batch, MAX_TERMS)):
        if s:
            text.append(" + ")
        a, y, z = update.outputs[s][neuron], update.targets[s][neuron], update.pre_activation[s][neuron]
        text.append("2·(")
        text.append(fmt(a), style=OUTPUT)
        text.append(" − ")
        text.append(fmt(y), style=TARGET)
        text.append(f")·{1 if (z > 0 or not update.relu) else 0}·")
        text.append("1" if is_bias else factor(update.inputs[s][index]), style="" if is_bias else INPUT)
    if batch > MAX_TERMS:
        text.append(f" + … {batch - MAX_TERMS} more")
    text.append(f")/{divisor} = ")
    text.append(fmt(number_of(update, neuron, index).by_hand), style="bold")
    return text


def loss_slope_line(update: UpdateView) -> Text:
    """Where the chain rule's 2(a − y) and its divisor come from: the loss is the mean of the
    squares (a − y)², one a sample and output, and a square's slope is twice what is squared."""
    batch, outputs = len(update.inputs), len(update.targets[0])
    count = f"{batch * outputs}" if outputs == 1 else f"{batch}·{outputs} = {batch * outputs}"
    return Text(f"2(a − y) is the slope of (a − y)²; /{batch * outputs}: L is the mean of {count} squares",
                style="dim")


def hidden_chain_rule(update: UpdateView, neuron: int, index: int) -> Text:
    """A hidden neuron has no target: its output a reaches the loss through every neuron of the
    layer above, so ∂L/∂a is what comes down from there, Σₘ ∂L/∂z′ₘ·w′ₘⱼ, and then

        ∂L/∂w = Σ over samples ∂L/∂a·relu′(z)·x

    Two lines: the sum over samples with ∂L/∂a's numbers, then where the first sample's ∂L/∂a
    came from, with the layer above's numbers (z′, w′ before the update)."""
    name = selected_name(update, neuron, index)
    is_bias = index >= len(update.inputs[0])
    layer = update.layers[update.layer_index]
    above = update.above
    batch = len(update.inputs)
    a_name = f"a{sub(neuron + 1)}"
    slope = "relu′(z)" if update.relu else "1"
    text = Text(f"∂L/∂{name} = Σ ∂L/∂{a_name}·{slope}·{'1' if is_bias else 'x'} = ")
    for s in range(min(batch, MAX_TERMS)):
        if s:
            text.append(" + ")
        z = update.pre_activation[s][neuron]
        text.append(f"{factor(layer.d_outputs[s][neuron])}·{1 if (z > 0 or not update.relu) else 0}·")
        text.append("1" if is_bias else factor(update.inputs[s][index]), style="" if is_bias else INPUT)
    if batch > MAX_TERMS:
        text.append(f" + … {batch - MAX_TERMS} more")
    text.append(" = ")
    text.append(fmt(number_of(update, neuron, index).by_hand), style="bold")
    k = update.layer_index + 2  # the layer above, counting from 1
    down = Text(f"∂L/∂{a_name} comes down from layer {k}: Σₘ ∂L/∂z′ₘ·w′ₘ{sub(neuron + 1)}; sample 1: ")
    terms = [(above.d_pre[0][m], above.weight[m][neuron].before) for m in range(len(above.bias))]
    for m, (dz, w) in enumerate(terms[:MAX_TERMS]):
        if m:
            down.append(" + ")
        down.append(f"{factor(dz)}×")
        down.append(factor(w), style=WEIGHT)
    if len(terms) > MAX_TERMS:
        down.append(f" + … {len(terms) - MAX_TERMS} more")
    down.append(f" = {fmt(layer.d_outputs[0][neuron])}")
    return Text("\n").join([text, down])


def autograd_line(number: NumberUpdate) -> Text:
    difference = abs(number.by_hand - number.autograd)
    mark = "✓" if difference < AGREE else "✗ (they disagree)"
    shown = "0" if difference == 0 else f"{difference:.1e}"
    return Text(f"autograd's .grad {fmt(number.autograd)} · difference {shown} {mark}")


def update_line(update: UpdateView, neuron: int, index: int) -> Text:
    """How the optimizer turned the gradient into a step, with its own numbers."""
    name = selected_name(update, neuron, index)
    number = number_of(update, neuron, index)
    settings = dict(update.settings)
    g, step = number.by_hand, number.after - number.before
    lr = settings.get("lr", math.nan)
    if update.optimizer_key == "solved":
        return Text(f"Solved ignores the gradient: {name} ← {fmt(number.after)}, the known answer")
    state_before, state_after = dict(number.state_before), dict(number.state_after)
    if "momentum_buffer" in state_after:
        mu, velocity = settings.get("momentum", 0.0), state_after["momentum_buffer"]
        previous = state_before.get("momentum_buffer")
        first = ("(the first step: b = ∂L/∂w)" if previous is None
                 else f"= {fmt(mu)} × {factor(previous)} + {factor(g)}")
        return Text(f"velocity b = μ·b′ + ∂L/∂{name} {first} = {fmt(velocity)}; "
                    f"Δ{name} = −lr·b = −{fmt(lr)} × {factor(velocity)} = {signed(step)}")
    if "exp_avg" in state_after:
        t = state_after.get("step", 1.0)
        b1, b2, eps = settings.get("beta1", 0.9), settings.get("beta2", 0.999), settings.get("eps", 1e-8)
        m_hat = state_after["exp_avg"] / (1 - b1 ** t)
        v_hat = state_after["exp_avg_sq"] / (1 - b2 ** t)
        return Text(f"Adam, step t = {fmt(t)}: m̂ = m/(1 − β₁ᵗ) = {fmt(m_hat)}, "
                    f"v̂ = v/(1 − β₂ᵗ) = {fmt(v_hat)}; Δ{name} = −lr·m̂/(√v̂ + ε) = "
                    f"−{fmt(lr)} × {factor(m_hat)}/{fmt(math.sqrt(v_hat) + eps)} = {signed(step)}")
    return Text(f"SGD: Δ{name} = −lr·∂L/∂{name} = −{fmt(lr)} × {factor(g)} = {signed(step)}")


def gradient_text(update: UpdateView | None, neuron: int, index: int, epoch: int) -> Text:
    """The panel's whole text for the selected number, `epoch` being the session's now."""
    if update is None:
        return Text("Press space: the gradient of the selected weight and the update it made "
                    "appear here, with the real numbers.", style="dim")
    neuron = min(neuron, len(update.bias) - 1)
    index = min(index, len(update.inputs[0]))
    number = number_of(update, neuron, index)
    name = selected_name(update, neuron, index)
    where = f" of layer {update.layer_index + 1}" if len(update.layers) > 1 else ""
    title = Text(f"{name}{where}, the update of epoch {update.epoch} ({update.optimizer})", style="bold")
    if epoch != update.epoch + 1:
        title.append(" · more epochs ran since: space shows the next update", style="dim")
    moved = Text(f"{name} ")
    moved.append(fmt(number.before), style=WEIGHT)
    moved.append(" → ")
    moved.append(fmt(number.after), style=WEIGHT)
    why = [loss_slope_line(update)] if update.is_output else []  # a hidden layer's comes down from above
    return Text("\n").join([title, chain_rule(update, neuron, index), *why, autograd_line(number),
                            update_line(update, neuron, index), moved])


class GradientPanel(Widget):
    """The selected number's gradient and update; `show` gives it a snapshot's update."""

    DEFAULT_CSS = "GradientPanel { height: auto; }"

    selected: reactive[tuple[int, int]] = reactive((0, 0))
    """(neuron, index): the weight W[neuron, index], or the bias when index is the input count."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._update: UpdateView | None = None
        self._epoch = 0

    def show(self, update: UpdateView | None, epoch: int) -> None:
        """Show `update` at the session's `epoch`; redrawn only when what it says changes (a
        new update, or more epochs since it), not at every frame of a run."""
        stale = update is not None and epoch != update.epoch + 1
        was_stale = self._update is not None and self._epoch != self._update.epoch + 1
        # Compared by value: each frame from the training process brings its own copy.
        changed = update != self._update or stale != was_stale
        self._update, self._epoch = update, epoch
        if changed:
            self.refresh(layout=True)

    def watch_selected(self) -> None:
        self.refresh(layout=True)

    def rows_for(self, width: int) -> int:
        """The rows the panel takes at `width` columns, its long chain rule wrapped."""
        return len(self.render().wrap(self.app.console, max(width, 1)))

    def render(self) -> Text:
        neuron, index = self.selected
        return gradient_text(self._update, neuron, index, self._epoch)
