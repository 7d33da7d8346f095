"""Lessons in tests: starting one through the real window, and closing every lesson window
(a window of its own, which pytest-qt does not own) when the test ends."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from laegna_gui.core.lesson_file import load_lesson
from laegna_gui.core.resources import resource
from laegna_gui.ui.lessons.lesson_window import open_lesson, open_windows
from laegna_gui.ui.lessons.picker import LessonPicker
from window_helpers import WAIT, training_window

XOR_TITLE = "XOR: a hidden layer bends the boundary"
XOR_STEPS = len(load_lesson("xor").steps)


def close_lesson_windows(qtbot):
    """For a fixture: at the end of the test, close every lesson window ("discard" answering
    any question) and wait until each is gone."""
    yield
    for window in list(open_windows):
        window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        window.close()
    qtbot.waitUntil(lambda: not open_windows, timeout=WAIT)


def picker_of(qtbot, opener) -> LessonPicker:
    """Lessons ▸ Lessons… in `opener`: the list it opens."""
    opener.actions["lessons"].trigger()
    shown = [picker for picker in opener.findChildren(LessonPicker) if picker.isVisible()]  # not one closed
    assert len(shown) == 1
    return shown[0]


def start_from_list(qtbot, opener, lesson_id: str = "xor"):
    """The lesson window started with the list's Start button, and its lesson panel."""
    picker = picker_of(qtbot, opener)
    picker.select(lesson_id)
    qtbot.mouseClick(picker.start_button, Qt.MouseButton.LeftButton)
    window = picker.opened
    qtbot.waitExposed(window)
    return window, window.lesson_panel


def xor_item(picker: LessonPicker):
    return next(item for item in picker.lesson_items() if item.text(0) == XOR_TITLE)


def lesson_window(qtbot, lesson=None):
    """A lesson window (xor's unless `lesson`) with its first numbers in, and its panel."""
    opener, _ctl = training_window(qtbot)
    window = open_lesson(opener, lesson or load_lesson("xor"))
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.training.controller.latest is not None, timeout=WAIT)
    return window, window.lesson_panel


def first_dense(window) -> str:
    graph = window.document.graph
    return next(n for n in graph.topological_order() if graph.node(n).type == "dense")


def xor_lesson_text() -> str:
    """The shipped xor lesson's file, to make variants of."""
    return resource("lessons", "xor.json").read_text(encoding="utf-8")
