"""Autosave to a recovery file while editing, so a crash loses at most a few seconds."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from laegna_gui.core.atomic_file import write_atomic
from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.project import Project
from laegna_gui.core.project_file import load_project, save_project
from laegna_gui.ui.document import Document

INTERVAL_MS = 3000


@dataclass(frozen=True)
class Recovery:
    """Unsaved work found from an earlier run."""

    project: Project
    original_path: Path | None
    saved_at: float


class Autosaver(QObject):
    """Writes the document to `directory/recovery.laegna` a few seconds after each edit,
    and removes it once the work is saved or deliberately discarded."""

    def __init__(self, document: Document, directory: Path, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(document)
        self.document = document
        self.file = directory / "recovery.laegna"
        self.meta = directory / "recovery.json"
        self.timer = QTimer(self, singleShot=True, interval=interval_ms)
        self.timer.timeout.connect(self.write)
        document.undo_stack.indexChanged.connect(lambda _: self.timer.start())
        document.modified_changed.connect(self._modified_changed)

    def _modified_changed(self, modified: bool) -> None:
        if not modified:
            self.clear()

    def write(self) -> None:
        if not self.document.modified:
            return
        save_project(self.document.project, self.file)
        path = str(self.document.path) if self.document.path else None
        write_atomic(self.meta, json.dumps({"path": path, "saved_at": time.time()}))

    def clear(self) -> None:
        self.timer.stop()
        self.file.unlink(missing_ok=True)
        self.meta.unlink(missing_ok=True)

    @staticmethod
    def find(directory: Path) -> Recovery | None:
        """The recovery left by a crashed run, or None (an unreadable one is discarded)."""
        file, meta = directory / "recovery.laegna", directory / "recovery.json"
        if not file.exists():
            return None
        try:
            project = load_project(file)
        except (LaegnaError, OSError):
            file.unlink(missing_ok=True)
            return None
        try:  # the note of where the work came from is a nicety: the work itself matters
            info = json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}
        except (ValueError, OSError):
            info = {}
        info = info if isinstance(info, dict) else {}
        path, saved_at = info.get("path"), info.get("saved_at")
        if not isinstance(saved_at, (int, float)) or not 0 <= saved_at < 1e11:
            saved_at = file.stat().st_mtime
        return Recovery(project, Path(path) if isinstance(path, str) else None, float(saved_at))
