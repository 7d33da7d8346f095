"""Every shipped lesson, read from its file: each goal is not met where the lesson starts
(untrained), and each step's known solution meets all of that step's goals."""

from __future__ import annotations

import pytest

from laegna_gui.core.lesson_file import all_lessons, lesson_ids, load_lesson
from laegna_gui.core.presets import preset_names
from laegna_gui.engine.lesson_check import check_goals, solved_project, trained_values
from laegna_gui.engine.lesson_values import lesson_values
from laegna_gui.engine.trainer import Trainer

GOAL_STEPS = [(lesson_id, i) for lesson_id in lesson_ids()
              for i, step in enumerate(load_lesson(lesson_id).steps) if step.goals]


def test_there_is_a_lesson_per_preset_and_at_least_18_with_goals_in_each():
    lessons = all_lessons()
    assert len(lessons) >= 18
    assert set(preset_names()) <= {lesson.id for lesson in lessons}
    assert all(lesson.goals for lesson in lessons)


@pytest.mark.parametrize("lesson_id", lesson_ids())
def test_no_goal_is_met_at_the_start(lesson_id):
    lesson = load_lesson(lesson_id)
    start = lesson.start()
    values = lesson_values(start, Trainer(start).snapshot())
    met = [r.goal.id for r in check_goals(lesson.goals, values) if r.met]
    assert met == [], f"{lesson_id}: met before the learner did anything"


@pytest.mark.parametrize(("lesson_id", "index"), GOAL_STEPS)
def test_the_known_solution_meets_every_goal_of_its_step(lesson_id, index):
    lesson = load_lesson(lesson_id)
    step = lesson.steps[index]
    assert step.solution is not None, f"{lesson_id} step {index + 1} has goals but no known solution"
    values = trained_values(solved_project(lesson, step.solution), step.solution.steps)
    results = check_goals(step.goals, values)
    assert all(r.met for r in results), [(r.goal.id, r.value) for r in results if not r.met]
