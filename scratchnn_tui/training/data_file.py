"""Your own data as a task: a CSV file of numbers, one row per example.

The format: UTF-8 text (the byte-order mark some spreadsheets write is fine), cells separated by
`,` only (not `;`, not tabs), a header row naming the columns, then one row of numbers per
example. The last column is the target and the others are the inputs; `targets=N` makes the last
N columns the targets. Blank lines are skipped and spaces around a cell are ignored. y = 2x + 1:

    x,y
    1,3
    2,5
    3,7

Every problem raises `SessionError` with one line naming it, by row and column where it has one:
rows are counted as a spreadsheet shows them, the header being row 1. No torch here, so the
command line can refuse a bad file before it pays for `import torch`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import sys
from pathlib import Path
from typing import TextIO

from .errors import SessionError, first_line
from .tasks import TASKS, Matrix, Task
from .values import LR_MIN

MAX_ROWS = 1000
MAX_COLUMNS = 16
# Far more than MAX_ROWS rows of MAX_COLUMNS long numbers: a huge file (or /dev/zero) is refused
# after reading this much, not read whole into memory first.
MAX_CHARS = 1 << 20


def read_data(source: str, targets: int = 1, stdin: TextIO | None = None) -> Task:
    """The task in the CSV file at `source`, or in `stdin` (default `sys.stdin`) when it is "-"."""
    if isinstance(targets, bool) or not isinstance(targets, int) or targets < 1:
        raise SessionError(f"the number of target columns must be a whole number, 1 or more, got {targets!r}")
    text = _read(source, stdin)
    path = Path(source)
    label = "standard input" if source == "-" else _printable(path.name, 100)
    # A file named like a built-in task must not pass for it (its answer, its checkpoints).
    name = "stdin" if source == "-" else path.stem if path.stem not in TASKS else path.name
    name = name if name not in TASKS else f"{name}-data"
    if len(text) > MAX_CHARS:
        raise SessionError(f"{label} is over {MAX_CHARS} characters: too long for {MAX_ROWS} rows of numbers")
    rows = _rows(text, label)
    if not rows:
        raise SessionError(f"{label} is empty: a data file starts with a header row naming its columns")
    (_, header), data = rows[0], rows[1:]
    _check_header(header, label, targets)
    if not data:
        raise SessionError(f"{label} has a header row but no data rows: add one row of numbers per example")
    if len(data) > MAX_ROWS:
        raise SessionError(f"{label} has {len(data)} data rows; at most {MAX_ROWS} are allowed")
    numbers = [_numbers(line, cells, header, label) for line, cells in data]
    return task_from_data(name, [r[:-targets] for r in numbers], [r[-targets:] for r in numbers], label)


def task_from_data(name: str, inputs, targets, origin: str | None = None) -> Task:
    """A checked task for `inputs` and `targets`, rows of numbers; no answer, so no `Solved`.

    The title names `origin` (the data's file), or else `name`."""
    task = check_task_data(Task(name, "", inputs, targets, default_lr=1.0, answer=None))
    rows, ins, outs = len(task.inputs), task.in_features, task.out_features
    title = (f"your data from {origin or name}: {_count(rows, 'row')}, "
             f"{_count(ins, 'input')} → {_count(outs, 'target')}")
    return dataclasses.replace(task, title=title, source=origin, default_lr=safe_lr(task.inputs))


def safe_lr(inputs: Matrix) -> float:
    """A learning rate that gradient descent can take on these inputs without overshooting.

    The user's numbers are not scaled (prices in the thousands, say), and the larger the inputs,
    the larger the gradients. For one linear neuron the mean squared error curves by at most
    2·(mean of |x|² + 1) in any direction, and a step above 2 over that curvature overshoots
    the minimum further every epoch. A quarter of the safe limit, rounded down to one significant
    digit (0.01, 0.002, …), leaves room for the ReLU and for the user's `+`."""
    mean_square = sum(v * v for row in inputs for v in row) / len(inputs)
    rate = 0.25 / (mean_square + 1)  # 0.0 once the squares overflow to inf
    if not rate >= LR_MIN:  # inputs so large that no step the app allows is small enough
        return LR_MIN
    digit = 10 ** math.floor(math.log10(rate))
    return float(f"{math.floor(rate / digit) * digit:.1g}")  # 0.001, not 0.0010000000000000002


def check_task_data(task: Task) -> Task:
    """`task` with its data as tuples of Python floats, once they pass the rules a data file does.

    For a task from elsewhere, such as a checkpoint's metadata, which may have been crafted: rows may
    be lists and numbers ints (never bools). Only the data are checked, not the other fields."""
    inputs, targets = _matrix(task.inputs, "the task's inputs"), _matrix(task.targets, "the task's targets")
    if len(inputs) != len(targets):
        raise SessionError(f"the task's inputs and targets differ in rows: {len(inputs)} and {len(targets)}")
    ins, outs = len(inputs[0]), len(targets[0])
    if ins + outs > MAX_COLUMNS:
        raise SessionError(f"the task has {ins + outs} columns; at most {MAX_COLUMNS} are allowed")
    return dataclasses.replace(task, inputs=inputs, targets=targets)


def _matrix(rows, where: str) -> Matrix:
    """`rows` as a tuple of equal-length tuples of finite floats, or a one-line refusal."""
    if not isinstance(rows, (list, tuple)):
        raise SessionError(f"{where} are a {type(rows).__name__}, not a list of rows")
    if not rows:
        raise SessionError(f"{where} are empty: a task needs at least one example")
    if len(rows) > MAX_ROWS:  # checked before the loop, as a crafted list may be huge
        raise SessionError(f"{where} have {len(rows)} rows; at most {MAX_ROWS} are allowed")
    for r, row in enumerate(rows, 1):
        if not isinstance(row, (list, tuple)):
            raise SessionError(f"{where} row {r} is a {type(row).__name__}, not a list of numbers")
        if not 1 <= len(row) <= MAX_COLUMNS:
            raise SessionError(f"{where} row {r} has {len(row)} values; a row holds 1 to {MAX_COLUMNS}")
        if len(row) != len(rows[0]):
            raise SessionError(f"{where} row {r} has {len(row)} values, but row 1 has {len(rows[0])}")
        for c, cell in enumerate(row, 1):
            # bool is an int to Python, but True in a data set is a mistake, not the number 1.
            if isinstance(cell, bool) or not isinstance(cell, (int, float)):
                raise SessionError(f"{where} row {r}, column {c} is a {type(cell).__name__}, not a number")
            if not abs(cell) <= sys.float_info.max:  # math.isfinite overflows on an int past a float
                shown = cell if isinstance(cell, float) else "an int beyond a float's range"
                raise SessionError(f"{where} row {r}, column {c} is {shown}, not a finite number")
    return tuple(tuple(float(cell) for cell in row) for row in rows)


def _read(source: str, stdin: TextIO | None) -> str:
    """The text at `source` ("-": standard input), cut after MAX_CHARS + 1 characters."""
    shown = "standard input" if source == "-" else _printable(source, 200)
    try:
        if source == "-":
            stream = stdin if stdin is not None else sys.stdin
            if stream is None:  # pythonw, or a closed descriptor 0
                raise SessionError("there is no standard input to read the data from")
            return stream.read(MAX_CHARS + 1)
        if not source:
            raise SessionError("no data file given: name a CSV file, or - for standard input")
        if Path(source).is_dir():
            raise SessionError(f"{shown} is a folder, not a data file: name a CSV file")
        with open(source, encoding="utf-8") as file:
            return file.read(MAX_CHARS + 1)
    except FileNotFoundError:
        raise SessionError(f"no data file at {shown}: the file does not exist") from None
    except PermissionError:
        raise SessionError(f"cannot read {shown}: permission denied") from None
    except UnicodeDecodeError:
        raise SessionError(f"{shown} is not a text file: it is not UTF-8 (save it as CSV UTF-8)") from None
    except (OSError, ValueError) as error:  # ValueError: a path holding a NUL character
        raise SessionError(f"cannot read {shown}: {_printable(first_line(error), 100)}") from None


def _rows(text: str, label: str) -> list[tuple[int, list[str]]]:
    """(line number, stripped cells) for each row that is not blank."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))  # the BOM spreadsheets write
    rows = []
    try:
        for cells in reader:
            cells = [cell.strip() for cell in cells]
            if any(cells):  # skips blank lines, and the ",," rows spreadsheets write for empty ones
                rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise SessionError(f"{label} row {reader.line_num}: not a CSV row ({error})") from None
    return rows


def _check_header(header: list[str], label: str, targets: int) -> None:
    if all(_is_number(cell) for cell in header):
        raise SessionError(f"the first row of {label} is numbers: a data file starts with a header row "
                           "naming its columns")
    if "" in header:  # pandas writes an unnamed index column: say so rather than learn from it
        raise SessionError(f"{label}: column {header.index('') + 1} has no name in the header row")
    if len(header) > MAX_COLUMNS:
        raise SessionError(f"{label} has {len(header)} columns; at most {MAX_COLUMNS} are allowed")
    if targets >= len(header):
        raise SessionError(f"{label} has {_count(len(header), 'column')}, too few for "
                           f"{_count(targets, 'target column')} and at least one input")


def _numbers(line: int, cells: list[str], header: list[str], label: str) -> list[float]:
    if len(cells) != len(header):
        raise SessionError(f"{label} row {line} has {_count(len(cells), 'cell')}, "
                           f"but the header has {len(header)}")
    values = []
    for number, (name, cell) in enumerate(zip(header, cells), 1):
        where = f'{label} row {line}, column "{_printable(name, 40)}" ({number})'
        if not cell:
            raise SessionError(f"{where} is empty: every cell must hold a number")
        if not _is_number(cell):
            raise SessionError(f'{where}: "{_printable(cell, 40)}" is not a number')
        if not math.isfinite(float(cell)):  # "nan", "inf", or "1e999", which overflows to inf
            raise SessionError(f'{where}: "{_printable(cell, 40)}" is not a finite number')
        values.append(float(cell))
    return values


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _printable(text: str, limit: int) -> str:
    """`text` on one short line: control characters and line separators escaped, the tail cut."""
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
