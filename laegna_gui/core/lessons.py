"""Lessons: a starting project and 3–8 steps of text, each step perhaps pointing at a
control and carrying goals checked on the live model. Read from files (lesson_file.py);
the shipped ones live in resources/lessons/, one `<id>.json` each."""

from __future__ import annotations

from dataclasses import dataclass

from laegna_gui.core.expression import Expression
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project import Project


@dataclass(frozen=True)
class Goal:
    """`when` is a condition over GOAL_VALUES (lesson_words.py), e.g. test_accuracy >= 0.95."""

    id: str
    text: str
    when: Expression

    def met(self, values: dict) -> bool:
        return bool(self.when.evaluate(values))


@dataclass(frozen=True)
class Solution:
    """A known way to meet a step's goals (tests check every shipped one; a learner may ask
    to see it): start from `preset` (default: the lesson's start), change `settings`
    (KEY=VALUE, as `laegna-gui compare --vary`), train `steps` steps."""

    settings: tuple[str, ...]
    steps: int
    preset: str | None = None
    text: str = ""


@dataclass(frozen=True)
class Step:
    text: str
    highlight: str | None = None
    goals: tuple[Goal, ...] = ()
    hint: str = ""
    solution: Solution | None = None


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    concepts: tuple[str, ...]
    steps: tuple[Step, ...]
    start_preset: str | None = None
    start_project: Project | None = None  # an embedded network, when not a preset
    hidden: tuple[str, ...] = ()  # controls the classroom does not show

    @property
    def goals(self) -> tuple[Goal, ...]:
        return tuple(goal for step in self.steps for goal in step.goals)

    def start(self) -> Project:
        """A fresh copy of the project the lesson starts from."""
        project = load_preset(self.start_preset) if self.start_preset else self.start_project.copy()
        project.hidden_controls = self.hidden or project.hidden_controls
        return project
