"""The start-up part of `laegna-gui bench`: a fresh interpreter opening the window."""

from __future__ import annotations

import os
import subprocess
import sys
import time

_STARTUP_SCRIPT = r"""
import sys, time
from PySide6.QtCore import QTimer
from laegna_gui.core.presets import load_preset
from laegna_gui.ui.app import make_application
app = make_application(["laegna-gui"])
from laegna_gui.ui.main_window import MainWindow
window = MainWindow(load_preset("xor"), None, remember_layout=False, autosave=False)
window.show()
controller = window.training.controller
def ready(*_):
    if getattr(ready, "done", False):
        return
    ready.done = True
    print("ready", flush=True)
    window.document.undo_stack.setClean()
    window.close()
    app.quit()
def check():
    if controller.latest is not None and window.isVisible():
        QTimer.singleShot(0, ready)  # after the first snapshot has been drawn
    else:
        QTimer.singleShot(5, check)
QTimer.singleShot(0, check)
app.exec()
"""


def measure_startup(runs: int = 2) -> float:
    """Seconds from before spawning a fresh interpreter until it prints that the window
    is shown and has drawn its first snapshot (xor preset); the last (warm) of `runs`."""
    env = dict(os.environ)
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")) or env.get("QT_QPA_PLATFORM") == "offscreen":
        env["QT_QPA_PLATFORM"] = "offscreen"
    elapsed = float("nan")
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", _STARTUP_SCRIPT], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - start
        _out, err = proc.communicate(timeout=60)
        if line.strip() != "ready" or proc.returncode != 0:
            raise RuntimeError(f"the start-up probe failed (exit {proc.returncode}): {err.strip()[-500:]}")
    return elapsed
