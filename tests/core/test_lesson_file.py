"""Lesson files are data read as strictly as project files: each defect gets one message that
names its field, and nothing in a lesson is executed."""

from __future__ import annotations

import copy
import json

import pytest

from laegna_gui.core.lesson_file import LessonFileError, load_lesson, loads_lesson
from laegna_gui.core.lesson_words import GOAL_VALUES
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project_file import project_to_data
from laegna_gui.core.resources import resource


def good() -> dict:
    return json.loads(resource("lessons", "xor.json").read_text(encoding="utf-8"))


def test_a_shipped_lesson_reads_into_steps_goals_and_its_start():
    lesson = load_lesson("xor")
    assert lesson.id == "xor" and 3 <= len(lesson.steps) <= 8
    assert lesson.goals and all(goal.when.names <= GOAL_VALUES.keys() for goal in lesson.goals)
    assert lesson.start().graph == load_preset("xor").graph


def test_a_lesson_may_embed_its_network_and_hide_controls():
    data = good()
    data["start"] = {"project": project_to_data(load_preset("and"), with_weights=False)}
    data["classroom"] = {"hidden": ["optimizer", "palette"]}
    lesson = loads_lesson(json.dumps(data))
    start = lesson.start()
    assert start.graph == load_preset("and").graph and start.hidden_controls == ("optimizer", "palette")
    assert lesson.start() is not start and lesson.start().graph is not start.graph  # a fresh copy each time


def _with(change) -> str:
    data = good()
    change(data)
    return json.dumps(data)


def _set(path: list, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


HOSTILE = [
    (_set(["format"], "laegna-project"), "format: expected 'laegna-lesson'"),
    (_set(["version"], 7), "version: 7 is not supported"),
    (_set(["id"], "../../etc"), "id: '../../etc' is not a lesson id"),
    (_set(["concepts"], ["magic"]), "concepts[0]: 'magic' is not a concept"),
    (_set(["start"], {"preset": "nope"}), "start.preset: 'nope' is not a preset"),
    (_set(["start"], {}), "start: give either a preset or an embedded project"),
    (_set(["start"], {"project": {"format": "laegna-project"}}), "start.project:"),
    (_set(["steps"], []), "steps: a lesson has 3 to 8 steps, this one 0"),
    (_set(["steps", 0, "highlight"], "the-kitchen-sink"), "steps[0].highlight: 'the-kitchen-sink' is not a control"),
    (_set(["steps", 0, "text"], "x" * 5000), "steps[0].text: expected text of 1 to 2,000 characters"),
    (_set(["steps", 0, "text"], "see [this](guide:nowhere)"), "steps[0].text: the link guide:nowhere names no guide page"),
    (_set(["steps", 1, "goals", 0, "when"], "__import__('os').system('x')"), "steps[1].goals[0].when: position 1"),
    (_set(["steps", 1, "goals", 0, "when"], "accuracy >= 0.9"), "unknown name 'accuracy'"),
    (_set(["steps", 1, "goals", 0, "when"], "optimizer > \"adam\""), "compared with == or !="),
    (_set(["steps", 2, "goals", 0, "id"], "xor-solved"), "steps[2].goals[0].id: 'xor-solved' is used twice"),
    (_set(["steps", 1, "goals", 0, "what"], 1), "steps[1].goals[0]: unknown field 'what'"),
    (_set(["steps", 1, "solution", "steps"], -1), "steps[1].solution.steps: -1 is outside"),
    (_set(["steps", 1, "solution", "set"], "width=2"), "steps[1].solution.set: expected a list of KEY=VALUE"),
    (_set(["steps", 0, "solution"], {"steps": 5}), "steps[0].solution: a step without goals has nothing to solve"),
    (_set(["classroom"], {"hidden": ["play", "play"]}), "classroom.hidden[1]: 'play' is listed twice"),
    (_set(["extra"], True), "lesson: unknown field 'extra'"),
    (_set(["classroom"], {"hidden": ["canvas"]}), "steps[0].highlight: 'canvas' is one of the controls the lesson's"),
]


@pytest.mark.parametrize(("change", "phrase"), HOSTILE, ids=[p for _, p in HOSTILE])
def test_a_bad_lesson_gets_one_message_naming_its_field(change, phrase):
    with pytest.raises(LessonFileError) as info:
        loads_lesson(_with(change))
    assert phrase in str(info.value) and len(str(info.value)) < 600  # at most a list of the names it takes


@pytest.mark.parametrize(("content", "phrase"), [
    (b"\xff\xfe not text", "is not a text file"),
    (b"{", "not valid JSON"),
    (b"[1, 2]", "not a Laegna lesson file"),
    (b"[" * 100_000, "nested too deeply"),
    (b'{"format": "laegna-lesson", "version": NaN}', "not valid JSON"),
])
def test_a_file_that_is_not_a_lesson_is_refused_with_its_name(tmp_path, content, phrase):
    path = tmp_path / "lesson.json"
    path.write_bytes(content)
    with pytest.raises(LessonFileError) as info:
        load_lesson(path)
    assert phrase in str(info.value) and "lesson.json" in str(info.value)


def test_a_missing_folder_or_a_huge_file_is_refused(tmp_path):
    with pytest.raises(LessonFileError, match="cannot read|not a file|neither"):
        load_lesson(tmp_path / "missing.json")
    with pytest.raises(LessonFileError, match="choose a lesson"):
        load_lesson(tmp_path)  # a folder
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (5 * 2**20))
    with pytest.raises(LessonFileError, match="larger than 4 MB"):
        load_lesson(huge)


def test_the_teachers_format_page_names_every_goal_value_control_and_concept():
    from pathlib import Path

    from laegna_gui.core.lesson_words import CONCEPTS, CONTROLS

    page = (Path(__file__).resolve().parents[2] / "docs" / "lessons.md").read_text(encoding="utf-8")
    for name in [*GOAL_VALUES, *CONTROLS, *CONCEPTS]:
        assert f"| `{name}` |" in page, f"docs/lessons.md does not document {name}"
