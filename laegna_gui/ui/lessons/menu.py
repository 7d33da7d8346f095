"""The Lessons menu's handlers: the lesson list, and a teacher's own lesson file. The lesson
modules load when first used, not when the window opens."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMessageBox

FILE_FILTER = "Laegna lessons (*.json);;All files (*)"


def open_picker(window: QMainWindow) -> QDialog:
    from laegna_gui.ui.lessons.picker import LessonPicker

    picker = LessonPicker(window)
    picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    picker.show()
    return picker


def ask_lesson_path(window: QMainWindow) -> str:
    path, _filter = QFileDialog.getOpenFileName(window, "Open Lesson File", "", FILE_FILTER)
    return path


def open_lesson_file(window: QMainWindow, path: str | Path | None = None) -> QMainWindow | None:
    """Start the lesson in the file (asked for without `path`). A file that is not a usable
    lesson gets one message naming what is wrong, and nothing else happens."""
    from laegna_gui.core.lesson_file import LessonFileError, load_lesson
    from laegna_gui.ui.lessons.lesson_window import open_lesson

    path = path or ask_lesson_path(window)
    if not path:
        return None
    try:
        lesson = load_lesson(Path(path))
    except LessonFileError as exc:
        show_lesson_error(window, str(exc))
        return None
    return open_lesson(window, lesson)


def show_lesson_error(window: QMainWindow, problem: str) -> None:
    """`problem` names the file and the field at fault (core/lesson_file.py)."""
    QMessageBox.warning(window, "Cannot open lesson",
                        f"The lesson was not opened.\n\n{problem}\n\nNothing else has changed.")
