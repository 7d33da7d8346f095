"""The goals of the step on show, one line each: "○" while not met, a green "✓" the moment it
is met (the style sheet's "ok" role, readable in both themes). The mark, not only the colour,
says which goals are met."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from laegna_gui.core.lessons import Goal
from laegna_gui.ui.look.style import set_role

NOT_MET, MET = "○", "✓"
NO_GOALS = "No goal in this step: read it, then press Next."


class GoalsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonGoals")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.rows: dict[str, QLabel] = {}

    def show_goals(self, goals: tuple[Goal, ...], met: set[str]) -> None:
        while self._layout.count():
            old = self._layout.takeAt(0).widget()
            old.hide()  # at once: it is deleted only when the event loop next runs
            old.deleteLater()
        self.rows = {}
        if not goals:
            self._layout.addWidget(self._label("lessonNoGoals", NO_GOALS, "muted"))
        for goal in goals:
            self.rows[goal.id] = self._label(f"lessonGoal_{goal.id}", "", None)
            self.rows[goal.id].setProperty("goal_text", goal.text)
            self._layout.addWidget(self.rows[goal.id])
            self.set_met(goal.id, goal.id in met)

    def set_met(self, goal_id: str, met: bool) -> None:
        row = self.rows[goal_id]
        row.setText(f"{MET if met else NOT_MET}  {row.property('goal_text')}")
        row.setToolTip("Met" if met else "Not met yet")
        row.setAccessibleName(f"{'Met' if met else 'Not met yet'}: {row.property('goal_text')}")
        set_role(row, "ok" if met else None)

    def is_met(self, goal_id: str) -> bool:
        return self.rows[goal_id].property("role") == "ok"

    def _label(self, name: str, text: str, role: str | None) -> QLabel:
        label = QLabel(text, objectName=name, wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        set_role(label, role)
        return label
