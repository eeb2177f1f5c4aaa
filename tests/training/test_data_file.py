"""The user's own data as a task: a CSV file read, checked, and refused with one precise line."""

from __future__ import annotations

import builtins
import io
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scratchnn_tui.training import data_file
from scratchnn_tui.training.data_file import (MAX_COLUMNS, MAX_ROWS, check_task_data, read_data,
                                              task_from_data)
from scratchnn_tui.training.errors import SessionError
from scratchnn_tui.training.tasks import TASKS, Task

ROOT = Path(__file__).resolve().parents[2]
LINE = "x,y\n" + "".join(f"{x},{2 * x + 1}\n" for x in range(1, 7))  # y = 2x + 1


def write(tmp_path: Path, text: str | bytes, name: str = "line.csv") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return str(path)


def refusal(source: str, **kwargs) -> str:
    """The message `read_data` refuses `source` with, checked to be one line."""
    with pytest.raises(SessionError) as caught:
        read_data(source, **kwargs)
    message = str(caught.value)
    assert message and len(message.splitlines()) == 1, message
    return message


def refusal_of(inputs, targets) -> str:
    with pytest.raises(SessionError) as caught:
        task_from_data("mine", inputs, targets)
    message = str(caught.value)
    assert message and len(message.splitlines()) == 1, message
    return message


def test_y_equals_2x_plus_1_becomes_a_task(tmp_path):
    task = read_data(write(tmp_path, LINE))
    assert task == Task(
        name="line",
        title="your data from line.csv: 6 rows, 1 input → 1 target",
        inputs=((1.0,), (2.0,), (3.0,), (4.0,), (5.0,), (6.0,)),
        targets=((3.0,), (5.0,), (7.0,), (9.0,), (11.0,), (13.0,)),
        default_lr=0.01,
        answer=None,
        source="line.csv",
    )
    assert all(type(v) is float for row in task.inputs + task.targets for v in row)
    assert (task.in_features, task.out_features) == (1, 1)


def test_two_target_columns(tmp_path):
    task = read_data(write(tmp_path, "a,b,sum,diff\n1,2,3,-1\n5, 3 ,8,2\n", "pairs.csv"), targets=2)
    assert task.inputs == ((1.0, 2.0), (5.0, 3.0))
    assert task.targets == ((3.0, -1.0), (8.0, 2.0))
    assert task.title == "your data from pairs.csv: 2 rows, 2 inputs → 2 targets"


def test_standard_input(tmp_path):
    task = read_data("-", stdin=io.StringIO("x,y\n1,3\n2,5\n"))
    assert task.name == "stdin"
    assert task.title == "your data from standard input: 2 rows, 1 input → 1 target"
    assert task.targets == ((3.0,), (5.0,))


def test_standard_input_defaults_to_sys_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("x,y\n1,3\n"))
    assert read_data("-").inputs == ((1.0,),)


def test_byte_order_mark_blank_lines_crlf_and_spaces_are_fine(tmp_path):
    text = "\ufeff x , y \r\n\r\n1 , 3\r\n , \r\n2,5\r\n\r\n\r\n"
    task = read_data(write(tmp_path, text))
    assert task.inputs == ((1.0,), (2.0,)) and task.targets == ((3.0,), (5.0,))
    assert read_data("-", stdin=io.StringIO("\ufeffx,y\n1,3\n")).inputs == ((1.0,),)
    # The mark is not part of the first column's name.
    bad = "\ufeffx,y\nabc,3\n"
    expected = 'row 2, column "x" (1): "abc" is not a number'
    assert refusal(write(tmp_path, bad)) == f"line.csv {expected}"
    assert refusal("-", stdin=io.StringIO(bad)) == f"standard input {expected}"


@pytest.mark.parametrize("stem", sorted(TASKS))
def test_a_file_named_like_a_built_in_task_keeps_its_suffix(tmp_path, stem):
    task = read_data(write(tmp_path, LINE, f"{stem}.csv"))
    assert task.name == f"{stem}.csv" and task.name not in TASKS
    assert read_data(write(tmp_path, LINE, stem)).name not in TASKS  # no suffix to add


def test_read_data_imports_no_torch():
    code = "import sys, scratchnn_tui.training.data_file; print('torch' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


# --- refusals of a file --------------------------------------------------------------------------

def test_a_missing_file(tmp_path):
    message = refusal(str(tmp_path / "nope.csv"))
    assert message == f"no data file at {tmp_path / 'nope.csv'}: the file does not exist"


def test_a_folder_and_no_name(tmp_path):
    assert "is a folder" in refusal(str(tmp_path))
    assert "no data file given" in refusal("")


def test_an_unreadable_file(tmp_path, monkeypatch):
    path = write(tmp_path, LINE)

    def forbidden(*args, **kwargs):  # chmod does not stop root, who may run these tests
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(builtins, "open", forbidden)
    assert refusal(path) == f"cannot read {path}: permission denied"


def test_a_file_that_is_not_text(tmp_path):
    message = refusal(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "picture.csv"))
    assert "is not a text file" in message and "UTF-8" in message


@pytest.mark.parametrize("text", ["", "\n\n  \n", ",,\n"])
def test_an_empty_file(tmp_path, text):
    assert "line.csv is empty" in refusal(write(tmp_path, text))


def test_a_header_of_numbers(tmp_path):
    message = refusal(write(tmp_path, "1,3\n2,5\n"))
    assert message == ("the first row of line.csv is numbers: a data file starts with a header row "
                       "naming its columns")


def test_a_header_without_a_name(tmp_path):
    assert refusal(write(tmp_path, ",x,y\n0,1,3\n")) == "line.csv: column 1 has no name in the header row"


@pytest.mark.parametrize(("cell", "problem"), [
    ("abc", '"abc" is not a number'),
    ("nan", '"nan" is not a finite number'),
    ("inf", '"inf" is not a finite number'),
    ("-inf", '"-inf" is not a finite number'),
    ("1e999", '"1e999" is not a finite number'),
    ("", "is empty: every cell must hold a number"),
    ("\x1b[2J", r'"\x1b[2J" is not a number'),  # a terminal escape is shown, not obeyed
])
def test_a_cell_that_is_not_a_finite_number(tmp_path, cell, problem):
    message = refusal(write(tmp_path, f"x,y\n1,3\n2,5\n3,{cell}\n"))
    assert message.startswith('line.csv row 4, column "y" (2)') and message.endswith(problem)


def test_a_cell_is_named_by_its_spreadsheet_row_counting_blank_lines(tmp_path):
    message = refusal(write(tmp_path, "x,y\n\n1,3\nfour,9\n"))
    assert message == 'line.csv row 4, column "x" (1): "four" is not a number'


@pytest.mark.parametrize(("text", "expected"), [
    ("x,y\n1,3\n2\n", "line.csv row 3 has 1 cell, but the header has 2"),
    ("x,y\n1,3\n2,5,7\n", "line.csv row 3 has 3 cells, but the header has 2"),
    ("x,y\n1,3,0\n2\n", "line.csv row 2 has 3 cells, but the header has 2"),
])
def test_rows_of_different_lengths(tmp_path, text, expected):
    assert refusal(write(tmp_path, text)) == expected


@pytest.mark.parametrize(("columns", "targets", "expected"), [
    (3, 5, "line.csv has 3 columns, too few for 5 target columns and at least one input"),
    (3, 3, "line.csv has 3 columns, too few for 3 target columns and at least one input"),
    (1, 1, "line.csv has 1 column, too few for 1 target column and at least one input"),
])
def test_too_few_columns_for_an_input_and_the_targets(tmp_path, columns, targets, expected):
    text = ",".join(f"c{i}" for i in range(columns)) + "\n" + ",".join("1" * columns) + "\n"
    assert refusal(write(tmp_path, text), targets=targets) == expected


@pytest.mark.parametrize("targets", [0, -1, True, 1.0, "1"])
def test_targets_must_be_a_whole_number_of_at_least_one(tmp_path, targets):
    assert "number of target columns" in refusal(write(tmp_path, LINE), targets=targets)


def test_a_header_without_data(tmp_path):
    assert "line.csv has a header row but no data rows" in refusal(write(tmp_path, "x,y\n\n"))


def test_too_many_rows_or_columns(tmp_path):
    rows = "x,y\n" + "1,3\n" * (MAX_ROWS + 1)
    assert refusal(write(tmp_path, rows)) == "line.csv has 1001 data rows; at most 1000 are allowed"
    assert len(read_data(write(tmp_path, "x,y\n" + "1,3\n" * MAX_ROWS)).inputs) == MAX_ROWS
    wide = ",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\n" + ",".join("1" * (MAX_COLUMNS + 1))
    assert refusal(write(tmp_path, wide)) == "line.csv has 17 columns; at most 16 are allowed"
    fits = ",".join(f"c{i}" for i in range(MAX_COLUMNS)) + "\n" + ",".join("1" * MAX_COLUMNS)
    assert read_data(write(tmp_path, fits)).in_features == MAX_COLUMNS - 1


def test_a_huge_file_is_refused_without_reading_it_all(tmp_path, monkeypatch):
    monkeypatch.setattr(data_file, "MAX_CHARS", 100)
    message = refusal(write(tmp_path, "x,y\n" + "1,3\n" * 100))
    assert "line.csv is over 100 characters" in message
    assert "over 100 characters" in refusal("-", stdin=io.StringIO("x,y\n" + "1,3\n" * 100))


def test_standard_input_that_is_missing_or_not_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    assert "no standard input" in refusal("-")
    binary = io.TextIOWrapper(io.BytesIO(b"x,y\n\xff\xfe\n"), encoding="utf-8")
    assert "standard input is not a text file" in refusal("-", stdin=binary)


# --- a task from elsewhere ------------------------------------------------------------------------

def test_task_from_data_takes_plain_lists_and_ints():
    task = task_from_data("mine", [[1, 2], [3, 4.5]], [[0], [1]])
    assert task.inputs == ((1.0, 2.0), (3.0, 4.5)) and task.targets == ((0.0,), (1.0,))
    assert all(type(v) is float for row in task.inputs + task.targets for v in row)
    assert (task.name, task.default_lr, task.answer) == ("mine", 0.01, None)
    assert task.title == "your data from mine: 2 rows, 2 inputs → 1 target"


def test_check_task_data_passes_a_good_task_and_the_built_ins():
    for task in TASKS.values():
        assert check_task_data(task) == task
    crafted = Task("x", "t", [[1, 2]], [(3,)], default_lr=0.1, answer=None)
    assert check_task_data(crafted) == Task("x", "t", ((1.0, 2.0),), ((3.0,),), 0.1, None)


@pytest.mark.parametrize(("inputs", "targets", "words"), [
    ([[1.0], [float("nan")]], [[1.0], [2.0]], "inputs row 2, column 1 is nan, not a finite number"),
    ([[1.0]], [[math.inf]], "targets row 1, column 1 is inf, not a finite number"),
    ([[10**400]], [[1.0]], "column 1 is an int beyond a float's range"),
    ([[1.0], [1.0, 2.0]], [[1.0], [2.0]], "inputs row 2 has 2 values, but row 1 has 1"),
    ([], [], "inputs are empty"),
    ([[1.0]], [], "targets are empty"),
    ([[]], [[1.0]], "inputs row 1 has 0 values"),
    ([[1.0]], [[1.0], [2.0]], "inputs and targets differ in rows: 1 and 2"),
    ([["1"]], [[1.0]], "inputs row 1, column 1 is a str, not a number"),
    ([[1.0]], [[True]], "targets row 1, column 1 is a bool, not a number"),
    ([[1.0, None]], [[1.0]], "inputs row 1, column 2 is a NoneType, not a number"),
    ([[[1.0]]], [[1.0]], "is a list, not a number"),
    ("12", [[1.0]], "inputs are a str, not a list of rows"),
    (None, [[1.0]], "inputs are a NoneType, not a list of rows"),
    ([1.0, 2.0], [[1.0], [2.0]], "inputs row 1 is a float, not a list of numbers"),
    (["12"], [[1.0]], "inputs row 1 is a str, not a list of numbers"),
    ([[1.0]] * (MAX_ROWS + 1), [[1.0]] * (MAX_ROWS + 1), "inputs have 1001 rows; at most 1000"),
    ([[1.0] * 17], [[1.0]], "inputs row 1 has 17 values; a row holds 1 to 16"),
    ([[1.0] * 10], [[1.0] * 7], "the task has 17 columns; at most 16 are allowed"),
])
def test_check_task_data_refusals(inputs, targets, words):
    assert words in refusal_of(inputs, targets)
    with pytest.raises(SessionError):
        check_task_data(Task("x", "t", inputs, targets, default_lr=0.1, answer=None))


# --- any table of finite numbers comes back exactly -----------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(derandomize=True, max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(1, 3), st.data())
def test_any_table_of_finite_numbers_round_trips(ins, outs, data):
    rows = data.draw(st.lists(st.lists(finite, min_size=ins + outs, max_size=ins + outs),
                              min_size=1, max_size=20))
    text = ",".join(f"c{i}" for i in range(ins + outs)) + "\n"
    text += "".join(",".join(repr(v) for v in row) + "\n" for row in rows)
    task = read_data("-", targets=outs, stdin=io.StringIO(text))
    assert task.inputs == tuple(tuple(row[:ins]) for row in rows)
    assert task.targets == tuple(tuple(row[ins:]) for row in rows)
    assert check_task_data(task) == task


@settings(derandomize=True, max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_any_cell_either_reads_as_a_finite_number_or_is_refused_in_one_line(cell):
    text = f'x,y\n1,"{cell.replace(chr(34), chr(34) * 2)}"\n'
    try:
        task = read_data("-", stdin=io.StringIO(text))
    except SessionError as error:
        assert len(str(error).splitlines()) == 1 and str(error).isprintable()
    else:
        assert math.isfinite(task.targets[0][0])


# -- the default learning rate ----------------------------------------------------------------


@given(st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=1, max_size=30))
@settings(deadline=None, max_examples=60, derandomize=True)
def test_the_default_lr_is_a_quarter_of_the_safe_step_rounded_down(values):
    from scratchnn_tui.training.data_file import safe_lr

    inputs = tuple((v,) for v in values)
    limit = 0.25 / (sum(v * v for v in values) / len(values) + 1)
    rate = safe_lr(inputs)
    assert rate == 1e-8 or limit / 10 < rate <= limit
    mantissa = rate / 10 ** math.floor(math.log10(rate))
    assert math.isclose(mantissa, round(mantissa), rel_tol=1e-9)  # one significant digit


def test_sgd_at_the_default_lr_fits_a_line_whose_inputs_reach_20(tmp_path):
    """At 0.01 (the default for inputs up to 6) these inputs overshoot: the loss grew."""
    from scratchnn_tui.training.session import Session

    task = read_data(write(tmp_path, "x,y\n" + "".join(f"{x},{2 * x + 1}\n" for x in range(1, 21))))
    assert task.default_lr == 0.001
    session = Session(data=task, seed=8)
    session.step(300)
    losses = session.losses
    assert losses[-1] < losses[0] / 100
    assert all(b <= a for a, b in zip(losses, losses[1:]))
