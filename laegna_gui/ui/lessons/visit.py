"""One visit of a lesson: which step is on show and which goals were met on this visit.
A goal once met stays met (latched): training on past the moment, or a change undone,
does not take it back. Qt-free, so the panel (panel.py) is only its view."""

from __future__ import annotations

from laegna_gui.core.lessons import Goal, Lesson, Step
from laegna_gui.core.project import Project


def start_project(lesson: Lesson) -> Project:
    """A fresh copy of the lesson's start, named after the lesson (the window's title)."""
    project = lesson.start()
    project.name = lesson.title
    return project


class LessonVisit:
    def __init__(self, lesson: Lesson, index: int = 0) -> None:
        self.lesson = lesson
        self.index = min(max(index, 0), len(lesson.steps) - 1)
        self.met: set[str] = set()

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.index]

    @property
    def is_last(self) -> bool:
        return self.index == len(self.lesson.steps) - 1

    @property
    def step_done(self) -> bool:
        """Every goal of the step on show is met (a step without goals is done at once)."""
        return all(goal.id in self.met for goal in self.step.goals)

    def go(self, index: int) -> None:
        self.index = min(max(index, 0), len(self.lesson.steps) - 1)

    def waiting(self) -> list[Goal]:
        """The goals of the step on show not met yet: the only ones worth evaluating."""
        return [goal for goal in self.step.goals if goal.id not in self.met]

    def evaluate(self, values: dict) -> list[Goal]:
        """Latch the goals `values` meet; returns those newly met."""
        newly = [goal for goal in self.waiting() if goal.met(values)]
        self.met.update(goal.id for goal in newly)
        return newly
