"""What opening the window loads: parts the first frame does not show (the 3-D scenes, the
guide's activation plots, the export writers) import their heavy modules when first used.

Each check runs the real start-up in a fresh interpreter (what an earlier test imported
must not count) and reads its `sys.modules`; nothing here measures time."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication

# the window opened as `laegna-gui` opens it, up to its first snapshot; then the loaded
# modules and GL views, before and after the Transform lab tab has been opened
SCRIPT = r"""
import json, sys
from PySide6.QtCore import QTimer
from laegna_gui.core.presets import load_preset
from laegna_gui.ui.app import make_application
app = make_application(["laegna-gui"])
from laegna_gui.ui.main_window import MainWindow
window = MainWindow(load_preset("xor"), None, remember_layout=False)
window.show()
WATCHED = ("pyqtgraph.opengl", "OpenGL", "laegna_gui.ui.help.plots",
           "laegna_gui.engine.export_script", "laegna_gui.engine.export_weights")
report = {}

def state():
    gl = sys.modules.get("pyqtgraph.opengl")
    views = window.findChildren(gl.GLViewWidget) if gl else []
    lab_view = window.tabs.lab.panel.view
    return {"modules": [m for m in WATCHED if m in sys.modules], "gl_views": len(views),
            "lab_has_view": lab_view is not None and lab_view in views}

def finish():
    report["after_lab"] = state()
    print(json.dumps(report), flush=True)
    window.document.undo_stack.setClean()
    window.close()
    app.quit()

def check():
    if window.training.controller.latest is None:
        QTimer.singleShot(5, check)
        return
    report["at_start"] = state()
    window.tabs.show_view("transform-lab")
    QTimer.singleShot(0, finish)

QTimer.singleShot(0, check)
app.exec()
"""


def start_window() -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": QApplication.platformName() or "offscreen"}
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=180)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_opening_the_window_loads_neither_opengl_nor_the_guide_plots_nor_the_export_writers(qapp):
    report = start_window()
    assert report["at_start"]["modules"] == []
    assert report["at_start"]["gl_views"] == 0


@pytest.mark.gl
def test_a_3d_scene_is_made_when_its_tab_is_first_opened(qapp):
    report = start_window()
    assert report["at_start"]["modules"] == []  # no GL view, not even pyqtgraph.opengl, at first
    after = report["after_lab"]
    assert "pyqtgraph.opengl" in after["modules"]
    assert after["gl_views"] == 1 and after["lab_has_view"]  # the lab's only; the other tabs wait
