"""Runs a finite-difference check of a Step's gradient (engine/finite_differences.py) off the
GUI thread, one at a time: a new check, or `cancel()`, stops the one before between two
weights, and nothing it would have said is sent.

The check runs in this object's own QThreadPool; its signals arrive in the GUI thread (they
are queued to the receivers there). When this object is destroyed with a check still running,
the check is cancelled and waited for first, so it never emits on a half-destroyed object."""

from __future__ import annotations

import threading
import traceback

from PySide6.QtCore import QObject, QThreadPool, Signal

from laegna_gui.engine.finite_differences import CheckCancelled, check_layer
from laegna_gui.engine.snapshot import StepReport


class SlopeChecker(QObject):
    """`start(report, layer)` checks one layer; the answer comes as `checked(SlopeCheck)` or
    `failed(message)`, with `progressed(done, total)` on the way (about every percent)."""

    checked = Signal(object)
    failed = Signal(str)
    progressed = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._stops: list[threading.Event] = [threading.Event()]  # the last one is the running check's
        self.destroyed.connect(_cancel_and_wait(self.pool, self._stops))

    def start(self, report: StepReport, layer: str) -> None:
        self.cancel()
        stop = threading.Event()
        self._stops[:] = [stop]
        self.pool.start(lambda: self._run(report, layer, stop))

    def cancel(self) -> None:
        self._stops[-1].set()

    def _run(self, report: StepReport, layer: str, stop: threading.Event) -> None:
        """In the pool's thread."""
        shown = [-1]

        def progress(done: int, total: int) -> None:
            percent = 100 * done // max(total, 1)
            if percent != shown[0] and not stop.is_set():
                shown[0] = percent
                self.progressed.emit(done, total)

        try:
            result = check_layer(report, layer, stop.is_set, progress)
        except CheckCancelled:
            return
        except Exception as exc:  # a bug in the check must not pass in silence
            traceback.print_exc()
            if not stop.is_set():
                self.failed.emit(f"The check stopped: {type(exc).__name__}: {exc}")
            return
        if not stop.is_set():
            self.checked.emit(result)


def _cancel_and_wait(pool: QThreadPool, stops: list[threading.Event]):
    """For `destroyed`: a plain function, as the checker's own methods are going away."""
    def cancel_and_wait() -> None:
        stops[-1].set()
        pool.waitForDone()
    return cancel_and_wait
