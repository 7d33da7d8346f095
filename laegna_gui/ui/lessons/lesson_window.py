"""Starting a lesson: it opens as a new experiment in a window of its own, beside the one it was
started from, whose document (and trained weights) stay as they were. The lesson window's
project is unsaved and named after the lesson; its Lesson dock shows the steps.

The window opens with the first-start layout and does not save it on closing (the lesson dock
is not the user's everyday layout)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow

from laegna_gui.core.lessons import Lesson
from laegna_gui.ui.lessons.panel import LessonPanel
from laegna_gui.ui.lessons.progress import read_progress
from laegna_gui.ui.lessons.visit import start_project

OFFSET = QPoint(40, 40)  # the lesson window, a little below and right of the one it came from
PANEL_WIDTH = 330  # wide enough for a step's text to read as paragraphs
OUTPUT_SHARE = 0.45  # of the width the canvas and the output share beside the lesson

# lesson windows have no parent (they are windows of their own): referenced here until closed
open_windows: list[QMainWindow] = []


def open_lesson(opener: QMainWindow, lesson: Lesson) -> QMainWindow:
    """A new window on the lesson's start, at the step the learner reached before (unless the
    lesson was finished: then from its beginning again)."""
    from laegna_gui.ui.main_window import MainWindow

    window = MainWindow(start_project(lesson), remember_layout=False,
                        autosave=opener.autosaver.folder is not None)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.resize(opener.size())
    window.move(opener.pos() + OFFSET)
    dock = add_lesson_dock(window, lesson, _resume_at(lesson))
    open_windows.append(window)
    window.destroyed.connect(lambda _=None, w=window: open_windows.remove(w))
    window.show()
    QTimer.singleShot(0, window, lambda: _make_room(window, dock))  # after the window's own first sizes
    return window


def add_lesson_dock(window: QMainWindow, lesson: Lesson, index: int = 0) -> QDockWidget:
    """The Lesson dock, right of the Output view."""
    dock = QDockWidget("Lesson", window, objectName="dockLesson")
    dock.setWidget(LessonPanel(window, lesson, index))
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.splitDockWidget(window.findChild(QDockWidget, "dockOutput"), dock, Qt.Orientation.Horizontal)
    window.lesson_panel = dock.widget()
    return dock


def _make_room(window: QMainWindow, dock: QDockWidget) -> None:
    """The lesson takes its width from the Output view rather than the canvas: the network
    stays readable, the output square gets smaller."""
    output = window.findChild(QDockWidget, "dockOutput")
    if output.isHidden():  # a classroom that hides the output: the canvas has the room
        window.resizeDocks([dock], [PANEL_WIDTH], Qt.Orientation.Horizontal)
    else:
        free = output.width() + window.centralWidget().width() + dock.width() - PANEL_WIDTH
        window.resizeDocks([output, dock], [int(free * OUTPUT_SHARE), PANEL_WIDTH], Qt.Orientation.Horizontal)
    QTimer.singleShot(0, window.canvas, window.canvas.fit)  # once the canvas has its new width


def _resume_at(lesson: Lesson) -> int:
    reached = read_progress(lesson.id)
    return 0 if reached.finished or reached.step is None else reached.step
