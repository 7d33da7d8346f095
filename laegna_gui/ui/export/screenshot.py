"""Render the main window with a project loaded into a PNG, without a person at the screen."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QGuiApplication, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractScrollArea, QDockWidget, QWidget

from laegna_gui.core.atomic_file import write_atomic
from laegna_gui.core.errors import LaegnaError
from laegna_gui.ui.app import load_start_project, make_application
from laegna_gui.ui.space3d.gl import gl_unavailable_reason, gl_view_type
from laegna_gui.ui.look.theme import apply_theme
from laegna_gui.ui.export.view_export import encoded

SETTLE_MS = 250  # let layout and the first paint (also of GL views) happen before grabbing
SETTLE_TRIES = 20  # at most this many more SETTLE_MS waits for the window to stop moving


def _layout(window: QWidget) -> tuple:
    """Where the window's docks and centre are, and which scroll bars show: a view that
    re-lays itself out (the Output dock stepping aside for the transform lab) changes it."""
    parts = [window.centralWidget(), *window.findChildren(QDockWidget)]
    bars = [bar.isVisible() for area in window.findChildren(QAbstractScrollArea) if area.isVisible()
            for bar in (area.horizontalScrollBar(), area.verticalScrollBar())]
    return tuple(part.geometry().getRect() + (part.isVisible(),) for part in parts) + tuple(bars)


def _when_settled(window: QWidget, then, tries: int = SETTLE_TRIES, last: tuple | None = None) -> None:
    """Call `then` once the window looks the same twice SETTLE_MS apart (or after the last try),
    so a picture never catches a dock half way out or a scroll bar about to go."""
    def check() -> None:
        now = _layout(window)
        if now == last or tries <= 0:
            then()
        else:
            _when_settled(window, then, tries - 1, now)
    QTimer.singleShot(SETTLE_MS, check)
# the centre tabs painted by Qt itself; every other view is a 3-D scene that needs OpenGL
FLAT_VIEWS = ("network",)


def refuse_undrawable_view(view: str) -> None:
    """A 3-D view without OpenGL would be a picture of the fallback message: refuse it
    (a LaegnaError, one line) before any window is made or any file written."""
    reason = "" if view in FLAT_VIEWS else gl_unavailable_reason()
    if reason:
        raise LaegnaError(f"the {view} view is 3-D and needs OpenGL, which is not available here ({reason}); "
                          f"{_where_gl_works(view)}")


def _where_gl_works(view: str) -> str:
    command = f"xvfb-run -a laegna-gui screenshot ... --view {view}"
    display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if display and QGuiApplication.platformName() in ("offscreen", "minimal", "vnc"):  # chosen by hand
        return f"unset QT_QPA_PLATFORM so the command uses the display, or run it under Xvfb: {command}"
    return f"run the command on a display with OpenGL, or under Xvfb: {command}"


def grab_with_gl(window: QWidget) -> QPixmap:
    """`QWidget.grab` leaves 3-D views blank or without their text; paint each visible GL
    view's own framebuffer over its place."""
    pixmap = window.grab()
    view_type = gl_view_type()
    if view_type is None:  # no 3-D view has been made
        return pixmap
    painter = QPainter(pixmap)
    for view in window.findChildren(view_type):
        if view.isVisible():
            painter.drawImage(view.mapTo(window, QPoint(0, 0)), view.grabFramebuffer())
    painter.end()
    return pixmap


def _wait_for(signal, then, fallback_ms: int = 20_000) -> None:
    """Call `then` once, when `signal` fires (or after `fallback_ms`)."""
    done: list[bool] = []

    def once(*_args) -> None:
        if not done:
            done.append(True)
            QTimer.singleShot(SETTLE_MS, then)

    signal.connect(once)
    QTimer.singleShot(fallback_ms, once)


def take_screenshot(target: str | None, out: str | Path, size: tuple[int, int] = (1400, 860),
                    steps: int = 0, view: str = "network", theme: str = "light") -> tuple[Path, str]:
    """With `steps`, the window trains that many iterations first (through the real
    worker thread), so the live views show a trained state; `view` picks the centre tab
    (for the loss landscape it is computed first; a 3-D view where OpenGL is missing is
    refused with a LaegnaError); `theme` is light or dark (the saved choice is left alone).
    Returns the file and a line describing the state it shows."""
    project, path = load_start_project(target)
    app = make_application()
    refuse_undrawable_view(view)
    from laegna_gui.ui.main_window import MainWindow

    window = MainWindow(project, path, remember_layout=False, autosave=False)
    apply_theme(theme)
    window.move(0, 0)
    window.resize(*size)
    window.show()
    out = Path(out)
    saved: list[bool] = []
    state: list[str] = []
    failure: list[str] = []
    controller = window.training.controller

    def grab() -> None:
        if saved:
            return
        try:  # whole or not at all: a kill mid-write leaves the old file
            write_atomic(out, encoded(grab_with_gl(window), out.suffix.lstrip(".") or "png"))
            saved.append(True)
        except (OSError, LaegnaError) as exc:
            saved.append(False)
            failure.append(str(exc))
        latest = controller.latest
        if latest is not None:
            m = latest.metrics
            accuracy = "" if m.test_accuracy is None else f", test accuracy {m.test_accuracy:.3f}"
            state.append(f"after {latest.step} iterations: test loss {m.test_loss:.4g}{accuracy}")
        window.document.undo_stack.setClean()
        window.close()
        app.quit()

    def trained() -> None:
        window.tabs.show_view(view)
        if view == "landscape" and controller.can_train:
            _wait_for(controller.landscape_ready, grab)
            controller.compute_landscape(window.tabs.landscape.options())
        elif view == "layer-space" and controller.can_train:
            _wait_for(controller.layer_stages_ready, grab)
        else:
            _when_settled(window, grab)

    # steps_finished comes after the first snapshot (and after `steps` iterations, if any)
    _wait_for(controller.steps_finished, trained, fallback_ms=600_000)
    controller.run_steps(steps)
    app.exec()
    if not saved or not saved[0]:
        raise OSError(failure[0] if failure else f"could not write {out}")
    return out, state[0] if state else "the network is not valid, so nothing was trained"
