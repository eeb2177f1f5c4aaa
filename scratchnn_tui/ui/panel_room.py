"""The app's side of the panel plan: measure each panel, ask `panel_plan`, apply the answer.

Measured from what each widget would draw at the column's width (its own `rows_for`), not read
back from Textual's layout, which lags a frame behind a change of content. Applied only when the
plan changes: a layout pass per frame would cost the UI process more than drawing the frame.
The message line's rows are part of the budget: a three-line message takes rows from the panels,
and a panel that no longer fits steps aside whole, the bottom border saying which key brings it
back (`m` the matrix form, `g` the gradient panel).
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.widgets import Static

from .panel_plan import PanelChoice, PanelNeed, Plan, column_widths, plan_screen
from .room import GRADIENT_SIZE, MIN_SIZE, room_request
from .widgets.gradient_panel import GradientPanel
from .widgets.loss_chart import LOSS_LEAST_ROWS
from .widgets.matrix_form import MatrixForm
from .widgets.neuron_diagram import NeuronDiagram
from .widgets.number_field import NumberField

BORDERS = 2  # a panel's top and bottom border
PADDING = 2  # a column of padding each side inside the border
MESSAGE_MOST = 6  # rows the message line may take; a longer message (none is) would be cut
FIXED_ROWS = 2  # the status line and the footer

PANEL_KEYS = {"matrix": "m", "gradient": "g"}
PANEL_IDS = {"layer": "#layer-panel", "matrix": "#matrix-panel", "gradient": "#gradient-panel",
             "loss": "#loss-panel"}


def static_rows(widget: Static, width: int) -> int:
    """The rows a Static's text takes when wrapped at `width` columns."""
    return widget.visual.get_height(widget.styles, max(width, 1))


class PanelRoom:
    """Mixed into ScratchApp: `plan_panels` after anything that changes a panel's rows."""

    _panel_choice: PanelChoice
    _panel_plan: tuple[Plan, int] | None  # the plan on screen, and the width it was made for

    def _init_panel_room(self) -> None:
        self._panel_choice = PanelChoice()
        self._panel_plan = None

    @property
    def panel_plan(self) -> Plan | None:
        """The plan on screen: which panels show, with how many rows, and which have no room."""
        return None if self._panel_plan is None else self._panel_plan[0]

    def _gradient_by_default(self, width: int, height: int) -> bool:
        """Below GRADIENT_SIZE the gradient panel waits for `g`; from there up it is shown."""
        return width >= GRADIENT_SIZE[0] and height >= GRADIENT_SIZE[1]

    def panel_needs(self, width: int, height: int) -> tuple[list[PanelNeed], list[PanelNeed]]:
        """What the left and right columns' panels need at `width` columns of screen."""
        main = self.screen_stack[0]
        widths = column_widths(width)
        inner = (widths[0] if widths else width) - BORDERS - PADDING  # the left column's
        field = main.query_one(NumberField)
        field_rows = 0
        if field.is_open:
            field_rows = 1 + sum(static_rows(reason, inner) for reason in field.query(".reason.-shown"))
        left = [PanelNeed("layer", "Layer", BORDERS + main.query_one(NeuronDiagram).rows_for(inner) + field_rows),
                PanelNeed("matrix", "Matrix form", BORDERS + main.query_one(MatrixForm).rows_for(inner), "m"),
                PanelNeed("gradient", "Gradient", BORDERS + main.query_one(GradientPanel).rows_for(inner), "g")]
        right = [PanelNeed("loss", "Loss", BORDERS + LOSS_LEAST_ROWS, grows=True)]
        wanted = self._panel_choice.wanted([*left, *right])
        if "gradient" not in self._panel_choice.priority and not self._gradient_by_default(width, height):
            wanted = [need for need in wanted if need.name != "gradient"]
        return [need for need in left if need in wanted], [need for need in right if need in wanted]

    def plan_panels(self, size: Size | None = None) -> None:
        """Plan the main screen's panels for its size and content, and apply the plan: which
        panels are displayed (each at its own height, `auto`: what it draws), the loss chart
        taking the rest of its column, and the note on the bottom border."""
        main = self.screen_stack[0]
        width, height = size or self.size  # a resize's own size: the App's may lag behind it
        if width < MIN_SIZE[0] or height < MIN_SIZE[1]:
            return
        message = main.query_one("#message", Static)
        message_rows = min(static_rows(message, width - PADDING), MESSAGE_MOST)
        left, right = self.panel_needs(width, height)
        # From GRADIENT_SIZE up the gradient panel (why the weight moved) goes before the matrix
        # form (the diagram's numbers for the whole batch); below, it waits for `g`.
        usual = ["gradient", "matrix"] if self._gradient_by_default(width, height) else ["matrix", "gradient"]
        priority = [*self._panel_choice.priority, *usual]
        plan = plan_screen(height - FIXED_ROWS - message_rows, width, left, right, priority)
        if (plan, width) == self._panel_plan:
            return  # a layout pass a frame would cost more than drawing the frame
        self._panel_plan = (plan, width)
        widths = column_widths(width)
        main.set_class(plan.wide, "-wide")
        main.query_one("#left-column").styles.width = widths[0] if widths else "1fr"
        rows = plan.rows
        for name, selector in PANEL_IDS.items():
            panel = main.query_one(selector)
            panel.display = name in rows
            panel.border_subtitle = ""
        if plan.hidden:
            last = plan.columns[0][-1][0]  # the bottom panel of the (left) column they left
            main.query_one(PANEL_IDS[last]).border_subtitle = plan.note()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size)

    def _fit(self, size: Size) -> None:
        """Below MIN_SIZE, one line asking for room instead of a squashed layout."""
        too_small = size.width < MIN_SIZE[0] or size.height < MIN_SIZE[1]
        main = self.screen_stack[0]  # the main screen, even while a dialog is on top of it
        if main.has_class("-too-small") != too_small:
            main.set_class(too_small, "-too-small")
            self.refresh_bindings()  # the footer names what acts at this size
        if too_small:
            main.query_one("#too-small", Static).update(room_request(size.width, size.height))
        else:
            self.plan_panels(size)

    def on_descendant_focus(self) -> None:
        """The number field opened (it takes the focus): its rows come out of the plan."""
        self.call_after_refresh(self.plan_panels)

    def on_descendant_blur(self) -> None:
        """The number field closed (it gives the focus back)."""
        self.call_after_refresh(self.plan_panels)

    def action_toggle_gradient(self) -> None:
        """Show or hide the gradient panel (shown, it comes first: another gives way)."""
        self.press_panel_key("gradient")

    def action_toggle_matrix(self) -> None:
        """Show or hide the matrix form (shown, it comes first: another gives way)."""
        self.press_panel_key("matrix")

    def press_panel_key(self, name: str) -> None:
        """`g` or `m`: hide the panel if it is on screen, else bring it back first."""
        shown = self.panel_plan is not None and name in self.panel_plan.rows
        self._panel_choice.press(name, shown)
        self.plan_panels()
