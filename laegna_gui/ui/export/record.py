"""`laegna-gui record`: train a project in the real main window, without a person at the
screen, and write an animation of one of its views (the loop itself: animation.py).

The window runs offscreen (under Xvfb or on a display for the 3-D views) with the chosen view
held at the frame size, so every frame is exactly that size and nothing is scaled."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSize, QTimer

from laegna_gui.core.animation_plan import VIEWS_3D, AnimationPlan
from laegna_gui.core.errors import LaegnaError
from laegna_gui.ui.app import load_start_project, make_application
from laegna_gui.ui.export.animation import AnimationRecorder, view_widget
from laegna_gui.ui.look.theme import apply_theme
from laegna_gui.ui.space3d.gl import gl_unavailable_reason

WINDOW_SIZE = (1400, 860)  # grows where the view's frame size needs more
SIGNAL_TURN_MS = 100  # how late Ctrl-C may be noticed while Qt waits (see _ctrl_c_cancels)


def refuse_without_gl(view: str) -> None:
    """A 3-D view without OpenGL would record its fallback message: refuse it at once."""
    reason = gl_unavailable_reason() if view in VIEWS_3D else ""
    if reason:
        raise LaegnaError(f"the {view} view is 3-D and needs OpenGL, which is not available here ({reason}); "
                          f"run the command on a display with OpenGL, or under Xvfb: "
                          f"xvfb-run -a laegna-gui record ... --view {view}")


def record_animation(target: str, out: str | Path, view: str, plan: AnimationPlan,
                     size: tuple[int, int], theme: str = "light") -> tuple[Path, str]:
    """Train `plan.steps` iterations of TARGET (a preset or a .laegna file) and write `plan.frames`
    frames of `view`, `size` pixels each, to `out`. Returns the file and a line saying what it
    shows. Raises LaegnaError (nothing written) or KeyboardInterrupt (Ctrl-C: nothing written)."""
    project, path = load_start_project(target)
    make_application()
    refuse_without_gl(view)
    from laegna_gui.ui.main_window import MainWindow

    window = MainWindow(project, path, remember_layout=False, autosave=False)
    try:
        apply_theme(theme)
        view_widget(window, view).setFixedSize(*size)
        window.move(0, 0)
        window.resize(*WINDOW_SIZE)
        window.show()
        window.canvas.fit()  # at the frame size, before the first frame
        if view == "layer-space":
            window.tabs.space.set_stage("activation")  # what training moves (the input never does)
        recorder = AnimationRecorder(window, view, plan, out, QSize(*size))
        outcome = _run(recorder)
    finally:
        window.document.undo_stack.setClean()  # the trained weights are not a change to ask about
        window.close()
        window.deleteLater()
    if "error" in outcome:
        raise LaegnaError(outcome["error"])
    first = recorder.first_step
    return outcome["path"], f"{plan.frames} frames of the {view} view, step {first} to {first + plan.steps}"


def _run(recorder: AnimationRecorder) -> dict:
    """Record in a local event loop (quitting the application would stop pyqtgraph for good)."""
    outcome: dict = {}
    loop = QEventLoop()
    recorder.finished.connect(lambda path: (outcome.setdefault("path", path), loop.quit()))
    recorder.failed.connect(lambda message: (outcome.setdefault("error", message), loop.quit()))
    recorder.cancelled.connect(lambda: (outcome.setdefault("cancelled", True), loop.quit()))
    with _ctrl_c_cancels(recorder):
        recorder.start()
        loop.exec()
    if "cancelled" in outcome:
        raise KeyboardInterrupt
    return outcome


@contextmanager
def _ctrl_c_cancels(recorder: AnimationRecorder) -> Iterator[None]:
    """Ctrl-C cancels the recording (its unfinished file goes) from inside the event loop.
    Python runs a signal handler only between its own instructions, so a timer gives it a
    turn while Qt waits for the training thread."""
    previous = signal.signal(signal.SIGINT, lambda *_: QTimer.singleShot(0, recorder, recorder.cancel))
    turns = QTimer(interval=SIGNAL_TURN_MS)
    turns.timeout.connect(lambda: None)
    turns.start()
    try:
        yield
    finally:
        turns.stop()
        signal.signal(signal.SIGINT, previous)
