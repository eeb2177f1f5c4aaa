"""The lesson on the main screen (a, pagedown, pageup, escape): the step's panel, the panels it
brings, and noticing the thing to try. Mixed into ScratchApp; the steps are plain data
(`training.lesson`), each step's session is built by the training process (`runtime.lesson_run`).

The user's own session waits in the training process while the lesson goes on; so do the
user's panel choices and selection here, which come back with it on escape.
"""

from __future__ import annotations

from ..runtime.requests import LeaveLesson, Pause, StartLesson
from ..training.lesson import STEPS, LessonFacts, lesson_step
from ..training.snapshot import Frame
from .messages import SessionNote
from .panel_plan import PanelChoice
from .widgets.gradient_panel import GradientPanel
from .widgets.lesson_panel import LESSON_KEYS, LessonPanel, lesson_title
from .widgets.matrix_form import MatrixForm
from .widgets.neuron_diagram import NeuronDiagram

LESSON_ACTIONS = ("lesson", "lesson_page", "escape")
"""The lesson's keys: they act during the race too (its step 7 races)."""


class LessonKeys:
    """Mixed into ScratchApp: the lesson's keys, and `notice_lesson` after what may tick a step."""

    _lesson = 0  # the step on screen, from 1; 0: not in the lesson
    _lesson_last = 1  # where `a` opens it: the step last left, or 1
    _lesson_seen = False  # a frame of the step's own session has come (it is built)
    _lesson_done = False  # the step's thing to try was done
    _lesson_code_opened = False  # the code view was opened on this step
    _lesson_away: tuple[PanelChoice, tuple[int, int], int] | None = None  # the user's panels, selection, layer

    @property
    def lesson_step(self) -> int:
        """The lesson's step on screen (from 1), or 0 outside the lesson."""
        return self._lesson

    @property
    def lesson_done(self) -> bool:
        """Whether the step on screen is ticked."""
        return self._lesson_done

    def start_lesson(self, number: int) -> None:
        """Open the lesson at step `number` (`--lesson N`), once the app is mounted."""
        self._go_to_step(number)

    def action_lesson(self) -> None:
        """The lesson (a): the article step by step, at the step last left; your session waits."""
        if self._lesson:
            self.post_message(SessionNote(f"In the lesson already: {LESSON_KEYS}", False))
            return
        self._go_to_step(self._lesson_last)

    def action_lesson_page(self, step: int) -> None:
        """The lesson's next step (pagedown) or the one before (pageup)."""
        if not self._lesson:
            self.post_message(SessionNote("a opens the lesson; then pagedown and pageup go through it", False))
            return
        number = self._lesson + step
        if not 1 <= number <= len(STEPS):
            where = "the last" if step > 0 else "the first"
            self.post_message(SessionNote(f"This is {where} step of the lesson: esc leaves it", False))
            return
        self._go_to_step(number)

    def action_escape(self) -> None:
        """escape: leave the lesson (your session comes back as it was), else leave the race."""
        if self._lesson:
            self._leave_lesson()
        else:
            self.action_leave_race()

    def lesson_allows(self, action: str) -> bool | None:
        """escape acts in the lesson or the race; the lesson's keys in the race too (True);
        None: as the race says."""
        if action == "escape":
            return bool(self._lesson) or self.screen_stack[0].has_class("-racing")
        return True if action in LESSON_ACTIONS else None

    def _go_to_step(self, number: int) -> None:
        main = self.screen_stack[0]
        if not self._lesson:  # the user's panels and selection, for when the lesson ends
            self._lesson_away = (self._panel_choice, self.query_one(GradientPanel).selected, self._shown_layer)
        step = lesson_step(number)
        self._lesson, self._lesson_last, self._lesson_seen = number, number, False
        self._lesson_done = self._lesson_code_opened = False
        self._panel_choice = PanelChoice(priority=list(step.panels))
        self._shown_layer = -1
        self.worker.send(Pause())  # a run does not go on into the step
        self.worker.send(StartLesson(number))  # a race on ends with the step it was in
        panel = main.query_one("#lesson-panel")
        panel.display = True
        panel.border_title = lesson_title(number)
        panel.border_subtitle = LESSON_KEYS
        main.query_one(LessonPanel).show(number, False)
        self.post_message(SessionNote(f"Step {number}/{len(STEPS)} has a session of its own; yours waits until esc", False))
        diagram = main.query_one(NeuronDiagram)
        diagram.sample = 0
        self._select_now(0, 0)
        self.plan_panels()

    def _leave_lesson(self, said: str | None = None) -> None:
        main = self.screen_stack[0]
        self._lesson = 0
        main.query_one("#lesson-panel").display = False
        if self._lesson_away is not None:
            self._panel_choice, selected, self._shown_layer = self._lesson_away
            self._lesson_away = None
            self._select_now(*selected)
        if said is None:
            self.worker.send(Pause())
            self.worker.send(LeaveLesson())  # it says where the session is (a race in the lesson ends)
        else:
            self.post_message(SessionNote(said, True))
        self.plan_panels()

    def _select_now(self, neuron: int, index: int) -> None:
        """Put the selection at (neuron, index) in every panel, with or without a frame."""
        for kind in (GradientPanel, NeuronDiagram, MatrixForm):
            self.query_one(kind).selected = (neuron, index)
        if self.frame is not None:
            self._select(neuron, index)

    def lesson_frame(self, frame: Frame) -> None:
        """A frame came: tick the step if its thing was done; a lesson whose session is gone
        (the training process restarted on the user's session) ends, saying so."""
        if not self._lesson:
            return
        if frame.snapshot.lesson == self._lesson:
            self._lesson_seen = True
            self.notice_lesson()
        elif self._lesson_seen and frame.snapshot.lesson == 0:
            self._leave_lesson("The lesson ended: the training process started again on your session")

    def notice_lesson(self) -> None:
        """Tick the step once what it asks to try shows on screen."""
        if not self._lesson or self._lesson_done or not self._lesson_seen or self.frame is None:
            return
        snapshot = self.frame.snapshot
        if snapshot.lesson != self._lesson:
            return
        main = self.screen_stack[0]
        facts = LessonFacts(snapshot, main.query_one(GradientPanel).selected, main.query_one(NeuronDiagram).sample,
                            self._lesson_code_opened)
        if lesson_step(self._lesson).tried(facts):
            self._lesson_done = True
            main.query_one(LessonPanel).show(self._lesson, True)
            self.plan_panels()

    def lesson_code_opened(self) -> None:
        """The code view opened: a step may have asked for it."""
        self._lesson_code_opened = True
        self.notice_lesson()
