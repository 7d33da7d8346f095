"""Opening, training and closing the window 25 times in one process leaves no thread, no
window, worker or model behind, and memory does not keep growing."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QCoreApplication, QEvent, QThread
from PySide6.QtWidgets import QApplication, QMessageBox

from laegna_gui.bench.live import rss_kib
from laegna_gui.core.presets import load_preset

CYCLES = 25
PRESETS = ("xor", "spiral", "circle", "spiral3", "sine")  # classifiers and a regression, 2-D and 1-D


def _alive(kind: type) -> int:
    return sum(1 for obj in gc.get_objects() if isinstance(obj, kind))


def _one_cycle(qtbot, preset: str) -> None:
    from laegna_gui.ui.main_window import MainWindow

    window = MainWindow(load_preset(preset), remember_layout=False)
    window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.show()
    ctl = window.training.controller
    qtbot.waitUntil(lambda: ctl.latest is not None, timeout=20_000)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=20_000, check_params_cb=lambda s: s.step > 0):
        ctl.play()
    ctl.pause()
    window.close()  # mid-training or not: close stops the worker thread
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def test_twenty_five_open_train_close_cycles_leak_nothing(qtbot):
    from laegna_gui.engine.trainer import Trainer
    from laegna_gui.ui.main_window import MainWindow
    from laegna_gui.ui.training.worker import TrainingWorker

    gc.collect()
    threads_before = threading.active_count()
    # earlier tests in the session may still hold a window or two (fixtures, tracebacks);
    # what counts is that these cycles add none
    alive_before = [_alive(kind) for kind in (MainWindow, TrainingWorker, Trainer)]
    rss: list[int] = []
    for cycle in range(CYCLES):
        _one_cycle(qtbot, PRESETS[cycle % len(PRESETS)])
        if cycle in (9, CYCLES - 1):
            gc.collect()
            rss.append(rss_kib())
    gc.collect()
    assert threading.active_count() == threads_before
    assert not [t for t in threading.enumerate() if isinstance(t, QThread)]
    alive_after = [_alive(kind) for kind in (MainWindow, TrainingWorker, Trainer)]
    assert all(after <= before for after, before in zip(alive_after, alive_before)), (alive_after, alive_before)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    # after the first ten (caches, compiled code) fifteen more cycles must not keep adding memory:
    # a leaked window with its plots and model holds ~18 MB (measured), fifteen would be > 250 MB
    assert rss[1] - rss[0] < 50 * 1024, f"resident memory grew {(rss[1] - rss[0]) / 1024:.0f} MB"
