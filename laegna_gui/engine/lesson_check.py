"""Checking a lesson's goals on a trained project (`laegna-gui lesson-check`, and the tests
that prove each shipped lesson can be solved): train N steps, take the snapshot the views
would get, and evaluate every goal on its values."""

from __future__ import annotations

from dataclasses import dataclass

from laegna_gui.core.errors import TrainingDiverged
from laegna_gui.core.lessons import Goal, Lesson, Solution
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project import Project
from laegna_gui.core.variations import apply, parse_axis
from laegna_gui.engine.lesson_values import lesson_values
from laegna_gui.engine.trainer import Trainer


@dataclass(frozen=True)
class GoalResult:
    goal: Goal
    met: bool
    values: dict  # the values the goal read, by name

    @property
    def value(self):
        """The value it saw: the one name's, or every name's it reads."""
        if len(self.values) == 1:
            return next(iter(self.values.values()))
        return dict(self.values)


def trained_values(project: Project, steps: int, run=None) -> dict:
    """Train `project` `steps` steps (`run(trainer, steps)` if given: the command line's
    interruptible chunks) and measure every goal value. A run that diverges stops there
    with `loss_diverged` true, as the window's would."""
    trainer = Trainer(project)
    diverged = False
    try:
        (run or (lambda t, n: t.run(n)))(trainer, steps)
    except TrainingDiverged:
        diverged = True
    return lesson_values(project, trainer.snapshot(with_probes=True), diverged)


def check_goals(goals: tuple[Goal, ...], values: dict) -> list[GoalResult]:
    return [GoalResult(goal, goal.met(values), {name: values[name] for name in sorted(goal.when.names)})
            for goal in goals]


def solved_project(lesson: Lesson, solution: Solution) -> Project:
    """The project a step's known solution trains: the lesson's start (or its preset) with
    the solution's settings changed, checked as `compare --vary` checks them."""
    project = load_preset(solution.preset) if solution.preset else lesson.start()
    for setting in solution.settings:
        project = apply(project, parse_axis(setting, project, "solution"))
    return project
