"""Starting the desktop application."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.presets import DEFAULT_PRESET, load_preset, open_target
from laegna_gui.core.project import Project
from laegna_gui.ui.app_icon import DESKTOP_ID, app_icon
from laegna_gui.ui.autosave import Autosaver, Recovery
from laegna_gui.ui.paths import data_dir


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused if one exists). Without a display, render offscreen."""
    app = QApplication.instance()
    if app is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") \
                and sys.platform.startswith("linux"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        # several 3-D views (tabs, floating docks) must share one GL context (pyqtgraph #1822)
        QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        app = QApplication(argv or ["laegna-gui"])
    # hand the GIL between the GUI and the training thread every 1 ms (default 5 ms), so
    # neither waits long for the other: shorter event-loop gaps, steadier snapshots
    sys.setswitchinterval(0.001)
    app.setApplicationName("Laegna")
    app.setOrganizationName("Laegna")
    app.setDesktopFileName(DESKTOP_ID)
    app.setWindowIcon(app_icon())
    return app


def load_start_project(target: str | None) -> tuple[Project, str | None]:
    """The project to open: TARGET (a file or preset) or the default preset."""
    if target is None:
        return load_preset(DEFAULT_PRESET), None
    project = open_target(target)
    is_file = target.endswith(".laegna") or os.path.exists(target)
    return project, target if is_file else None


def offer_recovery(window, recovery: Recovery) -> None:
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(recovery.saved_at))
    answer = QMessageBox.question(
        window, "Restore unsaved work?",
        f"Laegna closed unexpectedly. Unsaved work from {when} was recovered.\n\nRestore it?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    if answer == QMessageBox.StandardButton.Yes:
        window.document.load(recovery.project, recovery.original_path, modified=True)
    else:
        window.autosaver.clear()


def run_app(target: str | None = None) -> int:
    """Open the main window with TARGET loaded; exit status 2 when TARGET cannot be opened."""
    try:
        project, path = load_start_project(target)
    except LaegnaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    app = make_application(sys.argv[:1])
    from laegna_gui.ui.main_window import MainWindow

    recovery = Autosaver.find(data_dir())
    window = MainWindow(project, path)
    window.show()
    if recovery is not None:
        offer_recovery(window, recovery)
    return app.exec()
