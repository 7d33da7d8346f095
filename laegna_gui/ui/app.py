"""Starting the desktop application."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.presets import DEFAULT_PRESET, load_preset, open_target
from laegna_gui.core.project import Project
from laegna_gui.ui.look.app_icon import DESKTOP_ID, app_icon
from laegna_gui.ui.document.paths import data_dir
from laegna_gui.ui.document.recovery_files import find_recoveries
from laegna_gui.ui.document.recovery_offer import offer_recoveries
from laegna_gui.ui.look.wheel_guard import install_wheel_guard


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
    install_wheel_guard(app)  # the wheel scrolls panels instead of changing the boxes it passes
    return app


def load_start_project(target: str | None) -> tuple[Project, str | None]:
    """The project to open: TARGET (a file or preset) or the default preset."""
    if target is None:
        return load_preset(DEFAULT_PRESET), None
    project = open_target(target)
    is_file = target.endswith(".laegna") or os.path.exists(target)
    return project, target if is_file else None


def run_app(target: str | None = None) -> int:
    """Open the main window with TARGET loaded; exit status 2 when TARGET cannot be opened."""
    try:
        project, path = load_start_project(target)
    except LaegnaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    app = make_application(sys.argv[:1])
    from laegna_gui.ui.main_window import MainWindow

    found = find_recoveries(data_dir())  # before the window claims a recovery file of its own
    window = MainWindow(project, path)
    window.show()
    windows = [window, *offer_recoveries(window, found)]  # referenced until the loop ends
    status = app.exec()
    windows.clear()
    return status
