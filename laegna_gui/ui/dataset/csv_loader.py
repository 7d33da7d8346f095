"""Reading a CSV file off the GUI thread, with progress and a Cancel that stops the work."""

from __future__ import annotations

import threading
import traceback
import weakref
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from laegna_gui.core.csv_reader import CsvTable, iter_read_csv
from laegna_gui.core.errors import LaegnaError


class _Reader(QObject):
    """Lives in the loader's thread; runs the block-by-block reader and reports each block."""

    progressed = Signal(float)
    loaded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.stop = threading.Event()

    @Slot()
    def run(self) -> None:
        reading = iter_read_csv(self.path)
        try:
            while not self.stop.is_set():
                self.progressed.emit(next(reading))
            reading.close()  # closes the file at once
            self.cancelled.emit()
        except StopIteration as done:
            self.loaded.emit(done.value)
        except LaegnaError as exc:
            self.failed.emit(str(exc))
        except MemoryError:
            self.failed.emit("the file does not fit in memory; keep fewer rows or columns")
        except Exception as exc:  # a bug: say so in the dialog rather than leave it waiting forever
            traceback.print_exc()
            self.failed.emit(f"reading stopped by an internal error ({type(exc).__name__}: {exc})")
        finally:
            self.thread().quit()


class CsvLoader(QObject):
    """One file read on its own QThread. Its signals arrive in the GUI thread, so widgets may
    react to them directly (and tests may wait on them)."""

    progressed = Signal(float)
    loaded = Signal(object)  # a CsvTable
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()  # after any of loaded, failed or cancelled

    _live: "weakref.WeakSet[CsvLoader]" = weakref.WeakSet()

    def __init__(self, path: str | Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self._thread = QThread()
        self._thread.setObjectName("csvLoaderThread")
        self._reader = _Reader(self.path)
        self._reader.moveToThread(self._thread)
        self._thread.started.connect(self._reader.run)
        self._reader.progressed.connect(self._progressed)
        self._reader.loaded.connect(self._loaded)
        self._reader.failed.connect(self._failed)
        self._reader.cancelled.connect(self._cancelled)
        CsvLoader._live.add(self)
        app = QCoreApplication.instance()
        if app is not None:  # quitting mid-read must not destroy a running thread
            app.aboutToQuit.connect(self._stop_now)

    @classmethod
    def running(cls) -> list["CsvLoader"]:
        return [loader for loader in cls._live if loader.is_running()]

    def start(self) -> None:
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def cancel(self, wait: bool = False) -> None:
        """Ask the reader to stop after its current block; `wait` blocks until it has."""
        self._reader.stop.set()
        if wait:
            self._thread.quit()
            self._thread.wait()

    @Slot()
    def _stop_now(self) -> None:
        self.cancel(wait=True)

    # Slots run in the GUI thread (this object lives there): re-emit for the widgets.
    @Slot(float)
    def _progressed(self, fraction: float) -> None:
        if not self._reader.stop.is_set():
            self.progressed.emit(fraction)

    @Slot(object)
    def _loaded(self, table: CsvTable) -> None:
        if self._reader.stop.is_set():  # Cancel came as the last block finished: the user said no
            self._cancelled()
            return
        self._end()
        self.loaded.emit(table)
        self.finished.emit()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._end()
        self.failed.emit(message)
        self.finished.emit()

    @Slot()
    def _cancelled(self) -> None:
        self._end()
        self.cancelled.emit()
        self.finished.emit()

    def _end(self) -> None:
        self._thread.wait()  # the reader has quit it already: this returns at once
