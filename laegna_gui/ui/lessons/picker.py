"""Lessons ▸ Lessons…: every shipped lesson, grouped by the concept it teaches first, with its
number of steps and how far the learner got; Start opens the chosen one in a window of its own
(lesson_window.py). A shipped file that cannot be read is left out with a note."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHeaderView, QLabel, QMainWindow, QMessageBox, QPushButton, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout,
)

from laegna_gui.core.lessons import Lesson
from laegna_gui.ui.lessons import progress
from laegna_gui.ui.lessons.catalogue import Catalogue, shipped_catalogue
from laegna_gui.ui.lessons.lesson_window import open_lesson
from laegna_gui.ui.look.style import set_role

COLUMNS = ("Lesson", "Steps", "Progress")
LESSON = Qt.ItemDataRole.UserRole
INTRO = ("Each lesson opens in a window of its own, with its own network: the work in this window "
         "stays as it is.")


class LessonPicker(QDialog):
    def __init__(self, window: QMainWindow, catalogue: Catalogue | None = None) -> None:
        super().__init__(window)
        self.setObjectName("lessonPicker")
        self.setWindowTitle("Lessons — Laegna")
        self.resize(640, 520)
        self.host = window
        self.catalogue = catalogue or shipped_catalogue()
        self.opened: QMainWindow | None = None  # the last lesson window started from here
        self.tree = QTreeWidget(objectName="lessonList", columnCount=len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemActivated.connect(lambda item, _column: self.start())
        intro = QLabel(INTRO, objectName="lessonIntro", wordWrap=True)
        set_role(intro, "muted")
        self.note = QLabel(objectName="lessonProblems", wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        set_role(self.note, "error")
        self._build_buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self._fill()

    def _build_buttons(self) -> None:
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, objectName="lessonButtons")
        self.start_button = QPushButton("Start", objectName="lessonStart", default=True, enabled=False)
        self.forget_button = QPushButton("Forget progress", objectName="lessonForget",
                                         toolTip="Forget how far anyone got in every lesson (a shared computer)")
        self.buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.forget_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.start_button.clicked.connect(self.start)
        self.forget_button.clicked.connect(self.forget_all)
        self.buttons.rejected.connect(self.close)

    def _fill(self) -> None:
        self.tree.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        for title, lessons in self.catalogue.groups:
            group = QTreeWidgetItem(self.tree, [title])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            group.setFont(0, bold)
            group.setFirstColumnSpanned(True)
            for lesson in lessons:
                self._lesson_item(group, lesson)
        self.tree.expandAll()
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        problems = self.catalogue.problems
        self.note.setText(f"Left out, as {'it' if len(problems) == 1 else 'they'} cannot be read:\n"
                          + "\n".join(problems) if problems else "")
        self.note.setVisible(bool(problems))

    def _lesson_item(self, group: QTreeWidgetItem, lesson: Lesson) -> QTreeWidgetItem:
        item = QTreeWidgetItem(group, [lesson.title, str(len(lesson.steps)),
                                       progress.progress_text(lesson, progress.read_progress(lesson.id))])
        item.setData(0, LESSON, lesson)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignCenter)
        item.setToolTip(0, lesson.title)
        return item

    def lesson_items(self) -> list[QTreeWidgetItem]:
        groups = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        return [group.child(i) for group in groups for i in range(group.childCount())]

    def selected(self) -> Lesson | None:
        items = self.tree.selectedItems()
        return items[0].data(0, LESSON) if items else None

    def select(self, lesson_id: str) -> None:
        for item in self.lesson_items():
            if item.data(0, LESSON).id == lesson_id:
                self.tree.setCurrentItem(item)

    def _selection_changed(self) -> None:
        lesson = self.selected()
        self.start_button.setEnabled(lesson is not None)
        reached = progress.read_progress(lesson.id) if lesson is not None else progress.Progress()
        self.start_button.setText("Continue" if reached.step and not reached.finished else "Start")

    # --- verbs ---------------------------------------------------------------
    def start(self) -> None:
        lesson = self.selected()
        if lesson is None:
            return
        self.opened = open_lesson(self.host, lesson)
        self.close()

    def ask_forget(self) -> bool:
        answer = QMessageBox.question(
            self, "Forget progress?", "Forget how far anyone got in every lesson? Each one shows as not started.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def forget_all(self) -> None:
        if self.ask_forget():
            chosen = self.selected()
            progress.forget_all()
            self._fill()
            if chosen is not None:
                self.select(chosen.id)
