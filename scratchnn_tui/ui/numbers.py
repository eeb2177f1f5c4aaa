"""How numbers are written on screen: short, exact where they are whole, styled by role.

Roles follow the article's figures: inputs red, weights green, outputs bold. The reds and
greens are light ones: under NO_COLOR Textual turns colours into greys by brightness, and the
terminal's plain red would become a near-black grey on the dark background.
"""

from __future__ import annotations

import math

from rich.text import Text

INPUT = "#ff6b6b"
WEIGHT = "#6bd96b"
OUTPUT = "bold"
TARGET = "italic"

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def fmt(value: float) -> str:
    """`19` for 19.0, `0.1235` for 0.123456, `1.2e+06`, `nan`, `inf`: at most ~8 characters."""
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e6:
        return str(int(value))
    return f"{value:.4g}"


def sub(index: int) -> str:
    """1 → '₁': neuron and input numbers as the maths writes them (counting from 1)."""
    return str(index).translate(_SUBSCRIPTS)


def term(value: float, style: str) -> Text:
    """A number as a factor: negative ones in brackets so `1×(-0.5)` reads unambiguously."""
    text = fmt(value)
    return Text(f"({text})" if value < 0 else text, style=style)
