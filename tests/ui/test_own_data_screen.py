"""The user's data on screen: the layer's title names the file, and a long batch is shown a page
of rows at a time, the page following the diagram's sample."""

from __future__ import annotations

from scratchnn_tui.training.data_file import read_data
from scratchnn_tui.training.session import Session
from scratchnn_tui.ui.app import ScratchApp
from scratchnn_tui.ui.scenes import settle
from scratchnn_tui.ui.widgets.matrix_form import PAGE_ROWS, MatrixForm, matrix_form_blocks, page_caption

ROWS = 20


def _data(tmp_path):
    path = tmp_path / "measurements.csv"
    path.write_text("x,y\n" + "".join(f"{x},{2 * x + 1}\n" for x in range(1, ROWS + 1)))
    return read_data(str(path))


def test_a_page_holds_its_rows_and_says_which(tmp_path):
    layer = Session(data=_data(tmp_path)).snapshot().layer
    blocks = matrix_form_blocks(layer, first=PAGE_ROWS)
    x_block = "\n".join(line.plain for line in blocks[0])
    assert " 9 " in x_block and " 16 " in x_block and " 17 " not in x_block and " 8 " not in x_block
    assert len(blocks[0]) == 1 + PAGE_ROWS  # a title and a page of rows
    assert page_caption(layer, PAGE_ROWS).plain.startswith(f"rows 9–16 of {ROWS}")
    assert page_caption(layer, 16).plain.startswith(f"rows 17–20 of {ROWS}")
    small = Session(task="triple").snapshot().layer
    assert page_caption(small, 0) is None and len(matrix_form_blocks(small)[0]) == 5


async def test_the_title_names_the_file_and_the_page_follows_the_sample(tmp_path):
    data = _data(tmp_path)
    app = ScratchApp(make_session=lambda: Session(data=data))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "measurements.csv" in str(app.query_one("#layer-panel").border_title)
        form = app.query_one(MatrixForm)
        assert f"rows 1–8 of {ROWS}" in str(form.render())
        await pilot.press(*["n"] * PAGE_ROWS)
        await pilot.pause()
        assert f"rows 9–16 of {ROWS}" in str(form.render())
        assert f"sample {PAGE_ROWS + 1}/{ROWS}" in str(app.query_one("#heading").render())


async def test_a_file_name_that_looks_like_markup_is_shown_as_it_is(tmp_path):
    from textual.content import Content

    path = tmp_path / "[@click=app.quit]odd.csv"
    path.write_text("x,y\n1,3\n2,5\n")
    data = read_data(str(path))
    app = ScratchApp(make_session=lambda: Session(data=data))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        title = Content.from_markup(app.query_one("#layer-panel").border_title).plain
        assert "[@click=app.quit]odd.csv" in title
