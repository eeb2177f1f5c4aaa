"""The help screen: what each part of the main screen is, and the keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# scratchnn-tui

One layer of a neural network, written from scratch (`ScratchLinear`, no `nn.Linear`), learning
while you watch: **A = relu(X Wᵀ + b)**.

**The lesson.** `a` (or `scratchnn-tui --lesson [N]`) walks the article's order in ten steps:
one neuron (19), both (19 and 22), the batch of two (19, 22, 43, 50), W stored and transposed,
the layer as an `nn.Module`, the fake optimizer `Solved`, SGD and the race, zero weights,
what Solved skips, and a hidden layer for xor. Each step is a session of its own, set up for
it, with one thing to try, ticked ✓ once done; `pagedown` goes on, `pageup` back, `escape`
leaves, and your own session comes back exactly as it was (a quit in the lesson saves yours).

**The code view.** `s` shows the core's own lines behind the numbers, read from the installed
files: `ScratchLinear.forward` with this moment's X, W, b and Z (and `nn.Linear`'s Z from the
same numbers beside it), the lines of `core/backward.py` that compute the selected weight's
gradient, and the optimizer's `step` with its state; each value ◂ beside the line that made it.
`escape` closes it.

**Neuron diagram.** The layer drawn as a diagram, for one sample of the batch: the *inputs*
(red) on the left, one edge per *weight* (green, its value and sign written on it) from each
input into each neuron, then the neuron's weighted sum Σ = x₁×w₁ + … + b, relu, and its
*output* (bold) beside the target it should reach. An edge's line tells its size against the
layer's largest weight: ━ two thirds or more, ─ a third or more, ┄ less. A neuron marked *dead*
has z ≤ 0 on every sample: relu's slope there is 0, so no gradient reaches it and gradient
descent cannot move it. `n` shows the next sample; a click on a weight selects it. A layer too
big to draw whole shows the edges into the selected neuron and the others in one line.

**Deeper networks.** `--hidden 8` (or `4,3`; also in the settings, `e`) puts hidden layers
between the inputs and the outputs: a ReLU after each hidden layer, a linear output layer.
The panels show one layer at a time: `[` goes down towards the inputs, `]` up towards the
outputs (the panel's title says which, `Layer 1 of 2 (hidden, 2→4)`). A hidden layer's inputs
are the outputs of the layer below (a₁, a₂, …); it has no targets: its gradient comes down
from the layer above, ∂L/∂a = Σₘ ∂L/∂z′ₘ·w′ₘ, and the gradient panel writes that sum out with
the numbers. `xor` needs a hidden layer; one layer cannot fit it.

**Matrix form.** The same layer for the whole batch at once, as one matrix product:
X · Wᵀ + b = Z, then A = relu(Z). Above it, W as the layer stores it, out × in as PyTorch
stores it (row j: neuron j's weights), hence the ᵀ: X Wᵀ puts each sample's sums in a row of Z.
A long batch (your own data, `--data FILE.csv`) shows 8 rows at a time; `n` turns the page.

**Gradient.** Why the selected weight moved (`←`/`→` along a neuron's weights, then its bias;
`↑`/`↓` between neurons), for the last epoch you stepped with `space`: the chain rule with the
real numbers, ∂L/∂w = Σ 2(a − y)·relu′(z)·x / numel (x is 1 for a bias; relu′(z) is 1 where z > 0,
else 0), the gradient autograd left in `.grad` beside it, the update the optimizer made from it
(SGD: Δw = −lr·∂L/∂w; momentum: a velocity; Adam: its moments m̂ and v̂), and the weight before
and after. Shown from 100×30 up; `g` shows or hides it.

**Function.** What the network computes, drawn over its data, live (`f`). One input: its
output y as a curve (braille dots) over a range that covers the data, the origin and a margin,
the data as ●, the task's true function as ∙ (`triple`: 3x, `square`: x²). With one hidden layer
each unit's term vₖ·relu(wₖx + bₖ) as ·, the selected unit's as •, and its joint ▲ under the
plot at x = −bₖ/wₖ (✗: a dead unit, 0 on every sample): y is their sum plus the output's bias,
straight between joints. Two inputs: one neuron's output over the plane as a heat map, its scale's
two ends written as numbers (under NO_COLOR in shading ` ░▒▓█`, darker is lower), the samples as
their targets, and ╱ where each first-layer unit switches on (w·x + b = 0). `↑`/`↓` choose the
neuron, `[`/`]` its layer (a hidden neuron's map). More inputs: the curve along the selected
input, the others at their mean. A probe (`p`) is ◆. From 120 columns it is beside the layer and
`f` hides it; below, `f` shows it in place of the layer's panels and `f` again puts them back.
`F` writes its numbers to a CSV file (as `--fit-csv` does).

**Loss surface.** Where the optimizer walks (`v`): the loss over two parameters as a heat map,
shaded on a log scale whose two ends are written as numbers (under NO_COLOR in ` ░▒▓█`, darker
is lower), the path the weights took, a • an epoch joined by a line, ◉ where they are now, ○ the
task's answer (`triple`: w₁₁ = 3, b₁ = 0), and an arrow to where the next epoch's update will put
them, with its size in numbers (SGD: −lr·∂L/∂θ; momentum: −lr·v; Adam: about lr a number;
Solved: one jump to the answer). `triple` has two numbers, w₁₁ and b₁, so its map is the whole
loss; a larger network's is a slice through the selected number and its neuron's bias, every
other number held where it is now (`←→↑↓`, `[`/`]` choose it). The window holds still while the
path stays in it and grows when the path leaves; `b` moves the point back along the path. In the
race (`x`) with `v` on, every optimizer's path from the same start on one map, each in its own
mark (• SGD, ∘ momentum, × Adam, + Solved). `v` again puts back what was there; `V` writes the
grid and the path to a CSV file (as `--surface-csv` does).

**Room.** Each panel on screen is shown whole. When the terminal has too few rows for all of
them, the matrix form and the gradient panel step aside, and the bottom border says which key
brings each back (`m`, `g`); the one you ask for comes first and another gives way. From 120
columns up the loss chart stands in a column of its own beside the layer.

**Step back.** `b` returns to the previous epoch, or to the weights before a number you typed
in, exactly: the weights, the optimizer's state (momentum's velocity, Adam's moments and step
count), the learning rate then, the loss history, the epoch count. `space` afterwards repeats
that epoch bit for bit. Training is deterministic, so the app keeps full copies a few epochs
apart and trains the ones in between again; epochs older than the last 1,000 take up to a second.

**Type a number in.** `enter` opens a field on the selected weight or bias (a click on a weight
in the diagram selects it too). A finite number is taken at once: the outputs and the loss
follow; anything else is refused in place with the reason (`escape` closes the field). An edit
is a step of its own: `b` undoes it, checkpoints keep it, and *Solved* still lands. On `triple`,
w = 3 and b = 0 give loss 0.

**Probe.** `p` asks for an input that is not in the batch (one number per input); the diagram
then shows the network's arithmetic for it, with today's weights: does `triple` answer 30 for
x = 10 once trained? An empty probe goes back to the batch's samples.

**Loss.** The mean squared error between A and the targets after each epoch (one update on the
whole batch), over the whole run. `l` switches between log and linear scale.

**Status line.** Running or paused, the epoch count, the latest loss, the optimizer and its
learning rate, the device the tensors live on (with steps per second while running), the seed.

**When learning stops.** If one update pushes every z of the output layer below 0, every
neuron there is dead: relu′ is 0, no gradient can bring them back, and the loss sits at
mean(Y²). The message line says which epoch's update did it. Zero initial weights (settings,
or `--init zero`) start dead: every z is 0 and relu′(0) = 0. *Solved* still lands.

**If the loss stops being finite**, training pauses at the last epoch whose loss was, keeps
those weights, and says which epoch blew up: lower the learning rate (`-`) or reset (`R`).

**Nothing is lost.** Quitting with unsaved progress saves the session in your state folder
(the line printed on exit says where); `scratchnn-tui --resume last` brings it back.

**What a device costs.** `D` times this network's epoch on every device (on a copy: the
session does not move) and shows the steps per second of each. A tiny layer's epoch is a few
dozen small operations, each paying a fixed fee for a kernel launch and a synchronisation, and a
GPU's fee is the larger, so the cpu wins; a big layer's epoch is arithmetic, where the GPU's many
cores win. `scratchnn-tui bench --sweep` shows from which width.

**Optimizers.** SGD steps each weight against its gradient, scaled by the learning rate.
SGD+momentum and Adam keep state per weight (it moves with them between devices). *Solved* is
the article's fake optimizer: it ignores gradients and sets the weights to the known answer in
one step, which shows that an optimizer is just code that changes the model's named parameters.
Tasks with no known answer (`square`) cannot use it.

**Commands and colours.** `ctrl+p` opens the command palette: every key's action by name (type
`reset`, then `enter`) and *Theme*, which lists Textual's colour themes. The theme you pick (or
name with `--theme`) is remembered for the next start, in your config folder.

**The race.** `x` races them: the session's current weights are copied into one network per
optimizer (SGD, SGD+momentum and Adam, and *Solved* where the task has a known answer for the
network), and each trains the same task on the same data. The board shows each one's learning
rate, loss, its losses as bars (log scale), and the epoch its loss first fell below 1e-3; the
first there is the ★ winner (else the lowest loss). Under each lane, why it moves as it does,
from its own numbers for w₁₁: SGD steps lr × the slope ∂L/∂w₁₁, momentum's velocity adds up the
slopes that agree, Adam's step stays near lr whatever the slope, Solved reads no slope at all. `space`, `r` and `R` step, run and restart
the race; `x` or `escape` leaves it, and the session is back exactly as it was.

| key | does |
|---|---|
| `space` | train one epoch |
| `b` | step back: the previous epoch or edit, exactly |
| `r` | run / pause continuous training |
| `R` | reset: re-draw the weights from the seed, epoch 0 |
| `o` | next optimizer |
| `d` | next device (cpu, cuda:N, mps) |
| `D` | devices: this network's steps/s on each device, and why a GPU is slower on tiny layers |
| `t` | next task |
| `+` / `-` | learning rate ×2 / ÷2 |
| `,` / `.` | run speed slower / faster: 1, 2, 5, 10, 30, 100 epochs a second, or max (the default; on the status line); up to 10 a second every epoch is drawn |
| `e` | settings: learning rate, seed, epochs a run lasts, init, hidden layers (checked as you type) |
| `[` / `]` | a deeper network: show the layer below / above |
| `f` | the function view: the curve or the heat map of what the network computes |
| `F` | write the function view's numbers to a CSV file |
| `v` | the loss surface: the loss over two parameters, the optimizer's path and its next step on it (in the race: every path) |
| `V` | write the loss surface's grid and path to a CSV file |
| `x` | the race: every optimizer from the same weights; `x` or `escape` leaves it |
| `a` | the lesson: the article step by step; `pagedown` / `pageup` next / back, `escape` leaves |
| `s` | the code view: the core's lines behind the numbers, values inline (`escape` closes) |
| `←` `→` `↑` `↓` | select a weight or bias for the gradient panel (or click it in the diagram) |
| `enter` | type the selected weight or bias in (`escape` cancels) |
| `p` | probe: the network's arithmetic for an input you type |
| `g` / `m` | show / hide the gradient panel / the matrix form (the one shown comes first; another may give way) |
| `G` | matrix form: show / hide ∂L/∂Wᵀ and ∂L/∂b of the last stepped update |
| `w` / `L` | save the session to a file / load one (`last`: the autosave) |
| `c` | write the loss history as CSV |
| `n` | show the next sample in the diagram |
| `l` | loss chart: log / linear scale |
| `ctrl+p` | command palette: every action by name, and *Theme* for the colours |
| `ctrl+l` | redraw the whole screen (if something else wrote on the terminal) |
| `?` | this help (`escape` closes it) |
| `q` | quit |
"""


class HelpScreen(ModalScreen[None]):
    """Explains the main screen; any of escape, ? or q closes it."""

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(HELP)

    def action_close(self) -> None:
        self.dismiss(None)
