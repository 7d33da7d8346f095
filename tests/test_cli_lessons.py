"""`laegna-gui lessons` and `lesson-check` as a user (or a teacher's script) runs them."""

from __future__ import annotations

import json

import pytest

from laegna_gui.cli import main
from laegna_gui.core.lesson_file import all_lessons


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_lessons_json_lists_every_lesson_with_its_goals(capsys):
    code, out, _ = run(capsys, "lessons", "--json")
    listed = json.loads(out)["lessons"]
    lessons = {lesson.id: lesson for lesson in all_lessons()}
    assert code == 0 and [e["id"] for e in listed] == sorted(lessons)
    for entry in listed:
        lesson = lessons[entry["id"]]
        assert entry["title"] == lesson.title and entry["concepts"] == list(lesson.concepts)
        assert entry["steps"] == len(lesson.steps)
        assert entry["goals"] == [{"id": g.id, "text": g.text} for g in lesson.goals]


def test_lessons_text_has_a_line_per_lesson(capsys):
    code, out, _ = run(capsys, "lessons")
    assert code == 0 and len(out.splitlines()) == len(all_lessons()) and "xor" in out


def test_lesson_check_reports_each_goal_met_or_not_with_the_value_it_saw(capsys):
    code, out, _ = run(capsys, "lesson-check", "xor", "xor", "--steps", "0", "--json")
    untrained = {g["id"]: g for g in json.loads(out)["goals"]}
    code_trained, out, _ = run(capsys, "lesson-check", "xor", "xor", "--steps", "500", "--json")
    trained = {g["id"]: g for g in json.loads(out)["goals"]}
    assert code == code_trained == 0
    assert untrained["xor-solved"]["met"] is False and trained["xor-solved"]["met"] is True
    assert trained["xor-solved"]["value"] >= 0.95 > untrained["xor-solved"]["value"]
    assert set(trained["xor-two-units"]["value"]) == {"hidden_units", "test_accuracy"}  # every name it read
    assert trained["xor-two-units"]["value"]["hidden_units"] == 4 and not trained["xor-two-units"]["met"]


def test_lesson_check_text_marks_met_goals(capsys):
    code, out, _ = run(capsys, "lesson-check", "xor", "xor", "--steps", "500")
    assert code == 0 and "✓ xor-solved" in out and "· xor-two-units" in out


def test_a_diverging_run_is_checked_not_refused(capsys, tmp_path):
    code, out, _ = run(capsys, "lesson-check", "xor", "exploding", "--steps", "300", "--json")
    assert code == 0 and {g["id"] for g in json.loads(out)["goals"]} >= {"xor-solved"}


@pytest.mark.parametrize(("argv", "phrase"), [
    (("lesson-check", "no-such-lesson", "xor"), "is neither a lesson file nor a lesson"),
    (("lesson-check", "xor", "no-such-preset"), "is neither a project file nor a preset"),
    (("lesson-check", "xor", "xor", "--steps", "-3"), "--steps"),
    (("lesson-check", "missing.json", "xor"), "cannot read"),
])
def test_bad_arguments_get_one_error_line_and_status_2(capsys, argv, phrase):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and phrase in err and len(err.strip().splitlines()) == 1
