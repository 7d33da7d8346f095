"""Reading lesson files (JSON; the format is documented in docs/lessons.md).

A lesson file is data, read as strictly as a project file: every field is checked, goals are
parsed by the safe expression language (never evaluated by Python), and one LessonFileError
names the field at fault. Nothing in a lesson is executed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from laegna_gui.core.errors import LaegnaError, ProjectFileError
from laegna_gui.core.expression import parse_expression
from laegna_gui.core.lesson_words import CONCEPTS, CONTROLS, GOAL_VALUES
from laegna_gui.core.lessons import Goal, Lesson, Solution, Step
from laegna_gui.core.presets import preset_names
from laegna_gui.core.project_file import parse_json, project_from_data
from laegna_gui.core.project_schema import check_text, read_hidden, require
from laegna_gui.core.regular_file import NotAFileError, read_regular
from laegna_gui.core.resources import resource

FORMAT = "laegna-lesson"
VERSION = 1
MAX_LESSON_BYTES = 4 * 2**20  # text and perhaps a small embedded network
MIN_STEPS, MAX_STEPS = 3, 8
MAX_GOALS = 6  # of one step
MAX_TEXT_CHARS = 2_000  # a step's text: a few short paragraphs
MAX_TITLE_CHARS = 120
MAX_SOLUTION_STEPS = 100_000  # a solution a test (and a learner) can run in moments
ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
GUIDE_LINK = re.compile(r"\]\(guide:([^)]*)\)")
_KEYS = {"format", "version", "id", "title", "concepts", "start", "classroom", "steps"}
_STEP_KEYS = {"text", "highlight", "goals", "hint", "solution"}


class LessonFileError(ProjectFileError):
    """A lesson file that cannot be used; the message names the field."""


def lesson_ids() -> list[str]:
    return sorted(p.stem for p in resource("lessons").glob("*.json"))


def load_lesson(name_or_path: str | Path) -> Lesson:
    """A shipped lesson by id, or a lesson file by path."""
    path = Path(name_or_path)
    if str(name_or_path) in lesson_ids():
        path = resource("lessons", f"{name_or_path}.json")
    elif path.suffix != ".json" and not path.exists():
        raise LessonFileError(f"{str(name_or_path)!r} is neither a lesson file nor a lesson "
                              f"({', '.join(lesson_ids())})")
    try:
        raw = read_regular(path, MAX_LESSON_BYTES)
    except NotAFileError as exc:
        raise LessonFileError(f"{exc}; choose a lesson .json file") from None
    except OSError as exc:
        raise LessonFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_LESSON_BYTES:
        raise LessonFileError(f"{path.name} is larger than {MAX_LESSON_BYTES // 2**20} MB, the most a lesson may be")
    try:
        return loads_lesson(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise LessonFileError(f"{path.name} is not a text file, so it is not a lesson") from None
    except LessonFileError as exc:
        raise LessonFileError(f"{path.name}: {exc}") from None


def all_lessons() -> list[Lesson]:
    return [load_lesson(name) for name in lesson_ids()]


def loads_lesson(text: str) -> Lesson:
    try:
        data = parse_json(text)
    except ProjectFileError as exc:
        raise LessonFileError(str(exc).replace("project", "lesson")) from None
    try:
        return lesson_from_data(data)
    except LessonFileError:
        raise
    except LaegnaError as exc:
        raise LessonFileError(str(exc)) from None


def lesson_from_data(data: Any) -> Lesson:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise LessonFileError(f"format: expected {FORMAT!r}; this is not a Laegna lesson file")
    _known_keys(data, _KEYS, "")
    version = require(data, "version", int, "")
    if version != VERSION:
        raise LessonFileError(f"version: {version} is not supported (this Laegna reads version {VERSION})")
    lesson_id = require(data, "id", str, "")
    if not ID.fullmatch(lesson_id):
        raise LessonFileError(f"id: {lesson_id[:60]!r} is not a lesson id (lower-case letters, digits and "
                              "hyphens, at most 40)")
    title = check_text(data.get("title"), "title", MAX_TITLE_CHARS)
    concepts = _concepts(require(data, "concepts", list, ""))
    preset, project = _start(require(data, "start", dict, ""))
    hidden = ()
    if data.get("classroom") is not None:
        hidden = read_hidden(require(data["classroom"], "hidden", list, "classroom"), "classroom.hidden")
    raw_steps = require(data, "steps", list, "")
    if not MIN_STEPS <= len(raw_steps) <= MAX_STEPS:
        raise LessonFileError(f"steps: a lesson has {MIN_STEPS} to {MAX_STEPS} steps, this one {len(raw_steps)}")
    seen: set[str] = set()
    steps = tuple(_step(raw, f"steps[{i}]", seen) for i, raw in enumerate(raw_steps))
    for i, step in enumerate(steps):
        if step.highlight in hidden:
            raise LessonFileError(f"steps[{i}].highlight: {step.highlight!r} is one of the controls the lesson's "
                                  "classroom hides, so the learner could not see it")
    return Lesson(lesson_id, title, concepts, steps, preset, project, hidden)


def _known_keys(data: dict, keys: set[str], where: str) -> None:
    unknown = sorted(set(data) - keys)
    if unknown:
        raise LessonFileError(f"{where or 'lesson'}: unknown field {unknown[0][:40]!r}; "
                              f"the fields are {', '.join(sorted(keys))}")


def _concepts(raw: list) -> tuple[str, ...]:
    if not 1 <= len(raw) <= len(CONCEPTS):
        raise LessonFileError(f"concepts: expected 1 to {len(CONCEPTS)} concepts")
    for i, concept in enumerate(raw):
        if not isinstance(concept, str) or concept not in CONCEPTS:
            raise LessonFileError(f"concepts[{i}]: {str(concept)[:40]!r} is not a concept; "
                                  f"the concepts are {', '.join(CONCEPTS)}")
    return tuple(dict.fromkeys(raw))


def _start(raw: dict):
    _known_keys(raw, {"preset", "project"}, "start")
    if ("preset" in raw) == ("project" in raw):
        raise LessonFileError("start: give either a preset or an embedded project")
    if "preset" in raw:
        return _preset(raw["preset"], "start.preset"), None
    try:
        return None, project_from_data(raw["project"])
    except LaegnaError as exc:
        raise LessonFileError(f"start.project: {exc}") from None


def _preset(name: Any, where: str) -> str:
    if not isinstance(name, str) or name not in preset_names():
        raise LessonFileError(f"{where}: {str(name)[:40]!r} is not a preset; the presets are {', '.join(preset_names())}")
    return name


def _step(raw: Any, where: str, seen: set[str]) -> Step:
    if not isinstance(raw, dict):
        raise LessonFileError(f"{where}: expected an object")
    _known_keys(raw, _STEP_KEYS, where)
    text = _text_with_links(raw.get("text"), f"{where}.text")
    highlight = raw.get("highlight")
    if highlight is not None and highlight not in CONTROLS:
        raise LessonFileError(f"{where}.highlight: {str(highlight)[:40]!r} is not a control; "
                              f"the controls are {', '.join(CONTROLS)}")
    goals = tuple(_goal(g, f"{where}.goals[{i}]", seen) for i, g in enumerate(_list(raw, "goals", where, MAX_GOALS)))
    hint = _text_with_links(raw["hint"], f"{where}.hint") if raw.get("hint") is not None else ""
    solution = _solution(raw["solution"], f"{where}.solution") if raw.get("solution") is not None else None
    if solution is not None and not goals:
        raise LessonFileError(f"{where}.solution: a step without goals has nothing to solve")
    return Step(text, highlight, goals, hint, solution)


def _list(raw: dict, key: str, where: str, most: int) -> list:
    value = raw.get(key) or []
    if not isinstance(value, list) or len(value) > most:
        raise LessonFileError(f"{where}.{key}: expected a list of at most {most}")
    return value


def _text_with_links(value: Any, where: str) -> str:
    text = check_text(value, where, MAX_TEXT_CHARS)
    for page in GUIDE_LINK.findall(text):
        if page not in {page for _, page in CONCEPTS.values()} | _guide_pages():
            raise LessonFileError(f"{where}: the link guide:{page[:40]} names no guide page; "
                                  f"the pages are {', '.join(sorted(_guide_pages()))}")
    return text


def _guide_pages() -> set[str]:
    return {p.stem for p in resource("docs", "guide").glob("*.md")}


def _goal(raw: Any, where: str, seen: set[str]) -> Goal:
    if not isinstance(raw, dict):
        raise LessonFileError(f"{where}: expected an object with an id, a text and a condition")
    _known_keys(raw, {"id", "text", "when"}, where)
    goal_id = require(raw, "id", str, where)
    if not ID.fullmatch(goal_id):
        raise LessonFileError(f"{where}.id: {goal_id[:60]!r} is not an id (lower-case letters, digits, hyphens)")
    if goal_id in seen:
        raise LessonFileError(f"{where}.id: {goal_id!r} is used twice in this lesson")
    seen.add(goal_id)
    text = check_text(raw.get("text"), f"{where}.text", MAX_TITLE_CHARS)
    condition = require(raw, "when", str, where)
    try:
        when = parse_expression(condition, names=GOAL_VALUES)
    except LaegnaError as exc:
        raise LessonFileError(f"{where}.when: {exc}") from None
    return Goal(goal_id, text, when)


def _solution(raw: Any, where: str) -> Solution:
    if not isinstance(raw, dict):
        raise LessonFileError(f"{where}: expected an object")
    _known_keys(raw, {"preset", "set", "steps", "text"}, where)
    preset = _preset(raw["preset"], f"{where}.preset") if "preset" in raw else None
    settings = raw.get("set") or []
    if not isinstance(settings, list) or not all(isinstance(s, str) and "=" in s for s in settings):
        raise LessonFileError(f"{where}.set: expected a list of KEY=VALUE settings")
    steps = require(raw, "steps", int, where, low=0, high=MAX_SOLUTION_STEPS)
    text = check_text(raw["text"], f"{where}.text", MAX_TEXT_CHARS) if raw.get("text") is not None else ""
    return Solution(tuple(settings), steps, preset, text)
