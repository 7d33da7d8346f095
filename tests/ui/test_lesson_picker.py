"""The lesson list and lesson files (issue 19): lessons grouped by the concept they teach
first, each with its steps and progress; progress remembered across windows, finished once
every goal was met and the last step reached, forgotten on request; a shipped file that cannot
be read left out with a note; a teacher's own file opened, or refused with one clear message
and nothing else changed."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from lesson_helpers import (
    XOR_STEPS, XOR_TITLE, close_lesson_windows, lesson_window, picker_of, start_from_list, xor_item, xor_lesson_text,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from laegna_gui.core.lesson_file import LessonFileError, load_lesson, loads_lesson
from laegna_gui.core.lesson_words import CONCEPTS
from laegna_gui.ui.lessons import catalogue, menu, progress
from laegna_gui.ui.lessons.lesson_window import open_windows
from laegna_gui.ui.lessons.panel import GOALS_OPEN, LESSON_DONE, STEP_DONE
from window_helpers import training_window


@pytest.fixture(autouse=True)
def _lesson_windows_closed(qtbot):
    yield from close_lesson_windows(qtbot)


def test_progress_is_remembered_and_shown_in_the_list(qtbot):
    opener, _ctl = training_window(qtbot)
    picker = picker_of(qtbot, opener)
    assert xor_item(picker).text(2) == "not started"
    picker.close()
    window, panel = start_from_list(qtbot, opener)
    panel.go(1)
    panel.go(2)
    picker = picker_of(qtbot, opener)
    assert (xor_item(picker).text(1), xor_item(picker).text(2)) == (str(XOR_STEPS), f"step 3 of {XOR_STEPS}")
    picker.select("xor")
    assert picker.start_button.text() == "Continue"
    qtbot.mouseClick(picker.start_button, Qt.MouseButton.LeftButton)
    assert picker.opened.lesson_panel.step_label.text() == f"Step 3 of {XOR_STEPS}"  # where the learner left off
    picker = picker_of(qtbot, opener)
    picker.ask_forget = lambda: True
    qtbot.mouseClick(picker.forget_button, Qt.MouseButton.LeftButton)
    assert xor_item(picker).text(2) == "not started"


def test_a_lesson_is_finished_with_its_last_step_reached_and_every_goal_met(qtbot):
    lesson = load_lesson("xor")
    progress.record_step(lesson, len(lesson.steps) - 1)
    *first, last = [goal.id for goal in lesson.goals]
    assert not progress.record_met(lesson, set(first)).finished
    assert progress.record_met(lesson, {last}).finished
    assert progress.progress_text(lesson, progress.read_progress("xor")) == "✓ finished"
    progress.forget("xor")
    assert progress.read_progress("xor") == progress.Progress()


def test_a_bad_lesson_file_gives_one_clear_message_and_changes_nothing(qtbot, monkeypatch, tmp_path):
    opener, ctl = training_window(qtbot)
    data = json.loads(xor_lesson_text())
    data["steps"] = data["steps"][:2]
    bad = tmp_path / "two-steps.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    shown = []
    monkeypatch.setattr(menu, "ask_lesson_path", lambda window: str(bad))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[1:]))
    project, modified = opener.document.project, opener.document.modified
    opener.actions["open_lesson"].trigger()
    assert len(shown) == 1
    title, text = shown[0][:2]
    assert title == "Cannot open lesson" and "two-steps.json" in text and "steps:" in text and "3 to 8" in text
    assert not open_windows and opener.document.project is project and opener.document.modified == modified


def test_a_good_lesson_file_opens_in_a_window_of_its_own(qtbot, monkeypatch, tmp_path):
    opener, _ctl = training_window(qtbot)
    own = tmp_path / "mine.json"
    own.write_text(xor_lesson_text().replace('"id": "xor"', '"id": "my-xor"'), encoding="utf-8")
    monkeypatch.setattr(menu, "ask_lesson_path", lambda window: str(own))
    opener.actions["open_lesson"].trigger()
    assert len(open_windows) == 1 and open_windows[0].lesson_panel.lesson.id == "my-xor"


def test_a_shipped_lesson_that_cannot_be_read_is_left_out_with_a_note(qtbot, monkeypatch):
    def load(lesson_id):
        if lesson_id == "broken":
            raise LessonFileError("broken.json: steps: a lesson has 3 to 8 steps, this one 1")
        return load_lesson(lesson_id)
    monkeypatch.setattr(catalogue, "lesson_ids", lambda: ["broken", "xor"])
    monkeypatch.setattr(catalogue, "load_lesson", load)
    opener, _ctl = training_window(qtbot)
    picker = picker_of(qtbot, opener)
    assert [item.text(0) for item in picker.lesson_items()] == [XOR_TITLE]
    assert picker.note.isVisible() and "broken.json" in picker.note.text()
    group = picker.tree.topLevelItem(0)
    assert group.text(0) == "Hidden layers"  # the xor lesson's first concept


def test_the_list_groups_lessons_by_their_first_concept_in_the_order_concepts_are_taught(qtbot):
    xor = load_lesson("xor")
    progress.record_step(xor, XOR_STEPS - 1)
    progress.record_met(xor, {goal.id for goal in xor.goals})
    opener, _ctl = training_window(qtbot)
    picker = picker_of(qtbot, opener)
    groups = [picker.tree.topLevelItem(i) for i in range(picker.tree.topLevelItemCount())]
    titles = [group.text(0) for group in groups]
    assert titles == [title for title, _page in CONCEPTS.values() if title in titles] and len(titles) >= 1
    for group in groups:
        for i in range(group.childCount()):
            lesson = group.child(i).data(0, Qt.ItemDataRole.UserRole)
            assert CONCEPTS[lesson.concepts[0]][0] == group.text(0)
            assert group.child(i).text(1) == str(len(lesson.steps))
    assert xor_item(picker).text(2) == "✓ finished" and not picker.note.isVisible()
    picker.select("xor")
    assert picker.start_button.text() == "Start"  # a finished lesson starts from its beginning again


def test_the_lesson_is_finished_once_every_goal_was_met_and_the_last_step_reached(qtbot):
    data = json.loads(xor_lesson_text())
    data["id"] = "settings-only"
    for raw in data["steps"]:
        raw.pop("goals", None)
        raw.pop("solution", None)
    data["steps"][1]["goals"] = [{"id": "fast", "text": "Learning rate 0.5", "when": "learning_rate >= 0.5"}]
    data["steps"][-1]["goals"] = [{"id": "calm", "text": "Momentum at most 0.5", "when": "momentum <= 0.5"}]
    last = len(data["steps"]) - 1
    window, panel = lesson_window(qtbot, loads_lesson(json.dumps(data)))
    document = window.document
    panel.go(last)
    document.set_training(replace(document.project.training, momentum=0.5))
    assert panel.done_label.text() == GOALS_OPEN  # step 2's goal is still open
    panel.go(1)
    document.set_training(replace(document.project.training, learning_rate=0.5))
    assert panel.done_label.text() == STEP_DONE and progress.read_progress("settings-only").finished
    panel.go(last)
    assert panel.done_label.isVisible() and panel.done_label.text() == LESSON_DONE
