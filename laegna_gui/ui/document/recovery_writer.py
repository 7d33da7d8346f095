"""Writing one window's recovery file on a background thread, so an edit never waits for it.

One write at a time and the latest job wins: jobs handed in while a write runs replace
each other, and only the last is written next. Work discarded (saved, or thrown away)
while a write runs leaves no file behind, and nothing is written once the writer is
closed; the lock is released when the last write is done.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from laegna_gui.core.atomic_file import write_atomic
from laegna_gui.core.project import Project
from laegna_gui.core.project_file import save_project
from laegna_gui.ui.document.recovery_files import RecoveryFile


@dataclass(frozen=True)
class RecoveryJob:
    """What to write: a copy of the work no one else changes, and where it came from."""

    project: Project
    original_path: Path | None
    generation: int


class RecoveryWriter:
    """Writes jobs to `file` on its own thread and calls `report(error or None)` there
    after each write that still counts."""

    def __init__(self, file: RecoveryFile, report: Callable[[Exception | None], None]) -> None:
        self.file = file
        self._report = report
        self._lock = threading.Lock()
        self._pending: RecoveryJob | None = None
        self._thread: threading.Thread | None = None
        self._generation = 0
        self._closed = False

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._thread is not None

    def submit(self, project: Project, original_path: Path | None) -> None:
        """Write this copy of the work soon (it replaces a job still waiting)."""
        with self._lock:
            if self._closed:
                return
            self._pending = RecoveryJob(project, original_path, self._generation)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="laegna-autosave")
                self._thread.start()

    def discard(self) -> None:
        """The work is saved or thrown away: drop waiting jobs and delete the file (one
        being written now is deleted by the thread when it is done). Raises OSError."""
        with self._lock:
            self._generation += 1
            self._pending = None
        self.file.remove()

    def close(self) -> None:
        """Discard, and release the file for good (at once, or after the write running now)."""
        with self._lock:
            self._closed = True
            self._generation += 1
            self._pending = None
            busy = self._thread is not None
        if not busy:
            self._finish()

    def _run(self) -> None:
        while True:
            with self._lock:
                job, self._pending = self._pending, None
                if job is None:
                    self._thread = None
                    closed = self._closed
                    break
            error = self._write(job)
            with self._lock:
                stale, closed = job.generation != self._generation, self._closed
            if stale:
                self._remove_quietly()
            elif not closed:
                self._report(error)
        if closed:
            self._finish()

    def _write(self, job: RecoveryJob) -> Exception | None:
        try:
            save_project(job.project, self.file.project_path)
            path = str(job.original_path) if job.original_path else None
            write_atomic(self.file.note_path, json.dumps({"path": path, "saved_at": time.time()}))
        except Exception as exc:  # noqa: BLE001 (any failure is reported to the window, not raised here)
            return exc
        return None

    def _finish(self) -> None:
        self._remove_quietly()
        self.file.release()

    def _remove_quietly(self) -> None:
        try:
            self.file.remove()
        except OSError:
            pass  # a leftover file is offered on the next start: safe, if stale
