"""`laegna-gui lessons` and `laegna-gui lesson-check`: the lessons, and their goals checked on
a trained project, without a window."""

from __future__ import annotations

import argparse
import json
import math

from laegna_gui.cli_export import check_steps, telling_interrupts, train_steps

DEFAULT_STEPS = 500


def add_lesson_parsers(sub) -> None:
    lessons = sub.add_parser("lessons", help="list the lessons, their concepts and goals")
    lessons.add_argument("--json", action="store_true", help="print one JSON object")
    check = sub.add_parser("lesson-check", help="train TARGET and check each goal of LESSON on it")
    check.add_argument("lesson", help="a lesson id (see `laegna-gui lessons`) or a lesson .json file")
    check.add_argument("target", help="a .laegna file or a preset name")
    check.add_argument("--steps", type=int, default=DEFAULT_STEPS,
                       help=f"training iterations before the check (default {DEFAULT_STEPS}; 0 checks as it is)")
    check.add_argument("--json", action="store_true", help="print one JSON object")


def run_lessons(args: argparse.Namespace) -> int:
    from laegna_gui.core.lesson_file import all_lessons

    lessons = all_lessons()
    if args.json:
        print(json.dumps({"lessons": [
            {"id": lesson.id, "title": lesson.title, "concepts": list(lesson.concepts), "steps": len(lesson.steps),
             "goals": [{"id": goal.id, "text": goal.text} for goal in lesson.goals]} for lesson in lessons]},
            ensure_ascii=False))
        return 0
    width = max(len(lesson.id) for lesson in lessons)
    for lesson in lessons:
        print(f"{lesson.id:{width}s}  {lesson.title}  ({len(lesson.steps)} steps, {len(lesson.goals)} goals; "
              f"{', '.join(lesson.concepts)})")
    return 0


def run_lesson_check(args: argparse.Namespace) -> int:
    from laegna_gui.core.lesson_file import load_lesson
    from laegna_gui.core.presets import open_target
    from laegna_gui.engine.lesson_check import check_goals, trained_values

    check_steps(args.steps)
    lesson = load_lesson(args.lesson)
    project = open_target(args.target)
    with telling_interrupts():
        values = trained_values(project, args.steps, run=train_steps)
    results = check_goals(lesson.goals, values)
    if args.json:
        print(json.dumps({"lesson": lesson.id, "steps": values["steps"], "goals": [
            {"id": r.goal.id, "text": r.goal.text, "met": r.met, "value": _plain(r.value)} for r in results]},
            ensure_ascii=False))
        return 0
    print(f"{lesson.title} — {args.target} after {values['steps']:,} steps")
    for r in results:
        print(f"  {'✓' if r.met else '·'} {r.goal.id:24s} {r.goal.text}  [{_shown(r.value)}]")
    return 0


def _plain(value):
    """JSON has no NaN: an unknown number is null."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def _shown(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} = {_shown(v)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value).lower() if isinstance(value, bool) else str(value)
