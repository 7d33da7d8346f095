"""The shipped lessons as the picker lists them: grouped by their first concept, in the order
the concepts are taught (lesson_words.CONCEPTS). A shipped file that cannot be read is left
out with a note, so one broken lesson never hides the others. Qt-free."""

from __future__ import annotations

from dataclasses import dataclass

from laegna_gui.core.lesson_file import LessonFileError, lesson_ids, load_lesson
from laegna_gui.core.lesson_words import CONCEPTS
from laegna_gui.core.lessons import Lesson


@dataclass(frozen=True)
class Catalogue:
    """`groups`: (concept title, its lessons by title), in CONCEPTS order; `problems`: one
    line per shipped file left out."""

    groups: tuple[tuple[str, tuple[Lesson, ...]], ...]
    problems: tuple[str, ...] = ()


def shipped_catalogue() -> Catalogue:
    lessons, problems = [], []
    for lesson_id in lesson_ids():
        try:
            lessons.append(load_lesson(lesson_id))
        except LessonFileError as exc:
            problems.append(str(exc))
    return Catalogue(grouped(lessons), tuple(problems))


def grouped(lessons: list[Lesson]) -> tuple[tuple[str, tuple[Lesson, ...]], ...]:
    groups = []
    for concept, (title, _page) in CONCEPTS.items():
        members = sorted((x for x in lessons if x.concepts[0] == concept), key=lambda x: x.title.lower())
        if members:
            groups.append((title, tuple(members)))
    return tuple(groups)
