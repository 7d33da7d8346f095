"""Lessons ▸ Classroom ▸ Hide Controls…: a checklist of the window's controls (the names a
lesson file uses, each explained); the checked ones are the project's hidden controls."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from laegna_gui.core.lesson_words import CONTROLS

EXPLANATION = ("Checked controls are hidden whenever this project opens, so a class sees only what "
               "the lesson needs. Save the project to keep the choice; Show All Controls brings "
               "everything back for you alone.")


class HideControlsDialog(QDialog):
    def __init__(self, hidden: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hideControlsDialog")
        self.setWindowTitle("Hide Controls")
        self.list = QListWidget(objectName="hiddenControlsList")
        for name, description in CONTROLS.items():
            item = QListWidgetItem(f"{description[0].upper()}{description[1:]}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(f"{name} — the name a lesson file uses")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in hidden else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        explanation = QLabel(EXPLANATION, wordWrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        # the whole list without scrolling, however large the font
        frame = 2 * self.list.frameWidth()
        self.list.setMinimumSize(self.list.sizeHintForColumn(0) + frame + 24,
                                 self.list.sizeHintForRow(0) * self.list.count() + frame)

    def items(self) -> list[QListWidgetItem]:
        return [self.list.item(row) for row in range(self.list.count())]

    def set_checked(self, names: tuple[str, ...] | list[str]) -> None:
        for item in self.items():
            checked = item.data(Qt.ItemDataRole.UserRole) in names
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def chosen(self) -> tuple[str, ...]:
        """The checked controls, in the order lesson_words lists them."""
        return tuple(item.data(Qt.ItemDataRole.UserRole) for item in self.items()
                     if item.checkState() == Qt.CheckState.Checked)
