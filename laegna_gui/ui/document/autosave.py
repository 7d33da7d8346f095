"""Autosave to the window's own recovery file while editing, so a crash loses at most a
few seconds. The edit only copies the work; the file is written on a background thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from laegna_gui.ui.document.document import Document
from laegna_gui.ui.document.paths import folder_problem
from laegna_gui.ui.document.recovery_files import FOLDER, Recovery, RecoveryFile
from laegna_gui.ui.document.recovery_writer import RecoveryWriter

INTERVAL_MS = 3000  # after the last edit
RETRY_MS = 30_000  # after a failed write, when no edit comes sooner
AGAIN = " Autosave tries again after your next edit; until then a crash would lose your unsaved work."


class _Reports(QObject):
    """Carries the writer thread's results to the GUI thread (a queued signal). It has no
    parent, so it outlives the window while a last write finishes."""

    finished = Signal(object)  # None, or the exception the write raised


class Autosaver(QObject):
    """Writes the document to its own recovery file in `data_folder/recovery/` a few seconds
    after each edit, and removes it once the work is saved or deliberately discarded.
    `data_folder=None` turns autosave off (windows made for screenshots and benchmarks).

    A write that fails is retried after the next edit (and every RETRY_MS); `problem_changed`
    says what went wrong, once, and "" once writing works again."""

    problem_changed = Signal(str)
    written = Signal()  # a recovery file holds the latest work

    def __init__(self, document: Document, data_folder: Path | None, interval_ms: int = INTERVAL_MS,
                 retry_ms: int = RETRY_MS) -> None:
        super().__init__(document)
        self.document = document
        self.folder = None if data_folder is None else data_folder / FOLDER
        self.problem = ""
        self.writer: RecoveryWriter | None = None
        self._closed = False
        self._reports = _Reports()
        self._reports.finished.connect(self._write_finished)
        self.timer = QTimer(self, singleShot=True, interval=interval_ms)
        self.timer.timeout.connect(self.write)
        self.retry = QTimer(self, singleShot=True, interval=retry_ms)
        self.retry.timeout.connect(self.write)
        document.undo_stack.indexChanged.connect(self._edited)
        document.modified_changed.connect(self._modified_changed)
        self._claim()

    # --- where ---------------------------------------------------------------
    @property
    def file(self) -> Path | None:
        """This window's recovery file (None while autosave is off)."""
        return self.writer.file.project_path if self.writer else None

    @property
    def meta(self) -> Path | None:
        """Its note: where the work came from, when it was written."""
        return self.writer.file.note_path if self.writer else None

    def _claim(self) -> bool:
        if self.writer is not None:
            return True
        if self.folder is None or self._closed:
            return False
        try:
            self._own(RecoveryFile.claim_new(self.folder))
        except OSError as exc:
            self._report(f"Autosave is off: {folder_problem(self.folder, exc)}{AGAIN}")
            return False
        return True

    def _own(self, file: RecoveryFile) -> None:
        self.writer = RecoveryWriter(file, self._reports.finished.emit)

    def adopt(self, recovery: Recovery) -> None:
        """The restored work's recovery file becomes this window's own (its lock is already
        held by this process); the window's fresh file is given up."""
        if self.writer is not None:
            self.writer.close()
        self._own(recovery.file)

    # --- when ----------------------------------------------------------------
    def _edited(self, _index: int) -> None:
        self.timer.start()

    def _modified_changed(self, modified: bool) -> None:
        if not modified:
            self.clear()

    def write(self) -> None:
        """Hand a copy of the unsaved work to the background writer (no file is written here)."""
        if self._closed or not self.document.modified:
            return
        if not self._claim():
            if self.folder is not None:
                self.retry.start()
            return
        self.writer.submit(self.document.project.copy(), self.document.path)

    def _write_finished(self, error: Exception | None) -> None:
        if self._closed:
            return
        if error is None:
            self._report("")
            self.written.emit()
            return
        reason = folder_problem(self.folder, error) if isinstance(error, OSError) else \
            f"the project could not be written ({error})."
        self._report(f"Autosave failed: {reason}{AGAIN}")
        self.retry.start()

    def _report(self, problem: str) -> None:
        if problem != self.problem:
            self.problem = problem
            self.problem_changed.emit(problem)

    # --- done ----------------------------------------------------------------
    def clear(self) -> None:
        """The work is saved or thrown away: its recovery file goes."""
        self.timer.stop()
        self.retry.stop()
        if self.writer is None:
            return
        try:
            self.writer.discard()
        except OSError as exc:
            self._report(f"Autosave could not remove its recovery file {self.file}: "
                         f"{folder_problem(self.folder, exc)} The next start may offer this work again.")

    def close(self) -> None:
        """The window closes: nothing more is written and the recovery file is released."""
        self.clear()
        self._closed = True
        if self.writer is not None:
            self.writer.close()
