"""Work survives hard kills: a save killed midway leaves the old file; an app killed after an
edit offers that edit back on the next start. Real processes, killed with SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from laegna_gui.core.presets import load_preset
from laegna_gui.core.project_file import dumps_project, load_project, save_project

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

# The child saves a different project over `path`; just before the point named by STOP it
# prints "stopped" and waits to be killed: after the new text is written but before it is
# flushed to disk ("fsync"), or after it is on disk but before the rename ("replace").
SAVER = textwrap.dedent("""
    import os, sys, time
    from laegna_gui.core.presets import load_preset
    from laegna_gui.core.project_file import save_project
    path, stop = sys.argv[1], sys.argv[2]
    real = getattr(os, stop)
    def stopped(*args):
        print("stopped", flush=True)
        time.sleep(120)
        return real(*args)
    setattr(os, stop, stopped)
    new = load_preset("spiral3")
    save_project(new, path)
""")


def _child_env(**extra: str) -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", ""), **extra}


@pytest.mark.parametrize("stop", ["fsync", "replace"])
def test_a_save_killed_midway_leaves_the_old_file_intact(tmp_path, stop):
    path = tmp_path / "work.laegna"
    old = load_preset("xor")
    save_project(old, path)
    before = path.read_bytes()
    child = subprocess.Popen([sys.executable, "-c", SAVER, str(path), stop], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=_child_env())
    try:
        assert child.stdout.readline().strip() == "stopped", child.stderr.read()
        temporary = [p for p in tmp_path.iterdir() if p.name != path.name]
        assert temporary and temporary[0].stat().st_size > 0  # the new text was being written
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    assert dumps_project(load_project(path)) == dumps_project(old)


# The child is the real app (run_app), on the xor preset. Once its window is up it adds a
# layer through the undo stack, as a drop on the canvas does, and waits for the autosave.
EDITOR = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from laegna_gui.ui import app as app_module
    from laegna_gui.ui.document.commands import AddNodeCommand
    from laegna_gui.ui.main_window import MainWindow

    shown = []  # the window, once run_app has shown it
    original_show = MainWindow.show
    def show(self):
        original_show(self)
        shown.append(self)
    MainWindow.show = show

    def edit():
        if not shown:
            QTimer.singleShot(20, edit)
            return
        window = shown[0]
        window.autosaver.timer.setInterval(50)
        window.autosaver.written.connect(lambda: print("autosaved", flush=True))
        doc = window.document
        doc.push(AddNodeCommand(doc.graph, "dense", {"units": 7}, (123.0, 45.0)))
    QTimer.singleShot(0, edit)
    sys.exit(app_module.run_app("xor"))
""")

# The next start: the real run_app, answering the recovery question with Yes, then
# printing what the window holds.
RESTARTER = textwrap.dedent("""
    import json, sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    from laegna_gui.ui import app as app_module
    from laegna_gui.ui.main_window import MainWindow

    asked = []
    def answer(*args, **kwargs):
        asked.append(args[1])
        return QMessageBox.StandardButton.Yes
    QMessageBox.question = answer

    def report():
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        if not asked:  # run_app asks after showing the window; wait for it
            QTimer.singleShot(20, report)
            return
        doc = window.document
        units = sorted(n.params["units"] for n in doc.graph.nodes_of_type("dense"))
        print(json.dumps({"asked": asked, "units": units, "modified": doc.modified,
                          "title": window.windowTitle()}), flush=True)
        doc.undo_stack.setClean()
        window.close()
    original_show = MainWindow.show
    def show(self):
        original_show(self)
        QTimer.singleShot(0, report)
    MainWindow.show = show
    sys.exit(app_module.run_app("xor"))
""")


def test_an_app_killed_after_an_edit_offers_the_edit_back_on_restart(tmp_path):
    env = _child_env(LAEGNA_DATA_DIR=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    editor = subprocess.Popen([sys.executable, "-c", EDITOR], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env)
    try:
        assert editor.stdout.readline().strip() == "autosaved", editor.stderr.read()
        os.kill(editor.pid, signal.SIGKILL)  # no chance to clean up: a crash or a power cut
        editor.wait(timeout=30)
    finally:
        if editor.poll() is None:
            editor.kill()
            editor.wait()
    assert len(list((tmp_path / "recovery").glob("*.laegna"))) == 1  # the editor's own file
    restart = subprocess.run([sys.executable, "-c", RESTARTER], capture_output=True, text=True, env=env,
                             timeout=120)
    assert restart.returncode == 0, restart.stderr
    shown = json.loads(restart.stdout.strip().splitlines()[-1])
    assert len(shown["asked"]) == 1 and "Restore unsaved work" in shown["asked"][0]
    xor_units = sorted(n.params["units"] for n in load_preset("xor").graph.nodes_of_type("dense"))
    assert shown["units"] == sorted([*xor_units, 7])  # the edit made before the kill is back
    assert shown["modified"] is True  # restored work is unsaved work
    assert list((tmp_path / "recovery").iterdir()) == []  # marked saved and closed: nothing left
