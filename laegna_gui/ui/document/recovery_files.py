"""Recovery files: one per window, in `<data folder>/recovery/`, each owned by a lock.

A window's file is `<id>.laegna` with a note `<id>.json` (where the work came from, when it
was written) and a lock `<id>.lock` (QLockFile) held while the window runs. Nobody touches
a file whose lock is held; a lock whose process has died is stale, and its file is work a
crashed window left behind. A recovery file that cannot be read is kept aside as
`<id>.unreadable-<date>.laegna` rather than deleted.
"""

from __future__ import annotations

import errno
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile

from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.project import Project
from laegna_gui.core.project_file import load_project

FOLDER = "recovery"
SUFFIX = ".laegna"
UNREADABLE = ".unreadable-"
LEGACY = "recovery"  # older versions: every window shared <data folder>/recovery.laegna


class RecoveryFile:
    """One window's recovery file, its note and its lock."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.name = name
        self.project_path = folder / f"{name}{SUFFIX}"
        self.note_path = folder / f"{name}.json"
        self._lock = QLockFile(str(folder / f"{name}.lock"))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, however old

    @classmethod
    def claim_new(cls, folder: Path) -> RecoveryFile:
        """A new, locked recovery file name in `folder` (made if missing); raises OSError."""
        folder.mkdir(parents=True, exist_ok=True)
        file = cls(folder, f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}")
        if not file.try_lock():
            denied = file._lock.error() == QLockFile.LockError.PermissionError
            code = errno.EACCES if denied else errno.EIO
            raise OSError(code, os.strerror(code), str(folder))
        return file

    def try_lock(self) -> bool:
        """Own the file: False while another window (of any process) holds it."""
        return self._lock.tryLock(0)

    def release(self) -> None:
        self._lock.unlock()

    def remove(self) -> None:
        """Delete the file and its note (not the lock). Raises OSError."""
        self.project_path.unlink(missing_ok=True)
        self.note_path.unlink(missing_ok=True)
        for leftover in self.folder.glob(f".{self.project_path.name}.*.tmp"):  # of a killed write
            leftover.unlink(missing_ok=True)

    def set_aside(self) -> Path:
        """Rename an unreadable file so it is never offered again; where it is now."""
        kept = self.folder / f"{self.name}{UNREADABLE}{time.strftime('%Y%m%d-%H%M%S')}{SUFFIX}"
        try:
            os.replace(self.project_path, kept)
            self.note_path.unlink(missing_ok=True)
        except OSError:
            return self.project_path  # it stays where it is; the message names it there
        return kept


@dataclass(frozen=True)
class Recovery:
    """Unsaved work a crashed window left behind; its file stays locked by this process
    until it is restored (the restoring window owns it) or discarded."""

    project: Project
    original_path: Path | None
    saved_at: float
    file: RecoveryFile

    def discard(self) -> None:
        try:
            self.file.remove()
        except OSError:
            pass  # it is offered again next time: better than losing it
        self.file.release()


@dataclass(frozen=True)
class FoundRecoveries:
    recoveries: tuple[Recovery, ...] = ()
    set_aside: tuple[Path, ...] = ()  # unreadable recovery files, renamed


def find_recoveries(data_folder: Path) -> FoundRecoveries:
    """The work left by crashed windows (oldest first), skipping every file a running
    window owns; unreadable files are set aside. Never raises."""
    folder = data_folder / FOLDER
    _move_legacy(data_folder, folder)
    try:
        paths = sorted(p for p in folder.glob(f"*{SUFFIX}") if UNREADABLE not in p.name)
    except OSError:
        return FoundRecoveries()
    recoveries, set_aside = [], []
    for path in paths:
        file = RecoveryFile(folder, path.name[:-len(SUFFIX)])
        if not file.try_lock():
            continue  # its window is open, in this process or another
        try:
            project = load_project(path)
        except (LaegnaError, OSError):
            set_aside.append(file.set_aside())
            file.release()
            continue
        recoveries.append(Recovery(project, *_read_note(file), file))
    _remove_orphans(folder)
    return FoundRecoveries(tuple(recoveries), tuple(set_aside))


def _read_note(file: RecoveryFile) -> tuple[Path | None, float]:
    """Where the work came from and when it was written; the note is a nicety, the work matters."""
    try:
        info = json.loads(file.note_path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        info = {}
    info = info if isinstance(info, dict) else {}
    path, saved_at = info.get("path"), info.get("saved_at")
    if not isinstance(saved_at, (int, float)) or not 0 <= saved_at < 1e11:
        try:
            saved_at = file.project_path.stat().st_mtime
        except OSError:
            saved_at = time.time()
    return (Path(path) if isinstance(path, str) else None), float(saved_at)


def _remove_orphans(folder: Path) -> None:
    """Notes and stale locks of crashed windows that had no unsaved work."""
    try:
        for leftover in [*folder.glob("*.json"), *folder.glob("*.lock")]:
            file = RecoveryFile(folder, leftover.stem)
            if not file.project_path.exists() and file.try_lock():
                file.note_path.unlink(missing_ok=True)
                file.release()  # a stale lock is taken over, then released: removed
    except OSError:
        pass  # tidying up only


def _move_legacy(data_folder: Path, folder: Path) -> None:
    """An older Laegna's shared recovery file becomes one of the per-window ones."""
    legacy = data_folder / f"{LEGACY}{SUFFIX}"
    if not legacy.is_file():
        return
    try:
        file = RecoveryFile.claim_new(folder)
    except OSError:
        return
    try:
        os.replace(legacy, file.project_path)
        note = data_folder / f"{LEGACY}.json"
        if note.is_file():
            os.replace(note, file.note_path)
    except OSError:
        pass
    file.release()
