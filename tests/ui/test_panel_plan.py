"""The panel plan, without an app: panels hide whole by priority, never squeezed to a title."""

from __future__ import annotations

from scratchnn_tui.ui.panel_plan import PanelChoice, PanelNeed, column_widths, plan_column, plan_screen

LAYER = PanelNeed("layer", "Layer", 8)
MATRIX = PanelNeed("matrix", "Matrix form", 8, "m")
GRADIENT = PanelNeed("gradient", "Gradient", 9, "g")
LOSS = PanelNeed("loss", "Loss", 6, grows=True)


def test_everything_fits_and_the_loss_chart_takes_the_rest():
    shown, hidden = plan_column(40, [LAYER, MATRIX, GRADIENT, LOSS], ["matrix", "gradient"])
    assert shown == [("layer", 8), ("matrix", 8), ("gradient", 9), ("loss", 40 - 25)]
    assert hidden == []


def test_a_panel_that_does_not_fit_hides_whole_and_the_note_names_its_key():
    # 27 rows: layer 8 + loss 6 leave 13: the matrix form (8) fits, the gradient (9) then does not.
    plan = plan_screen(27, 100, [LAYER, MATRIX, GRADIENT], [LOSS], ["matrix", "gradient"])
    assert plan.rows == {"layer": 8, "matrix": 8, "loss": 11}
    assert sum(plan.rows.values()) == 27
    assert plan.note() == "no room for: Gradient (g)"


def test_the_panel_asked_for_first_wins_and_another_gives_way():
    plan = plan_screen(27, 100, [LAYER, MATRIX, GRADIENT], [LOSS], ["gradient", "matrix", "gradient"])
    assert set(plan.rows) == {"layer", "gradient", "loss"}
    assert plan.note() == "no room for: Matrix form (m)"


def test_the_loss_chart_keeps_its_least_rows_before_any_optional_panel():
    shown, hidden = plan_column(21, [LAYER, MATRIX, LOSS], ["matrix"])
    assert dict(shown) == {"layer": 8, "loss": 13}  # 8 + 8 + 6 = 22 > 21
    assert hidden == [MATRIX]


def test_wide_screens_plan_two_columns_each_with_its_own_rows():
    assert column_widths(119) is None
    assert column_widths(120) == (80, 40)
    assert column_widths(200) == (120, 80)
    plan = plan_screen(35, 120, [LAYER, MATRIX, GRADIENT], [LOSS], ["matrix", "gradient"])
    assert plan.wide
    assert plan.columns == ((("layer", 8), ("matrix", 8), ("gradient", 9)), (("loss", 35),))
    assert plan.hidden == ()


def test_a_key_hides_its_panel_when_shown_and_brings_it_first_when_not():
    choice = PanelChoice()
    choice.press("gradient", on_screen=True)
    assert choice.wanted([MATRIX, GRADIENT]) == [MATRIX]
    choice.press("gradient", on_screen=False)
    assert choice.wanted([MATRIX, GRADIENT]) == [MATRIX, GRADIENT]
    choice.press("matrix", on_screen=False)
    assert choice.priority == ["matrix", "gradient"]
