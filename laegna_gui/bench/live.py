"""The live part of `laegna-gui bench`: the real main window, training while it draws.

GUI gaps are the RAW intervals between the ticks of a 5 ms PreciseTimer in the GUI
thread (so an idle GUI shows about 5 ms, not 0); p99 and max are reported in ms.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time

import numpy as np

from laegna_gui.bench import SHAPES, bench_project

GAP_TIMER_MS = 5
STEP_REPEATS = 10


def rss_kib() -> int:
    """VmRSS of this process in KiB (0 where /proc is missing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _wait(app, condition, timeout: float) -> bool:
    """Run the event loop until condition() is true (or the timeout); True if it became true."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            return False
        app.processEvents()
        time.sleep(0.0005)
    return True


def open_window(app, project):
    """The real main window on `project`, shown, warmed up (first snapshot drawn, a JIT engine
    compiled by three played snapshots) and paused. Returns (window, frames): `frames` collects
    (time, epoch) of every snapshot the views have drawn."""
    from laegna_gui.ui.main_window import MainWindow

    window = MainWindow(project, None, remember_layout=False)
    window.move(0, 0)
    window.resize(1400, 860)
    window.show()
    controller = window.training.controller
    frames: list[tuple[float, int]] = []
    # connected after the panel's own slot, so when this runs the views have been updated
    controller.snapshot_changed.connect(lambda s: frames.append((time.perf_counter(), s.epoch)))
    if not _wait(app, lambda: controller.latest is not None, 60):
        raise RuntimeError("the window never showed a first snapshot")
    _wait(app, lambda: False, 0.3)  # settle: layout and first paints
    frames.clear()
    controller.play()
    _wait(app, lambda: len(frames) >= 3, 180)
    controller.pause()
    _wait(app, lambda: not controller.running, 10)
    _wait(app, lambda: False, 0.2)
    return window, frames


def close_window(app, window) -> None:
    window.document.undo_stack.setClean()
    window.training.controller.shutdown()
    window.close()
    window.deleteLater()
    _wait(app, lambda: False, 0.1)


def gap_timer(ticks: list[float]):
    """A 5 ms precise timer in the GUI thread appending the time of each tick to `ticks`."""
    from PySide6.QtCore import Qt, QTimer

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(GAP_TIMER_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    return timer


def _run_window(app, project, seconds: float, measure_step: bool) -> dict:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    window, frames = open_window(app, project)
    controller = window.training.controller
    result: dict = {"engine": str(getattr(controller.worker.trainer, "engine_name", "torch"))}

    ticks: list[float] = []
    timer = gap_timer(ticks)
    gc.collect()  # garbage of the headless part must not be collected during the measurement
    rss_start = rss_kib()
    frames.clear()
    timer.start()
    start = time.perf_counter()
    controller.play()
    loop = QEventLoop()  # a real event loop, as in the application, for the measured period
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    timer.stop()
    end = time.perf_counter()
    controller.pause()
    _wait(app, lambda: not controller.running, 10)
    rss_end = rss_kib()
    playing = [f for f in frames if f[0] <= end]
    gaps = np.diff(ticks) * 1000 if len(ticks) > 1 else np.array([0.0])
    if len(playing) >= 2:
        (t0, e0), (t1, e1) = playing[0], playing[-1]
        result["epochs_per_s"] = (e1 - e0) / max(t1 - t0, 1e-9)
    else:
        result["epochs_per_s"] = 0.0
    result["fps"] = len(playing) / (end - start)
    result["gap_p99_ms"] = float(np.percentile(gaps, 99))
    result["gap_max_ms"] = float(gaps.max())
    result["rss_growth_percent"] = 100.0 * (rss_end - rss_start) / rss_start if rss_start else 0.0

    if measure_step:
        times = []
        for _ in range(STEP_REPEATS):
            _wait(app, lambda: False, 0.03)
            done: list[float] = []

            def drawn(_snapshot, done=done) -> None:
                # the panel has updated every view; flush their pending scene updates and paint
                QCoreApplication.sendPostedEvents()
                window.repaint()
                done.append(time.perf_counter())

            controller.snapshot_changed.connect(drawn)
            t0 = time.perf_counter()
            controller.step()
            _wait(app, lambda: bool(done), 10)
            controller.snapshot_changed.disconnect(drawn)
            if done:
                times.append((done[0] - t0) * 1000)
        result["step_to_view_ms"] = float(np.median(times)) if times else float("nan")

    close_window(app, window)
    return result


def start_application(display: bool):
    """The QApplication, offscreen unless `display` and a display is set."""
    if not display or not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from laegna_gui.ui.app import make_application

    return make_application(["laegna-gui-bench"])


def run_live(seconds: float, display: bool = False) -> dict:
    """Both networks in the real window (offscreen unless `display` and a display is set)."""
    app = start_application(display)
    out: dict = {}
    runs = {s: _run_window(app, bench_project(h), seconds, measure_step=(s == "4_2")) for s, h in SHAPES.items()}
    for suffix, run in runs.items():
        out[f"live_epochs_per_s_{suffix}"] = run["epochs_per_s"]
        out[f"live_fps_{suffix}"] = run["fps"]
        out[f"live_engine_{suffix}"] = run["engine"]
        out[f"live_rss_growth_percent_{suffix}"] = run["rss_growth_percent"]
    out["live_fps"] = min(r["fps"] for r in runs.values())
    out["gui_gap_p99_ms"] = max(r["gap_p99_ms"] for r in runs.values())
    out["gui_gap_max_ms"] = max(r["gap_max_ms"] for r in runs.values())
    out["step_to_view_ms"] = runs["4_2"]["step_to_view_ms"]
    out["live_rss_growth_percent"] = max(r["rss_growth_percent"] for r in runs.values())
    return out


_STARTUP_SCRIPT = r"""
import sys, time
from PySide6.QtCore import QTimer
from laegna_gui.core.presets import load_preset
from laegna_gui.ui.app import make_application
app = make_application(["laegna-gui"])
from laegna_gui.ui.main_window import MainWindow
window = MainWindow(load_preset("xor"), None, remember_layout=False)
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
