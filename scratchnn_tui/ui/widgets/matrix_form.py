"""The layer as the maths writes it: X · Wᵀ + b = Z, then A = relu(Z), for the whole batch.

Blocks are laid out left to right and wrap onto a new band when the widget is too narrow, so the
2×2 figure reads on one line at 120 columns and still reads at 80. Above them, `W` as the layer
stores it (out × in, as `nn.Linear` does) with the reason it is used transposed.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ...training.snapshot import LayerView, UpdateView
from ..numbers import INPUT, OUTPUT, TARGET, WEIGHT, fmt, sub

Block = list[Text]  # equal-width lines: a title, then the rows
PAGE_ROWS = 8  # batch rows on screen at once: the built-in tasks' whole batch


def matrix_block(title: str, rows: tuple[tuple[float, ...], ...], style: str,
                 mark: tuple[int, int] | None = None) -> Block:
    """A titled, bracketed matrix, columns right-aligned: ⎡ 1  2 ⎤ over ⎣ 3  4 ⎦; the cell at
    `mark` (row, column) in reverse."""
    cells = [[fmt(v) for v in row] for row in rows]
    widths = [max(len(row[c]) for row in cells) for c in range(len(cells[0]))]
    n = len(cells)
    lines = []
    for r, row in enumerate(cells):
        left, right = ("[", "]") if n == 1 else ("⎡", "⎤") if r == 0 else ("⎣", "⎦") if r == n - 1 else ("⎢", "⎥")
        body = Text(left + " ")
        for c, (cell, w) in enumerate(zip(row, widths)):
            if c:
                body.append("  ")
            body.append(cell.rjust(w), style=style + (" reverse" if mark == (r, c) else ""))
        body.append(" " + right)
        lines.append(body)
    width = max(len(title), lines[0].cell_len)
    return [Text(title.center(width), style="dim")] + [line + " " * (width - line.cell_len) for line in lines]


def operator_block(symbol: str, height: int) -> Block:
    """An operator between blocks, on the middle row of the matrices."""
    pad = " " * (len(symbol) + 2)
    middle = 1 + (height - 2) // 2
    return [Text(f" {symbol} ") if row == middle else Text(pad) for row in range(height)]


def page_start(sample: int) -> int:
    """The first row of the page that holds batch row `sample`."""
    return sample - sample % PAGE_ROWS


def page_caption(layer: LayerView, first: int) -> Text | None:
    """`rows 9–16 of 40 …` when the batch is longer than a page, else None."""
    if layer.batch_size <= PAGE_ROWS:
        return None
    last = min(first + PAGE_ROWS, layer.batch_size)
    return Text(f"rows {first + 1}–{last} of {layer.batch_size}; n moves the sample, and the page "
                f"follows it", style="dim")


def matrix_form_blocks(layer: LayerView, first: int = 0,
                       selected: tuple[int, int] | None = None) -> list[Block]:
    """The blocks for the batch's rows `first` … `first + PAGE_ROWS - 1` (a long batch, say a
    data file's, is shown a page at a time; W and b are whole on every page)."""
    rows = slice(first, first + PAGE_ROWS)
    transposed = tuple(zip(*layer.weight))
    neuron, index = selected if selected is not None else (-1, -1)
    # W[neuron, index] sits at row index, column neuron of Wᵀ; the bias b[neuron] in b's one row.
    weight_mark = (index, neuron) if 0 <= index < layer.in_features else None
    bias_mark = (0, neuron) if index == layer.in_features else None
    # A layer above the first reads the outputs of the one below: A₁ rather than X.
    inputs = "X" if layer.position == 0 else f"A{sub(layer.position)} (layer {layer.position})"
    blocks = [
        matrix_block(inputs, layer.inputs[rows], INPUT),
        matrix_block("Wᵀ", transposed, WEIGHT, weight_mark),
        matrix_block("b", (layer.bias,), WEIGHT, bias_mark),
        matrix_block("Z = XWᵀ+b" if layer.position == 0 else "Z = AWᵀ+b", layer.pre_activation[rows], ""),
        matrix_block("A = relu(Z)" if layer.relu else "A = Z (linear)", layer.outputs[rows], OUTPUT),
    ]
    ops = ["·", "+", "=", "→"]
    if layer.targets is not None:  # the output layer: what it should have output
        blocks.append(matrix_block("Y target", layer.targets[rows], TARGET))
        ops.append("vs")
    height = max(len(block) for block in blocks)
    blocks = [block + [Text(" " * block[0].cell_len)] * (height - len(block)) for block in blocks]
    # Each operator travels with the matrix after it, so a wrap never strands it.
    return [blocks[0]] + [[o + m for o, m in zip(operator_block(op, height), block)]
                          for op, block in zip(ops, blocks[1:])]


def gradient_blocks(update: UpdateView, selected: tuple[int, int] | None = None) -> list[Block]:
    """∂L/∂Wᵀ and ∂L/∂b of the last stepped update, laid out as Wᵀ and b are, to sit beside them."""
    neuron, index = selected if selected is not None else (-1, -1)
    n_in = len(update.inputs[0])
    grad_w = tuple(zip(*((n.by_hand for n in row) for row in update.weight)))  # transposed, as Wᵀ
    grad_b = (tuple(n.by_hand for n in update.bias),)
    weight_mark = (index, neuron) if 0 <= index < n_in else None
    bias_mark = (0, neuron) if index == n_in else None
    blocks = [matrix_block(f"∂L/∂Wᵀ (epoch {update.epoch})", grad_w, "bold", weight_mark),
              matrix_block("∂L/∂b", grad_b, "bold", bias_mark)]
    height = max(len(block) for block in blocks)
    blocks = [block + [Text(" " * block[0].cell_len)] * (height - len(block)) for block in blocks]
    return [[o + m for o, m in zip(operator_block(" ", height), block)] for block in blocks]


STORED_W_MOST = 4  # neurons up to which W is drawn as stored above the product; more: the line alone
STORED_W_REASON = ("out × in, as nn.Linear stores it: row j is neuron j's weights. Z = X Wᵀ "
                   "makes each sample's sums a row of Z")


def stored_weight_band(layer: LayerView, width: int, selected: tuple[int, int] | None = None) -> list[Text]:
    """`W` as the layer stores it, with the one line that says why the product uses `Wᵀ`,
    wrapped beside the matrix (below it where the row is too narrow); the reason alone for a
    layer of more than STORED_W_MOST neurons, whose W would take the panel's rows."""
    if layer.out_features > STORED_W_MOST:
        return [line for line in Text(f"W (not drawn, Wᵀ below): {STORED_W_REASON}", style="dim").wrap(
            _console(), max(width, 1))]
    neuron, index = selected if selected is not None else (-1, -1)
    mark = (neuron, index) if 0 <= index < layer.in_features else None  # W[j, i]: row j, column i
    block = matrix_block("W (stored)", layer.weight, WEIGHT, mark)
    beside = width - block[0].cell_len - 3
    reason = Text(STORED_W_REASON, style="dim")
    if beside < 30:
        return block + list(reason.wrap(_console(), max(width, 1)))
    lines = list(reason.wrap(_console(), beside))
    rows = max(len(block), len(lines))
    blank = Text(" " * block[0].cell_len)
    return [(block[r] if r < len(block) else blank) + Text("   ") + (lines[r] if r < len(lines) else Text(""))
            for r in range(rows)]


def _console():
    from rich.console import Console

    return Console(width=1000, no_color=True)


def flow(blocks: list[Block], width: int) -> Text:
    """Place blocks side by side, starting a new band whenever the next would overflow `width`."""
    bands: list[list[Block]] = [[]]
    used = 0
    for block in blocks:
        w = block[0].cell_len
        if bands[-1] and used + w > width:
            bands.append([])
            used = 0
        bands[-1].append(block)
        used += w
    lines: list[Text] = []
    for band in bands:
        band_lines = [Text("").join(block[row] if row < len(block) else Text(" " * block[0].cell_len)
                                    for block in band)
                      for row in range(max(len(block) for block in band))]  # a shorter block is padded below
        # Every block is padded to the tallest of them all (the operators line up); a band
        # without that tallest block would end in blank rows, which only take the screen's room.
        while len(band_lines) > 1 and not band_lines[-1].plain.strip():
            band_lines.pop()
        lines.extend(band_lines)
    return Text("\n").join(lines)


class MatrixForm(Widget):
    """`X · Wᵀ + b = Z → relu → A`, with the targets Y beside A."""

    DEFAULT_CSS = "MatrixForm { height: auto; }"

    layer_view: reactive[LayerView | None] = reactive(None)
    """The numbers to show; None until the session has loaded."""

    first_row: reactive[int] = reactive(0)
    """The first batch row on screen (a multiple of PAGE_ROWS)."""

    selected: reactive[tuple[int, int]] = reactive((0, 0))
    """The selected weight (neuron, index) or bias (index = the input count), shown reversed."""

    update: reactive[UpdateView | None] = reactive(None)
    """The last stepped update, whose gradients `show_gradients` lays beside W and b."""

    show_gradients: reactive[bool] = reactive(False)
    """Whether ∂L/∂Wᵀ and ∂L/∂b are shown (the `G` key)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._height = 0
        self._text: tuple[LayerView | None, int, int, Text] | None = None  # (layer, first, width, text)

    def show_sample(self, sample: int) -> None:
        """Turn to the page that holds batch row `sample` (the diagram's)."""
        self.first_row = page_start(sample)

    def watch_first_row(self) -> None:
        self.watch_layer_view()

    def watch_selected(self) -> None:
        self._text = None
        self.refresh()

    def watch_update(self) -> None:
        if self.show_gradients:
            self._text = None
            self.watch_layer_view()

    def watch_show_gradients(self) -> None:
        self._text = None
        self.watch_layer_view()

    def watch_layer_view(self) -> None:
        # Layout only when the number of lines changes (a new task, a wrap), not every frame.
        height = len(self._rendered().plain.splitlines())
        if height != self._height:
            self._height = height
            self.refresh(layout=True)

    def rows_for(self, width: int) -> int:
        """The rows the matrix form takes at `width` columns (its blocks wrap into bands)."""
        return len(self._rendered(width).plain.splitlines()) if self.layer_view is not None else 1

    def get_content_height(self, container, viewport, width: int) -> int:
        """Measured at the width Textual asks about, not at the width of the last frame: the
        bands re-flow on a resize, and a stale measure left blank rows under them."""
        return self.rows_for(width)

    def _rendered(self, width: int | None = None) -> Text:
        """The text for the current layer and width, built once for both measuring and drawing."""
        width = max(self.size.width if width is None else width, 1)
        layer = self.layer_view
        first = 0 if layer is None or self.first_row >= layer.batch_size else self.first_row
        if self._text is None or self._text[0] is not layer or self._text[1:3] != (first, width):
            blocks = [] if layer is None else matrix_form_blocks(layer, first, self.selected)
            if blocks and self.show_gradients and self.update is not None:
                blocks += gradient_blocks(self.update, self.selected)
            text = flow(blocks, width) if blocks else Text("")
            if blocks:
                text = Text("\n").join([*stored_weight_band(layer, width, self.selected), text])
            caption = None if layer is None else page_caption(layer, first)
            if caption is not None:
                text = Text("\n").join([text, caption])
            self._text = (layer, first, width, text)
        return self._text[3]

    def render(self) -> Text:
        return self._rendered()
