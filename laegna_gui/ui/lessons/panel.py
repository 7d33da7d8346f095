"""The lesson panel: the step on show (its text, its goals ticking green as they are met), Back
and Next, a hint (asked for, or offered after HINT_AFTER_MS without the goals met), the step's
solution for a stuck learner, and Reset lesson.

Goals are checked whenever the live state or the document's settings change, on the numbers
the controller already has (engine/lesson_values.py): no model is touched here. Only the goals
not met yet are checked, so a step done costs nothing more."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPushButton, QVBoxLayout, QWidget

from laegna_gui.core.lessons import Lesson
from laegna_gui.engine.lesson_values import lesson_values
from laegna_gui.ui.lessons import progress
from laegna_gui.ui.lessons.goals_view import GoalsView
from laegna_gui.ui.lessons.guide_text import GuideText
from laegna_gui.ui.lessons.solution_text import solution_markdown
from laegna_gui.ui.lessons.visit import LessonVisit, start_project
from laegna_gui.ui.look.style import set_role

HINT_AFTER_MS = 90_000  # without every goal of the step met, the hint shows by itself
STEP_DONE = "✓ Step done: press Next."
LESSON_DONE = "✓ Lesson finished. Well done!"
GOALS_OPEN = "✓ Step done. Goals of earlier steps are still open: go Back to them to finish the lesson."


class LessonPanel(QWidget):
    def __init__(self, host: QMainWindow, lesson: Lesson, index: int = 0) -> None:
        super().__init__()
        self.setObjectName("lessonPanel")
        self.host, self.lesson = host, lesson
        self.visit = LessonVisit(lesson, index)
        self.hint_shown = self.solution_shown = False
        self.hint_timer = QTimer(self, singleShot=True, interval=HINT_AFTER_MS)
        self.hint_timer.timeout.connect(self._hint_timed_out)
        self._build()
        self._connect()
        self._enter_step()

    # --- building ------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel(self.lesson.title, objectName="lessonTitle", wordWrap=True,
                            textFormat=Qt.TextFormat.PlainText)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.step_label = QLabel(objectName="lessonStepNumber")
        set_role(self.step_label, "muted")
        self.text = GuideText(objectName="lessonText")
        self.goals_heading = QLabel("Goals", objectName="lessonGoalsHeading")
        bold = QFont(self.goals_heading.font())
        bold.setBold(True)
        self.goals_heading.setFont(bold)
        self.goals = GoalsView()
        self.done_label = QLabel(objectName="lessonDone", wordWrap=True)
        set_role(self.done_label, "ok")
        self.back = self._button("lessonBack", "◀ Back", "The step before", lambda: self.go(self.visit.index - 1))
        self.next = self._button("lessonNext", "Next ▶", "The next step", lambda: self.go(self.visit.index + 1))
        self.hint = self._button("lessonHint", "Hint", "A hint for this step", self.show_hint)
        self.solution = self._button("lessonSolution", "Show solution",
                                     "A known way to meet this step's goals, to follow by hand")
        self.solution.setCheckable(True)
        self.solution.toggled.connect(self._solution_toggled)
        self.reset = self._button("lessonReset", "Reset lesson",
                                  "Start this lesson again from its first step and forget its progress",
                                  self.reset_lesson)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        for widget in (self.title, self.step_label):
            layout.addWidget(widget)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.goals_heading)
        layout.addWidget(self.goals)
        layout.addWidget(self.done_label)
        layout.addLayout(_row(self.back, self.next))
        layout.addLayout(_row(self.hint, self.solution))
        layout.addLayout(_row(self.reset))

    def _button(self, name: str, text: str, tip: str, slot=None) -> QPushButton:
        button = QPushButton(text, objectName=name, toolTip=tip)
        if slot is not None:
            button.clicked.connect(lambda _=False: slot())
        return button

    def _connect(self) -> None:
        self.controller = self.host.training.controller
        self.controller.state_changed.connect(self._state_changed)
        document = self.host.document
        for signal in (document.training_changed, document.graph_edited, document.dataset_changed,
                       document.project_replaced):
            signal.connect(self._document_changed)

    # --- steps ---------------------------------------------------------------
    def go(self, index: int) -> None:
        if index == self.visit.index or not 0 <= index < len(self.lesson.steps):
            return
        self._clear_highlight()
        self.visit.go(index)
        self._enter_step()

    def _enter_step(self, record: bool = True) -> None:
        """Show the visit's step, and `record` it as reached (not right after Reset lesson: the
        progress stays forgotten until the learner goes on)."""
        visit, step = self.visit, self.visit.step
        self.hint_shown = self.solution_shown = False
        self.solution.setChecked(False)
        self.step_label.setText(f"Step {visit.index + 1} of {len(self.lesson.steps)}")
        self.goals.show_goals(step.goals, visit.met)
        self.back.setEnabled(visit.index > 0)
        self.next.setEnabled(not visit.is_last)
        self.hint.setEnabled(bool(step.hint))
        self.solution.setEnabled(step.solution is not None)
        self._render_text()
        self.text.verticalScrollBar().setValue(0)
        reached = progress.record_step(self.lesson, visit.index) if record else progress.read_progress(self.lesson.id)
        self._show_done(reached)
        if step.highlight:
            self._highlight(step.highlight)
        self._document_changed()  # goals of settings alone may be met already
        self._time_hint()

    def _render_text(self) -> None:
        step = self.visit.step
        parts = [step.text]
        if self.hint_shown:
            parts.append(f"**Hint.** {step.hint}")
        if self.solution_shown and step.solution is not None:
            parts.append(solution_markdown(step.solution))
        self.text.show_markdown("\n\n---\n\n".join(parts))

    def _time_hint(self) -> None:
        if self.visit.step.hint and not self.visit.step_done and not self.hint_shown:
            self.hint_timer.start()
        else:
            self.hint_timer.stop()

    # --- hint and solution ---------------------------------------------------
    def show_hint(self) -> None:
        if not self.visit.step.hint or self.hint_shown:
            return
        self.hint_shown = True
        self.hint_timer.stop()
        self.hint.setEnabled(False)  # it is in the text now
        self._render_text()
        self._scroll_to_end()

    def _hint_timed_out(self) -> None:
        if not self.visit.step_done:
            self.show_hint()

    def _solution_toggled(self, shown: bool) -> None:
        self.solution_shown = shown
        self.solution.setText("Hide solution" if self.solution_shown else "Show solution")
        self._render_text()
        if self.solution_shown:
            self._scroll_to_end()

    def _scroll_to_end(self) -> None:
        bar = self.text.verticalScrollBar()
        bar.setValue(bar.maximum())

    # --- goals ---------------------------------------------------------------
    def _state_changed(self, state) -> None:
        if state.moment is None:  # a moment gone back to in the time machine is not now
            self._evaluate(state.snapshot, state.diverged_at is not None)

    def _document_changed(self) -> None:
        state = self.controller.state
        self._evaluate(state.snapshot if state.moment is None else None, state.diverged_at is not None)

    def _evaluate(self, snapshot, diverged: bool) -> None:
        if not self.visit.waiting():
            return
        values = lesson_values(self.host.document.project, snapshot, diverged=diverged)
        newly = self.visit.evaluate(values)
        if not newly:
            return
        for goal in newly:
            self.goals.set_met(goal.id, True)
        self._time_hint()
        self._show_done(progress.record_met(self.lesson, {goal.id for goal in newly}))

    def _show_done(self, reached: progress.Progress) -> None:
        """Say when the step or the whole lesson is done."""
        visit = self.visit
        if visit.is_last and reached.finished:
            text = LESSON_DONE
        elif not (visit.step.goals and visit.step_done):
            text = ""
        else:
            text = GOALS_OPEN if visit.is_last else STEP_DONE
        self.done_label.setText(text)
        self.done_label.setVisible(bool(text))

    # --- starting again ------------------------------------------------------
    def ask_reset(self) -> bool:
        answer = QMessageBox.question(
            self.host, "Reset lesson?",
            "Start this lesson again from its first step? The network in this window goes back to the "
            "lesson's start (your changes and training here are lost) and the lesson's progress is forgotten.",
            QMessageBox.StandardButton.Reset | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Reset

    def reset_lesson(self) -> None:
        if not self.ask_reset():
            return
        self._clear_highlight()
        progress.forget(self.lesson.id)
        self.visit = LessonVisit(self.lesson)
        self.host.document.load(start_project(self.lesson))
        self._enter_step(record=False)

    # --- pointing at controls ------------------------------------------------
    def _highlight(self, name: str) -> None:
        from laegna_gui.ui.lessons import controls  # written beside this panel; loaded when a step points

        controls.highlight(self.host, name)

    def _clear_highlight(self) -> None:
        if self.visit.step.highlight:
            from laegna_gui.ui.lessons import controls

            controls.clear_highlight(self.host)


def _row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(6)
    for button in buttons:
        row.addWidget(button, 1)
    return row
