"""A race trained on its own thread, so the window never waits for it.

`RaceThread(work)` runs `work(cancel, progress)` (a call of engine/compare.py's `race` or
`sweep`) once; a comparison's race computes its loss landscape here too, after the last
chunk. It reports `progressed(done, steps)` after each chunk, then exactly one of
`raced(result)`, `failed(message)` or `stopped()` (after `cancel()`: nothing it computed is
kept). The signals are queued to the window's thread; `finish()` waits for the thread to
end, which takes no time once one of the three has been sent."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from laegna_gui.core.errors import LaegnaError
from laegna_gui.engine.cancel import CancelToken, TrainingCancelled
from laegna_gui.ui.training.worker import WorkerThread  # the test fixture sees every such thread

Work = Callable[[CancelToken, Callable[[int, int], None]], object]


class RaceThread(WorkerThread):
    progressed = Signal(int, int)
    raced = Signal(object)
    failed = Signal(str)
    stopped = Signal()

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("raceThread")
        self.work = work
        self.token = CancelToken()

    def run(self) -> None:  # on the thread
        try:
            result = self.work(self.token, self._progress)
        except TrainingCancelled:
            self.stopped.emit()
        except LaegnaError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 — any failure is shown, never swallowed
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.raced.emit(result)

    def _progress(self, done: int, steps: int) -> None:
        self.token.check()  # a cancel between two chunks stops here too
        self.progressed.emit(done, steps)

    def cancel(self) -> None:
        self.token.request()

    def finish(self) -> None:
        """Cancel if still training, and wait until the thread has ended."""
        if self.isRunning():
            self.cancel()
        self.wait()
