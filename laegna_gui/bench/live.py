"""The live part of `laegna-gui bench`: the real main window, training while it draws.

GUI gaps are the RAW intervals between the ticks of a 5 ms PreciseTimer in the GUI
thread (so an idle GUI shows about 5 ms, not 0); p99 and max are reported in ms. Live
examples are the iterations the drawn snapshots went through × the batch size; a run that
diverges is Reset and played again (counted in `diverged`), as a user would.
"""

from __future__ import annotations

import gc
import os
import time

import numpy as np

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
    (time, epoch, step) of every snapshot the views have drawn."""
    from laegna_gui.ui.main_window import MainWindow

    window = MainWindow(project, None, remember_layout=False, autosave=False)
    window.move(0, 0)
    window.resize(1400, 860)
    window.show()
    controller = window.training.controller
    frames: list[tuple[float, int, int]] = []
    # connected after the panel's own slot, so when this runs the views have been updated
    controller.snapshot_changed.connect(lambda s: frames.append((time.perf_counter(), s.epoch, s.step)))
    if not _wait(app, lambda: controller.latest is not None, 60):
        raise RuntimeError("the window never showed a first snapshot")
    _wait(app, lambda: False, 0.3)  # settle: layout and first paints
    frames.clear()
    diverged: list[str] = []

    def stop_waiting(message: str) -> None:  # a run that diverges draws no three snapshots
        diverged.append(message)

    controller.diverged.connect(stop_waiting)
    controller.play()
    _wait(app, lambda: len(frames) >= 3 or bool(diverged), 180)
    controller.diverged.disconnect(stop_waiting)
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
    window, frames = open_window(app, project)
    controller = window.training.controller
    trainer = controller.worker.trainer
    result: dict = {"engine": str(getattr(trainer, "engine_name", "torch")), "batch_size": trainer.batch_size}
    result.update(_play_measured(app, controller, frames, seconds))
    if measure_step:
        result["step_to_view_ms"] = _step_to_view_ms(app, window)
    close_window(app, window)
    return result


def _play_measured(app, controller, frames: list, seconds: float) -> dict:
    """Play for `seconds` in a real event loop; rates, frames/s, GUI gaps and memory growth."""
    from PySide6.QtCore import QEventLoop, QTimer

    ticks: list[float] = []
    timer = gap_timer(ticks)
    diverged: list[float] = []

    def restart(_message: str) -> None:  # as a user would: Reset, then Play again
        diverged.append(time.perf_counter())
        controller.reset()
        controller.play()

    gc.collect()  # garbage of earlier measurements must not be collected during this one
    rss_start = rss_kib()
    frames.clear()
    controller.diverged.connect(restart)
    timer.start()
    start = time.perf_counter()
    controller.play()
    loop = QEventLoop()  # a real event loop, as in the application, for the measured period
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    timer.stop()
    end = time.perf_counter()
    controller.diverged.disconnect(restart)
    controller.pause()
    _wait(app, lambda: not controller.running, 10)
    rss_end = rss_kib()
    gaps = np.diff(ticks) * 1000 if len(ticks) > 1 else np.array([0.0])
    playing = [f for f in frames if f[0] <= end]
    return {**_rates(playing), "fps": len(playing) / (end - start),
            "gap_p99_ms": float(np.percentile(gaps, 99)), "gap_max_ms": float(gaps.max()),
            "rss_growth_percent": 100.0 * (rss_end - rss_start) / rss_start if rss_start else 0.0,
            "diverged": len(diverged)}


def _rates(frames: list[tuple[float, int, int]]) -> dict:
    """Epochs and iterations per second between the first and the last drawn snapshot."""
    if len(frames) < 2:
        return {"epochs_per_s": 0.0, "steps_per_s": 0.0}
    span = max(frames[-1][0] - frames[0][0], 1e-9)
    return {"epochs_per_s": advance([f[1] for f in frames]) / span,
            "steps_per_s": advance([f[2] for f in frames]) / span}


def advance(counts: list[int]) -> int:
    """How far a counter moved; a drop (a Reset after divergence) starts again from 0."""
    return sum(b - a if b >= a else b for a, b in zip(counts, counts[1:]))


def _step_to_view_ms(app, window) -> float:
    """Median ms from a Step click until every view has drawn the new snapshot."""
    from PySide6.QtCore import QCoreApplication

    controller = window.training.controller
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
    return float(np.median(times)) if times else float("nan")


def start_application(display: bool):
    """The QApplication, offscreen unless `display` and a display is set."""
    if not display or not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from laegna_gui.ui.app import make_application

    return make_application(["laegna-gui-bench"])


def run_live(targets, seconds: float, display: bool = False, progress=None) -> dict[str, dict]:
    """Each target (a BenchTarget) played in the real window, one after another (offscreen
    unless `display` and a display is set); label → what `_run_window` measured. The Step
    latency is measured on the first circle row only."""
    app = start_application(display)
    out: dict[str, dict] = {}
    first_circle = next((t for t in targets if t.kind == "circle"), None)
    for i, target in enumerate(targets, start=1):
        if progress:
            progress(f"live {target.label} ({i}/{len(targets)})")
        run = _run_window(app, target.project, seconds, measure_step=target is first_circle)
        run["examples_per_s"] = run.pop("steps_per_s") * run["batch_size"]
        out[target.label] = run
    return out
