"""How far the learner got in each lesson, kept in the settings file (ui/document/paths.py):
the furthest step reached, the goals met at some point, and whether the lesson is finished —
its last step reached with every goal of every step met. On a shared lab computer "Reset
lesson" forgets one lesson and the picker's "Forget progress" all of them."""

from __future__ import annotations

from dataclasses import dataclass

from laegna_gui.core.lessons import Lesson
from laegna_gui.ui.document.paths import settings

GROUP = "lessons"


@dataclass(frozen=True)
class Progress:
    step: int | None = None  # the furthest step reached (from 0); None: not started
    met: frozenset[str] = frozenset()  # goal ids met at some point
    finished: bool = False


def read_progress(lesson_id: str) -> Progress:
    """A damaged entry reads as not started rather than failing the picker."""
    store = settings()
    step = store.value(f"{GROUP}/{lesson_id}/step")
    try:
        reached = int(step) if step is not None else None
    except (TypeError, ValueError):
        reached = None
    met = str(store.value(f"{GROUP}/{lesson_id}/met", "") or "")
    finished = str(store.value(f"{GROUP}/{lesson_id}/finished", "false")).lower() == "true"
    return Progress(reached, frozenset(g for g in met.split(",") if g), finished)


def record_step(lesson: Lesson, index: int) -> Progress:
    """The learner is on step `index`: it counts as reached."""
    old = read_progress(lesson.id)
    return _write(lesson, Progress(max(index, old.step if old.step is not None else 0), old.met, old.finished))


def record_met(lesson: Lesson, goal_ids: set[str]) -> Progress:
    old = read_progress(lesson.id)
    return _write(lesson, Progress(old.step if old.step is not None else 0, old.met | goal_ids, old.finished))


def forget(lesson_id: str) -> None:
    settings().remove(f"{GROUP}/{lesson_id}")


def forget_all() -> None:
    settings().remove(GROUP)


def progress_text(lesson: Lesson, progress: Progress) -> str:
    if progress.finished:
        return "✓ finished"
    if progress.step is None:
        return "not started"
    return f"step {progress.step + 1} of {len(lesson.steps)}"


def _write(lesson: Lesson, progress: Progress) -> Progress:
    done = progress.step == len(lesson.steps) - 1 and {g.id for g in lesson.goals} <= progress.met
    progress = Progress(progress.step, progress.met, progress.finished or done)
    store = settings()
    store.setValue(f"{GROUP}/{lesson.id}/step", progress.step)
    store.setValue(f"{GROUP}/{lesson.id}/met", ",".join(sorted(progress.met)))
    store.setValue(f"{GROUP}/{lesson.id}/finished", progress.finished)
    return progress
