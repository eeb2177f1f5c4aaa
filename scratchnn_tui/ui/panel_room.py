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
from .widgets.function_view import FunctionPicture
from .widgets.gradient_panel import GradientPanel
from .widgets.loss_chart import LOSS_LEAST_ROWS
from .widgets.matrix_form import MatrixForm
from .widgets.neuron_diagram import NeuronDiagram
from .widgets.number_field import NumberField
from .widgets.surface_view import SurfacePicture

BORDERS = 2  # a panel's top and bottom border
PADDING = 2  # a column of padding each side inside the border
MESSAGE_MOST = 6  # rows the message line may take; a longer message (none is) would be cut
FIXED_ROWS = 2  # the status line and the footer

PANEL_KEYS = {"matrix": "m", "gradient": "g", "function": "f", "surface": "v"}
PANEL_IDS = {"layer": "#layer-panel", "matrix": "#matrix-panel", "gradient": "#gradient-panel",
             "function": "#function-panel", "surface": "#surface-panel", "loss": "#loss-panel"}
PICTURES = {"function": "Function", "surface": "Loss surface"}  # the panels above the loss chart
LOSS_LEAST = BORDERS + LOSS_LEAST_ROWS


def static_rows(widget: Static, width: int) -> int:
    """The rows a Static's text takes when wrapped at `width` columns."""
    return widget.visual.get_height(widget.styles, max(width, 1))


class PanelRoom:
    """Mixed into ScratchApp: `plan_panels` after anything that changes a panel's rows."""

    _panel_choice: PanelChoice
    _panel_plan: tuple[Plan, int] | None  # the plan on screen, and the width it was made for
    lesson_step: int  # the lesson's step on screen, 0 outside it (LessonKeys)

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

    @property
    def surface_wanted(self) -> bool:
        """Whether the surface view is asked for (`v`): it then takes the pictures' place."""
        choice = self._panel_choice
        return "surface" in choice.priority and "surface" not in choice.unwanted

    def picture_in_front(self, width: int) -> str | None:
        """Which picture the right column (or, below WIDE_FROM, the screen) shows above the loss
        chart: the surface once `v` asked for it, else the function view (`function_in_front`)."""
        if self.surface_wanted:
            return "surface"
        return "function" if self.function_in_front(width) else None

    def picture_widget(self, name: str):
        main = self.screen_stack[0]
        return main.query_one("#surface", SurfacePicture) if name == "surface" else main.query_one(FunctionPicture)

    def function_in_front(self, width: int) -> bool:
        """Below WIDE_FROM columns the function view stands in for the layer's panels once `f`
        asks for it, until `f` again; from there up it is beside them unless `f` hid it."""
        choice = self._panel_choice
        if "function" in choice.unwanted:
            return False
        return column_widths(width) is not None or "function" in choice.priority

    def panel_needs(self, width: int, height: int, room: int | None = None) -> tuple[list[PanelNeed], list[PanelNeed]]:
        """What the left and right columns' panels need at `width` columns of screen, in `room`
        rows (the function view takes what the loss chart's least leaves, up to its wish)."""
        main = self.screen_stack[0]
        widths = column_widths(width)
        inner = (widths[0] if widths else width) - BORDERS - PADDING  # the left column's
        right_inner = (widths[1] if widths else width) - BORDERS - PADDING
        room = height if room is None else room
        slot = self.picture_in_front(width)
        picture = self.picture_widget(slot) if slot else None
        front = picture is not None and picture.view is not None
        # In a lesson's step that brings panels of its own, those come first: the loss chart
        # then gives way where they would not fit, until the lesson ends (esc).
        lesson_first = bool(self.lesson_step) and bool(self._panel_choice.priority)
        right = [PanelNeed("loss", "Loss", LOSS_LEAST, "esc" if lesson_first else None, grows=True)]
        if front:
            wish = picture.rows_for(right_inner)
            rows = max(picture.least_for(right_inner), min(wish, room - LOSS_LEAST - BORDERS))
            right.insert(0, PanelNeed(slot, PICTURES[slot], BORDERS + rows, PANEL_KEYS[slot]))
        if front and widths is None:  # in place of the layer's panels
            return [], right
        field = main.query_one(NumberField)
        field_rows = 0
        if field.is_open:
            field_rows = 1 + sum(static_rows(reason, inner) for reason in field.query(".reason.-shown"))
        left = [PanelNeed("layer", "Layer", BORDERS + main.query_one(NeuronDiagram).rows_for(inner) + field_rows),
                PanelNeed("matrix", "Matrix form", BORDERS + main.query_one(MatrixForm).rows_for(inner), "m"),
                PanelNeed("gradient", "Gradient", BORDERS + main.query_one(GradientPanel).rows_for(inner), "g")]
        wanted = self._panel_choice.wanted(left)
        if "gradient" not in self._panel_choice.priority and not self._gradient_by_default(width, height):
            wanted = [need for need in wanted if need.name != "gradient"]
        return [need for need in left if need in wanted], right

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
        lesson = main.query_one("#lesson-panel")
        lesson_rows = BORDERS + static_rows(lesson.query_one(Static), width - BORDERS - PADDING) if lesson.display else 0
        room = height - FIXED_ROWS - message_rows - lesson_rows
        left, right = self.panel_needs(width, height, room)
        # From GRADIENT_SIZE up the gradient panel (why the weight moved) goes before the matrix
        # form (the diagram's numbers for the whole batch); below, it waits for `g`.
        usual = ["gradient", "matrix"] if self._gradient_by_default(width, height) else ["matrix", "gradient"]
        priority = [*self._panel_choice.priority, *usual]
        plan = plan_screen(room, width, left, right, priority)
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
        for name in PICTURES:
            if name in rows:  # drawn to the rows it was given
                self.picture_widget(name).styles.height = rows[name] - BORDERS
        self.title_function_panel()
        if plan.hidden and plan.columns[0]:
            last = plan.columns[0][-1][0]  # the bottom panel of the (left) column they left
            main.query_one(PANEL_IDS[last]).border_subtitle = plan.note()

    def title_function_panel(self) -> None:
        """The pictures' titles: which picture, and what its key (`f`, `v`) does at this width."""
        main = self.screen_stack[0]
        wide = self.panel_plan.wide if self.panel_plan is not None else False
        for name, key in (("function", "f"), ("surface", "v")):
            title = self.picture_widget(name).title() + (f" · {key} hides" if wide else f" · {key}: the layer")
            panel = main.query_one(PANEL_IDS[name])
            if panel.border_title != title:  # a new title repaints the whole panel: only when it changed
                panel.border_title = title

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

    def action_toggle_function(self) -> None:
        """The function view: beside the panels from 120 columns (f hides it), in place of the
        layer's panels below (f brings it, f again puts them back). Over the surface view, f
        puts the function view in its place."""
        if self.surface_wanted:
            self._panel_choice.press("surface", True)
            self._panel_choice.press("function", False)
            self._ask_surface()
            self.plan_panels()
            return
        self.press_panel_key("function")

    def action_toggle_surface(self) -> None:
        """The loss surface (v): in the pictures' place, beside the layer's panels from 120
        columns and in their place below; v again puts back what was there."""
        self._panel_choice.press("surface", self.surface_wanted)
        self._ask_surface()
        self.plan_panels()

    def _ask_surface(self) -> None:
        """The session computes the surface while it is wanted, and only then (selection_keys)."""
        if self.frame is not None:
            self._show_surface(self.frame.snapshot)

    def press_panel_key(self, name: str) -> None:
        """`g` or `m`: hide the panel if it is on screen, else bring it back first."""
        shown = self.panel_plan is not None and name in self.panel_plan.rows
        self._panel_choice.press(name, shown)
        self.plan_panels()
